"""Attachment text for the 保密审查 scan is extracted by a background job; a request only reads it."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongkai.agencies.roles import Role
from gongkai.portal import extraction
from gongkai.portal.guard import PublishBlocked
from gongkai.portal.review import DocumentExtraction
from gongkai.portal.scan import scan_revision
from tests.helpers.workers import start_worker

from .conftest import ID_NUMBER, docx_bytes, make_document, make_policy


@pytest.fixture
def database_engine(settings):
    """Jobs wait for a worker (the test suite's immediate engine would run them at once)."""
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}


def _no_extraction_here(monkeypatch):
    def refuse(data, name):
        raise AssertionError("a request extracted an attachment's text itself")

    monkeypatch.setattr(extraction, "_extract", refuse)


@pytest.mark.django_db
def test_until_the_text_is_extracted_the_page_waits_and_cannot_be_published(
        client, column, staff, monkeypatch, database_engine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = make_document("名单.docx", docx_bytes("获奖人员名单", f"张三 {ID_NUMBER}"))
    doc.refresh_from_db()  # the hash Wagtail computed when the job was queued
    job = DocumentExtraction.objects.get()  # queued by the upload itself
    assert job.document_id == doc.pk and job.file_hash == doc.file_hash and job.status == "queued"
    page = make_policy(column, attachments=[doc])
    _no_extraction_here(monkeypatch)
    report = scan_revision(page, page.get_latest_revision())
    assert report.pending == ["附件《名单.docx》"] and not report.hits and not report.clean
    with pytest.raises(PublishBlocked) as info:
        page.get_latest_revision().publish()
    assert "附件《名单.docx》附件正在提取文字，请稍候刷新" in str(info.value) and "不能发布" in str(info.value)
    client.force_login(staff[Role.CONFIDENTIALITY_REVIEWER])
    body = client.get(reverse("portal_review", args=[page.pk])).content.decode()
    assert "附件正在提取文字，请稍候刷新" in body and 'http-equiv="refresh"' in body and "附件《名单.docx》" in body
    monkeypatch.undo()

    assert extraction.extract_document_text.call(doc.pk, doc.file_hash) == "done"
    assert extraction.extract_document_text.call(doc.pk, doc.file_hash) == "skipped"  # handed out twice: nothing more
    job.refresh_from_db()
    assert job.status == "done" and job.finished_at and ID_NUMBER in job.text.text
    _no_extraction_here(monkeypatch)  # the scan reads the cache from now on
    report = scan_revision(page, page.get_latest_revision())
    assert not report.pending and [(h.kind, h.where) for h in report.unconfirmed] == [("id_number", "附件《名单.docx》")]
    body = client.get(reverse("portal_review", args=[page.pk])).content.decode()
    assert "附件正在提取文字" not in body and 'http-equiv="refresh"' not in body
    assert DocumentExtraction.objects.count() == 1


@pytest.mark.django_db
def test_a_replaced_file_is_extracted_again_and_an_old_job_does_not_apply(column, database_engine,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = make_document("通知.docx", docx_bytes("无敏感内容"))
    doc.refresh_from_db()
    old_hash = doc.file_hash
    with django_capture_on_commit_callbacks(execute=True):
        doc.file = ContentFile(docx_bytes("新版本", f"李四 {ID_NUMBER}"), name="通知.docx")
        doc._set_document_file_metadata()
        doc.save()
    assert doc.file_hash != old_hash
    assert set(DocumentExtraction.objects.values_list("file_hash", flat=True)) == {old_hash, doc.file_hash}
    # The job for the first file runs after the file was replaced: it says so instead of caching the wrong text.
    assert extraction.extract_document_text.call(doc.pk, old_hash) == "superseded"
    assert DocumentExtraction.objects.get(file_hash=old_hash).error == "文件在提取前已被更换，请刷新页面"
    assert extraction.extract_document_text.call(doc.pk, doc.file_hash) == "done"
    page = make_policy(column, attachments=[doc])
    assert [h.kind for h in scan_revision(page, page.get_latest_revision()).unconfirmed] == ["id_number"]
    assert extraction.extract_document_text.call(987654, "0" * 40) == "skipped"  # a deleted document


@pytest.mark.django_db
def test_a_failed_extraction_is_shown_with_its_reason_for_a_person_to_check(client, column, staff, monkeypatch):
    def broken(data, name):
        raise RuntimeError("MemoryError-like failure inside the parser")

    monkeypatch.setattr(extraction, "text_of_bytes", broken)
    doc = make_document("大表.docx", docx_bytes("内容"))
    page = make_policy(column, attachments=[doc])
    report = scan_revision(page, page.get_latest_revision())  # the immediate engine: the job ran and failed
    job = DocumentExtraction.objects.get()
    assert job.status == "failed" and job.error == "提取文字时出现内部错误（RuntimeError），请人工核对附件内容"
    assert not report.pending and [(h.kind, h.where) for h in report.unconfirmed] == [("unscanned", "附件《大表.docx》")]
    client.force_login(staff[Role.CONFIDENTIALITY_REVIEWER])
    body = client.get(reverse("portal_review", args=[page.pk])).content.decode()
    assert "提取文字时出现内部错误（RuntimeError）" in body and "MemoryError-like" not in body
    with pytest.raises(PublishBlocked):
        page.get_latest_revision().publish()


@pytest.mark.django_db
def test_an_unreadable_or_bad_file(column, monkeypatch):
    bad = make_document("扫描件.pdf", b"%PDF-1.4 garbage that pdfplumber cannot open")
    gone = make_document("已删除.txt", b"some text")
    gone_hash = gone.file_hash or gone.get_file_hash()
    gone.file.storage.delete(gone.file.name)
    page = make_policy(column, attachments=[bad, gone])
    report = scan_revision(page, page.get_latest_revision())
    problems = {h.where: h for h in report.unconfirmed}
    assert set(problems) == {"附件《扫描件.pdf》", "附件《已删除.txt》"} and not report.pending
    assert DocumentExtraction.objects.get(document=bad).status == "done"  # parsed: the problem is cached as text
    assert extraction.extract_document_text.call(gone.pk, gone_hash) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_extracts_what_was_uploaded(column, database_engine):
    doc = make_document("名单.docx", docx_bytes("获奖人员名单", f"王五 {ID_NUMBER}"))
    page = make_policy(column, attachments=[doc])
    assert scan_revision(page, page.get_latest_revision()).pending == ["附件《名单.docx》"]
    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, output[-3000:]
    job = DocumentExtraction.objects.get()
    assert job.status == "done", (job.error, output[-3000:])
    report = scan_revision(page, page.get_latest_revision())
    assert not report.pending and [h.kind for h in report.unconfirmed] == ["id_number"]
