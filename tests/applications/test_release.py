"""The release package: uploads, redaction with its verdict, the second person, letters, online delivery.

Real files (a PDF made with WeasyPrint, read back with pdftotext), the real redaction engine,
the real database; the redaction job runs through the task engine (immediate in tests).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client

from gongkai.applications import actions, tasks, verification
from gongkai.applications.models import LetterSeal, RedactionJob, ReleaseDownload, ReleaseFile
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from tests.applications.helpers import person, register
from tests.applications.releasefiles import ID_NUMBER, KEPT, THIRD_PARTY, pdf_text, report_pdf
from tests.factories import make_user
from tests.helpers.foreign import login

pytestmark = pytest.mark.django_db

MARKS = [{"kind": "text", "value": THIRD_PARTY, "basis": "privacy"},
         {"kind": "pattern", "value": "id_number", "basis": "privacy"}]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "private"


@pytest.fixture(scope="module")
def pdf():
    return report_pdf()


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def audit(app, prefix="applications.release"):
    return list(AuditEvent.objects.filter(subject_type="applications.application", subject_id=str(app.pk),
                                          action__startswith=prefix).order_by("id")
                .values_list("action", "actor_label", "old", "new"))


@pytest.fixture
def app(agency, officer, fixed_today):
    fixed_today(date(2026, 3, 12))
    return register(agency, officer, received=date(2026, 3, 2), channel="online", delivery_wanted="online")


def decide_partial(app, officer, on=date(2026, 3, 10)):
    return actions.application_decide(
        app, actor=officer, on=on, outcome="result.partial", basis="部分信息涉及个人隐私，依据《条例》第十五条不予公开。",
        parts=[{"description": "发放汇总表", "disclosed": True},
               {"description": "经办人个人信息", "disclosed": False, "reason": "result.denied.third_party",
                "basis": "涉及个人隐私，依据《条例》第十五条"}])


def add_partial(app, officer, pdf):
    return actions.release_add(app, actor=officer, name="发放汇总表.pdf", data=pdf, disposition="partial",
                               reason="result.denied.third_party", basis="涉及个人隐私（《条例》第十五条）")


def redact(f, officer, django_capture_on_commit_callbacks, marks=MARKS):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.submit_redaction(f, actor=officer, marks=marks)
    job.refresh_from_db()
    f.refresh_from_db()
    return job


# --------------------------------------------------------------------------------------
# uploads


def clean_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p style='font-family: Noto Serif CJK SC'>{KEPT}：其他内容照常公开。</p>").write_pdf()


def test_add_a_public_file_stores_it_privately_checks_it_and_audits(app, officer, private_root, settings,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        f = tasks.add_release_file(app, actor=officer, name="C:\\docs\\汇总表.pdf", data=clean_pdf(),
                                   disposition="full")
    assert (f.name, f.disposition, f.pages) == ("汇总表.pdf", "full", 1)
    assert audit(app)[0] == ("applications.release_add", "officer1", None,
                             {"file": "汇总表.pdf", "disposition": "full", "verification": "pending", "pages": 1,
                              "sha256": None, "original_sha256": f.original_sha256, "reason": None})
    f.refresh_from_db()
    # Even a file released whole goes through the engine: a fresh PDF, checked for personal data nobody marked.
    assert f.verification == "verified" and f.releasable and f.sha256 != f.original_sha256
    released = Path(f.released.path).read_bytes()
    assert released.startswith(b"%PDF") and "其他内容照常公开" in pdf_text(released)
    assert Path(f.original.path).is_relative_to(private_root) and Path(f.released.path).is_relative_to(private_root)
    assert not stored_files(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="没有网址"):
        f.original.url


def test_a_public_file_with_unmarked_personal_data_is_not_released(app, officer, client, pdf,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        f = tasks.add_release_file(app, actor=officer, name="名单.pdf", data=pdf, disposition="full")
    f.refresh_from_db()
    assert f.verification == "failed" and not f.releasable and ID_NUMBER not in " ".join(f.survivors)
    with pytest.raises(DomainError, match="不能遮盖"):
        actions.release_redact(f, actor=officer, marks=[MARKS[0]])
    login(client, officer)
    body = client.get(f"/admin/applications/{app.pk}/").content.decode()
    assert "不能按原文公开" in body and ID_NUMBER not in body


@pytest.mark.parametrize("name,data,message", [
    ("程序.exe", b"MZ\x90\x00", "不支持“.exe”类型的文件"),
    ("假的.pdf", b"this is not a pdf at all", "不是 PDF、DOCX、XLSX、PNG、JPG 文件"),
    ("空.pdf", b"", "空的"),
    ("图.png", b"%PDF-1.4 mislabelled", "扩展名"),
])
def test_bad_uploads_are_refused_in_chinese_and_nothing_is_stored(app, officer, private_root, name, data, message):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message):
        actions.release_add(app, actor=officer, name=name, data=data, disposition="full")
    assert not ReleaseFile.objects.exists() and not stored_files(private_root)
    assert AuditEvent.objects.count() == before


def test_size_limit_and_missing_basis(app, officer, pdf, settings, private_root):
    settings.RELEASE_MAX_UPLOAD_MB = 0
    with pytest.raises(DomainError, match="超过上限 0 MB"):
        actions.release_add(app, actor=officer, name="a.pdf", data=pdf, disposition="full")
    settings.RELEASE_MAX_UPLOAD_MB = 50
    with pytest.raises(DomainError, match="请写明法律依据和理由"):
        actions.release_add(app, actor=officer, name="a.pdf", data=pdf, disposition="partial",
                            reason="result.denied.third_party", basis=" ")
    assert not ReleaseFile.objects.exists() and not stored_files(private_root)


def test_upload_page_keeps_what_was_typed_and_says_what_to_fix(client, app, officer, private_root):
    login(client, officer)
    url = f"/admin/applications/{app.pk}/release/add/"
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("报告.doc", b"\xd0\xcf\x11\xe0old office"),
                                 "disposition": "partial", "reason": "result.denied.third_party",
                                 "basis": "涉及第三方商业秘密"})
    body = response.content.decode()
    assert response.status_code == 200 and "不支持“.doc”类型的文件" in body and "涉及第三方商业秘密" in body
    assert not ReleaseFile.objects.exists() and not stored_files(private_root)


# --------------------------------------------------------------------------------------
# redaction


def test_redaction_removes_the_marked_text_and_is_verified(app, officer, pdf, django_capture_on_commit_callbacks):
    f = add_partial(app, officer, pdf)
    assert f.verification == "pending" and not f.releasable and not f.released
    job = redact(f, officer, django_capture_on_commit_callbacks)
    assert job.status == RedactionJob.Status.DONE and job.pages_done == job.pages_total > 0
    assert (f.verification, f.survivors, f.unverified_pages, f.redacted_by) == ("verified", [], [], officer)
    assert f.releasable
    text = pdf_text(Path(f.released.path).read_bytes())
    assert THIRD_PARTY not in text and ID_NUMBER not in text and KEPT in text
    assert "个人隐私" in text  # the label of the basis printed in the box
    assert Path(f.original.path).read_bytes() == pdf  # the original is kept as uploaded
    rows = audit(app)
    assert [r[0] for r in rows] == ["applications.release_add", "applications.release_redact",
                                    "applications.release_redacted"]
    assert rows[1][3] == {"file": "发放汇总表.pdf", "marks": MARKS, "job": job.pk}
    assert rows[2][1] == "officer1" and rows[2][3]["verification"] == "verified" and rows[2][3]["survivors"] == []


def test_a_second_person_confirms_unverified_pages(app, officer, head, pdf, agency, staff_factory):
    f = add_partial(app, officer, pdf)
    job = RedactionJob.objects.create(agency=agency, release_file=f, marks=[], requested_by=officer)
    f.marks = []
    f.save()
    actions.release_store_redaction(job, pdf=pdf, survivors=[], unverified_pages=[1], pages=1)
    f.refresh_from_db()
    assert f.verification == "unverified" and not f.releasable
    with pytest.raises(DomainError, match="遮盖人以外的另一名工作人员"):
        actions.release_confirm(f, actor=officer)
    other_agency_officer = staff_factory(__import__("tests.factories", fromlist=["make_agency"]).make_agency("别局"),
                                         username="elsewhere")
    with pytest.raises(DomainError):
        actions.release_confirm(f, actor=other_agency_officer)
    f.refresh_from_db()
    assert f.confirmed_by is None
    actions.release_confirm(f, actor=head)
    f.refresh_from_db()
    assert f.confirmed_by == head and f.confirmed_at is not None and f.releasable
    confirm = audit(app)[-1]
    assert confirm[0] == "applications.release_confirm" and confirm[1] == "head1"
    assert confirm[3]["confirmed_by"] == "head1" and confirm[3]["unverified_pages"] == [1]
    with pytest.raises(DomainError, match="尚未复核"):
        actions.release_confirm(f, actor=head)


def test_survivors_fail_the_file_and_are_shown_masked(app, officer, pdf, django_capture_on_commit_callbacks, client):
    f = add_partial(app, officer, pdf)
    # Only the name is marked: the ID number, always checked, survives and fails the file.
    redact(f, officer, django_capture_on_commit_callbacks, marks=[MARKS[0]])
    assert f.verification == "failed" and not f.releasable and f.survivors
    assert not any(ID_NUMBER in s for s in f.survivors)
    login(client, officer)
    body = client.get(f"/admin/applications/{app.pk}/").content.decode()
    assert "遮盖后仍能读出" in body and ID_NUMBER not in body


def test_remove_before_delivery_deletes_the_files(app, officer, pdf, private_root, django_capture_on_commit_callbacks):
    f = actions.release_add(app, actor=officer, name="a.pdf", data=pdf, disposition="full")
    with django_capture_on_commit_callbacks(execute=True):
        actions.release_remove(f, actor=officer)
    assert not ReleaseFile.objects.exists() and not stored_files(private_root)
    assert audit(app)[-1][0] == "applications.release_remove"


# --------------------------------------------------------------------------------------
# letters and their verification code


def test_reply_lists_the_files_and_carries_a_verification_code(app, officer, pdf, client,
                                                               django_capture_on_commit_callbacks):
    f = add_partial(app, officer, pdf)
    redact(f, officer, django_capture_on_commit_callbacks)
    actions.release_add(app, actor=officer, name="人员名单.pdf", data=pdf, disposition="withheld",
                        reason="result.denied.third_party", basis="涉及个人隐私")
    decide_partial(app, officer)
    login(client, officer)
    response = client.get(f"/admin/applications/{app.pk}/letter/reply.result.partial.pdf")
    Path("/tmp/shots/release").mkdir(parents=True, exist_ok=True)
    Path("/tmp/shots/release/reply-letter.pdf").write_bytes(response.content)
    text = pdf_text(response.content)
    assert "发放汇总表.pdf" in text and "人员名单.pdf" in text and "不予公开" in text and "核验码" in text
    seal = LetterSeal.objects.get(application=app)
    assert verification.find(seal.code) == seal
    # The same letter again: the same code, no new row.
    client.get(f"/admin/applications/{app.pk}/letter/reply.result.partial.docx")
    assert LetterSeal.objects.filter(application=app, kind="reply.result.partial").count() == 1
    public = Client()
    body = public.post("/verify/", {"code": seal.code.lower()[:4] + "-" + seal.code[4:]}).content.decode()
    assert "核验通过" in body and app.agency.name in body and "政府信息公开申请答复书" in body or "告知书" in body
    assert person()["name"] not in body and app.query_code not in body and app.number not in body
    body = public.post("/verify/", {"code": "ABCD-EFGH-JKMN"}).content.decode()
    assert "未找到该核验码" in body


# --------------------------------------------------------------------------------------
# electronic delivery from the status page


def status_page(client, app, last4="8000"):
    from tests.applications.test_public import solve

    answer = solve(client.get("/apply/status/").content.decode())
    return client.post("/apply/status/", {"query_code": app.query_code, "phone_last4": last4, **answer})


@pytest.fixture
def decided(app, officer, pdf, django_capture_on_commit_callbacks, fixed_today):
    f = add_partial(app, officer, pdf)
    redact(f, officer, django_capture_on_commit_callbacks)
    decide_partial(app, officer)
    return app, f


def links(body: str) -> list[str]:
    import re

    return re.findall(r'href="(/apply/status/download/[^"]+)"', body)


def test_applicant_downloads_letter_and_file_and_the_letter_delivers(decided, client):
    app, f = decided
    body = status_page(client, app).content.decode()
    letter_url, file_url = links(body)
    assert app.query_code not in letter_url + file_url
    response = client.get(file_url)
    data = b"".join(response.streaming_content)
    assert response.status_code == 200 and THIRD_PARTY not in pdf_text(data) and KEPT in pdf_text(data)
    app.refresh_from_db()
    assert app.status == "decided"  # a file is not the letter
    response = client.get(letter_url)
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    app.refresh_from_db()
    assert (app.status, app.delivered_on, app.delivery_method) == ("delivered", date(2026, 3, 12), "网上送达")
    downloads = list(ReleaseDownload.objects.filter(application=app).values_list("release_file", "ip_hash"))
    assert downloads[0][0] == f.pk and downloads[1][0] is None
    assert all(len(h) == 64 and "127.0.0.1" not in h for _, h in downloads)
    client.get(letter_url)  # a second download: logged, delivery unchanged
    app.refresh_from_db()
    assert app.delivered_on == date(2026, 3, 12) and app.events.filter(kind="delivered").count() == 1


def _unchanged(app):
    app.refresh_from_db()
    return (app.status, ReleaseDownload.objects.count())


def test_attacks_are_refused_and_change_nothing(decided, client, settings, officer, pdf, agency, fixed_today):
    app, f = decided
    assert not links(status_page(client, app, last4="0000").content.decode())  # wrong last 4 digits
    letter_url, file_url = links(status_page(client, app).content.decode())
    before = _unchanged(app)
    # Another browser (another session) with the same link.
    assert Client().get(letter_url).status_code == 403
    # A forged signature.
    assert client.get(letter_url[:-3] + "xyz/").status_code == 403
    # A signed link for another case's file: the signature is right (made with this session's nonce), the file is not.
    from gongkai.applications import release

    other = register(agency, officer, applicant=person(phone="13900001111"), delivery_wanted="online")
    other_file = actions.release_add(other, actor=officer, name="b.pdf", data=pdf, disposition="full")
    token = release.make_link_token(client.session, app, other_file.pk)
    assert client.get(f"/apply/status/download/{token}/").status_code == 404
    # An expired link.
    settings.RELEASE_LINK_SECONDS = -1
    assert client.get(letter_url).status_code == 403
    settings.RELEASE_LINK_SECONDS = 600
    # After the period.
    fixed_today(date(2026, 3, 10) + timedelta(days=31))
    response = client.get(letter_url)
    assert response.status_code == 410 and "请与" in response.content.decode()
    assert "网上查看期限已于" in status_page(client, app).content.decode()
    assert _unchanged(app) == before and before == ("decided", 0)


def test_post_and_pickup_delivery_record_tracking_number_and_signature(agency, officer, client, fixed_today):
    app = register(agency, officer)
    actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.granted", basis="予以公开。")
    login(client, officer)
    url = f"/admin/applications/{app.pk}/do/deliver/"
    body = client.post(url, {"on": "2026-03-02", "method": "邮寄"}).content.decode()
    assert "请填写邮件号" in body
    client.post(url, {"on": "2026-03-02", "method": "邮寄", "tracking_number": "XA123456789CN"})
    app.refresh_from_db()
    assert app.status == "delivered"
    event = app.events.get(kind="delivered")
    assert event.data == {"tracking_number": "XA123456789CN"} and "邮件号 XA123456789CN" in event.note
    assert "邮件号 XA123456789CN" in client.get(f"/admin/applications/{app.pk}/").content.decode()
    pickup = register(agency, officer, applicant=person(phone="13900002222"))
    actions.application_decide(pickup, actor=officer, on=date(2026, 3, 2), outcome="result.granted", basis="予以公开。")
    body = client.post(f"/admin/applications/{pickup.pk}/do/deliver/", {"on": "2026-03-02", "method": "当面领取"})
    assert "请填写申请人签收的日期" in body.content.decode()
    actions.application_deliver(pickup, actor=officer, on=date(2026, 3, 2), method="当面领取",
                                signed_on=date(2026, 3, 2))
    assert pickup.events.get(kind="delivered").data == {"signed_on": "2026-03-02"}


# --------------------------------------------------------------------------------------
# another agency


def test_other_agency_staff_get_404_on_every_release_url(app, officer, pdf, other_agency, staff_factory, client):
    f = actions.release_add(app, actor=officer, name="a.pdf", data=pdf, disposition="full")
    stranger = staff_factory(other_agency, username="stranger")
    login(client, stranger)
    before = (ReleaseFile.objects.count(), AuditEvent.objects.count())
    for url in (f"/admin/applications/{app.pk}/release/add/", f"/admin/applications/release/{f.pk}/redact/",
                f"/admin/applications/release/{f.pk}/original/", f"/admin/applications/release/{f.pk}/released/",
                f"/admin/applications/release/{f.pk}/job/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/admin/applications/release/{f.pk}/confirm/", f"/admin/applications/release/{f.pk}/remove/",
                f"/admin/applications/release/{f.pk}/redact/"):
        assert client.post(url).status_code == 404, url
    assert (ReleaseFile.objects.count(), AuditEvent.objects.count()) == before
    login(client, officer)
    response = client.get(f"/admin/applications/release/{f.pk}/original/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
