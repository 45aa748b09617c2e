"""The staff PDF of a report is rendered by a background job; an unchanged report is rendered once."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.annualreport import actions, outputs, tasks
from gongkai.annualreport.models import PdfJob
from tests.factories import make_agency, make_user
from tests.helpers.workers import start_worker

from .helpers import decide, register, signed_report

ADMIN = "/admin/annual-reports/"


@pytest.fixture
def database_engine(settings):
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}


@pytest.fixture
def draft(agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    decide(register(agency, officer, date(2025, 6, 2)), officer, date(2025, 7, 10))
    return actions.report_start(agency, 2025, actor=officer)


def _pdf(client, report, query=""):
    return client.get(f"{ADMIN}{report.pk}/download.pdf{query}")


@pytest.mark.django_db
def test_the_download_waits_for_the_job_then_offers_the_file_and_reuses_it(client, officer, draft, database_engine):
    client.force_login(officer)
    waiting = _pdf(client, draft)
    job = PdfJob.objects.get()
    body = waiting.content.decode()
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    assert "正在生成PDF…" in body and 'http-equiv="refresh" content="2;url=' in body and "wait=1" in body
    assert job.status == PdfJob.Status.QUEUED and job.requested_by == officer and job.agency == draft.agency
    assert _pdf(client, draft).status_code == 200 and PdfJob.objects.count() == 1  # asked again: the same job

    assert tasks.render_pdf_job.call(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == PdfJob.Status.DONE and bytes(job.data).startswith(b"%PDF") and job.finished_at
    done = _pdf(client, draft, "?wait=1").content.decode()  # the waiting page's refresh
    assert "PDF已生成" in done and f'href="{ADMIN}{draft.pk}/download.pdf"' in done
    pdf = _pdf(client, draft)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(job.data)
    assert "（草稿）" in pdf["Content-Disposition"] or "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89" in pdf["Content-Disposition"]
    # Run twice (handed out again after a worker died): the done job is not rendered again.
    assert tasks.render_pdf_job.call(job.pk) == "skipped"
    assert tasks.render_pdf_job.call(987654) == "skipped"

    # The prose changes: a new job for the new content; the old one stays for the old content.
    actions.report_update_prose(draft, actor=officer, section1="本年度总体情况的新说明。", section5="", section6="")
    assert "正在生成PDF…" in _pdf(client, draft).content.decode()
    assert PdfJob.objects.count() == 2


@pytest.mark.django_db
def test_a_job_left_running_renders_again_and_the_same_content_has_the_same_key(officer, draft, database_engine):
    from gongkai.annualreport import selectors

    state = selectors.report_state(draft.agency, draft.year)
    job = tasks.pdf_job(draft, state.doc, actor=officer)
    assert tasks.pdf_job(draft, selectors.report_state(draft.agency, draft.year).doc).pk == job.pk
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.RUNNING)  # its worker died
    assert tasks.render_pdf_job.call(job.pk) == "done"
    first = bytes(PdfJob.objects.get(pk=job.pk).data)
    assert outputs.filename(state.doc, "pdf").endswith(".pdf") and first.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)  # the job is handed out when the request's writes commit
def test_a_failed_rendering_says_why_and_can_be_tried_again(client, officer, draft, monkeypatch):
    def broken(doc, **options):
        raise OSError("font file /usr/share/fonts/noto.ttc missing")

    monkeypatch.setattr(outputs, "pdf_bytes", broken)
    client.force_login(officer)
    body = _pdf(client, draft).content.decode()  # the immediate engine: the job has already run and failed
    job = PdfJob.objects.get()
    assert job.status == PdfJob.Status.FAILED and not job.data
    assert "PDF生成失败" in body and "生成PDF时出现内部错误（OSError），请稍后重试" in body
    assert "noto.ttc" not in body and 'http-equiv="refresh"' not in body and "retry=1" in body
    assert "PDF生成失败" in _pdf(client, draft).content.decode()  # not retried by merely asking again
    monkeypatch.undo()
    pdf = _pdf(client, draft, "?retry=1")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert PdfJob.objects.get().status == PdfJob.Status.DONE


@pytest.mark.django_db
def test_bad_input_and_another_agency(client, officer, draft):
    client.force_login(officer)
    assert client.get(f"{ADMIN}{draft.pk}/download.pdf?revision=abc").status_code == 404
    assert client.get(f"{ADMIN}{draft.pk}/download.pdf?revision=7").status_code == 404
    assert client.get(f"{ADMIN}{draft.pk}/download.exe").status_code == 404
    stranger = make_user("pdf_stranger", agency=make_agency("另一个局"), role="office_head")
    client.force_login(stranger)
    assert _pdf(client, draft).status_code == 404
    assert not PdfJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_signed_pdf_and_the_portal_serves_it(client, agency, officer, head, fixed_today,
                                                                        database_engine):
    fixed_today(date(2026, 1, 20))
    report = signed_report(agency, officer, head, publish=True)
    client.force_login(head)
    assert "正在生成PDF…" in _pdf(client, report, "?revision=1").content.decode()
    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, output[-3000:]
    job = PdfJob.objects.get()
    assert job.status == PdfJob.Status.DONE, (job.error, output[-3000:])
    pdf = _pdf(client, report, "?revision=1")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(job.data)
    public = client.get(f"/annual-reports/{agency.credit_code}/2025/report.pdf")
    assert public.content == bytes(job.data)  # the same content: rendered once
