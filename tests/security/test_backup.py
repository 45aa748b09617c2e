"""`gongkai backup` / `gongkai restore`: an installation emptied and restored has every row and file back."""

from __future__ import annotations

import gzip
import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from gongkai.agencies.roles import Role
from gongkai.audit.integrity import verify_chain
from gongkai.audit.models import AuditEvent
from gongkai.cli import main
from gongkai.core.backup import BackupError, _tables, create_backup, restore_backup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roots(settings, tmp_path):
    settings.PUBLISH_ROOT = tmp_path / "publish"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def _pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>备份测试附件。</p>").write_pdf()


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table, _fields in _tables(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            result[table] = cursor.fetchone()[0]
        return result


@pytest.fixture
def installation(agency, staff_factory, django_capture_on_commit_callbacks):
    """An agency with staff, a published page with an attachment (static site written) and audit events."""
    from wagtail.documents import get_document_model

    from gongkai.portal.setup import private_collection
    from gongkai.portal.models.page_base import PageAttachment
    from gongkai.portal.models.pages import ColumnPage, PolicyDocumentPage
    from gongkai.portal.setup import ensure_agency_portal

    home = ensure_agency_portal(agency, hostname="testserver", port=80, default=True)
    staff_factory(agency, role=Role.EDITOR, username="backup_editor")
    doc = get_document_model().objects.create(title="备份附件", file=ContentFile(_pdf(), name="backup.pdf"),
                                              collection=private_collection(agency))
    with django_capture_on_commit_callbacks(execute=True):
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
        page = PolicyDocumentPage(live=False, title="备份测试通知", slug="backup-notice", body="<p>正文</p>",
                                  issuer=agency.name, statutory_category="01")
        page.attachments.add(PageAttachment(document=doc))
        column.add_child(instance=page)
        page.save_revision().publish()
    doc.refresh_from_db()
    return {"agency": agency, "doc": doc}


def _wipe(roots):
    """A fresh installation: every table emptied (Django re-creates content types and permissions), no files."""
    import shutil

    if connection.vendor == "postgresql":  # the test's transaction has pending foreign-key checks
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(roots.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(roots.PUBLISH_ROOT, ignore_errors=True)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def test_restore_brings_back_every_row_and_file(installation, roots, tmp_path, client):
    doc = installation["doc"]
    before = _counts()
    assert before["audit_auditevent"] > 0 and before["wagtaildocs_document"] == 1
    media_files = {p.relative_to(roots.MEDIA_ROOT): p.read_bytes() for p in roots.MEDIA_ROOT.rglob("*") if p.is_file()}
    site = roots.PUBLISH_ROOT / "testserver"
    published = {p.relative_to(roots.PUBLISH_ROOT): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert any(str(p).endswith("backup-notice/index.html") for p in published)
    assert any(p.name == doc.filename for p in published)  # the published attachment's static copy
    hashes = list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True))
    archive = tmp_path / "backup.tar.gz"
    messages = []
    manifest = create_backup(archive, progress=messages.append)
    assert any("数据表" in m for m in messages) and "备份完成" in messages[-1]
    assert manifest["tables"]["audit_auditevent"]["rows"] == before["audit_auditevent"]
    assert "django_session" not in manifest["tables"]

    _wipe(roots)
    assert _counts()["agencies_agency"] == 0 and not roots.MEDIA_ROOT.exists()
    restore_backup(archive, progress=messages.append)

    after = _counts()
    assert after == {t: n for t, n in before.items()}
    assert list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True)) == hashes
    assert verify_chain().ok  # every hashed field (times, JSON) came back exactly
    for rel, data in media_files.items():
        assert (roots.MEDIA_ROOT / rel).read_bytes() == data
    for rel, data in published.items():
        assert (roots.PUBLISH_ROOT / rel).read_bytes() == data
    assert (roots.PUBLISH_ROOT / "_default").resolve() == (roots.PUBLISH_ROOT / "testserver").resolve()
    response = client.get(doc.url)  # the restored document is served again, from the restored file
    assert response.status_code == 200 and b"".join(response.streaming_content) == media_files[
        next(r for r in media_files if r.name == doc.filename)]


def test_restore_refusals(installation, roots, tmp_path, settings, capsys):
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive, progress=lambda m: None)
    rows = _counts()

    with pytest.raises(BackupError, match="已有数据"):
        restore_backup(archive, progress=lambda m: None)
    assert main(["restore", str(archive)]) == 1
    assert "--force" in capsys.readouterr().err

    settings.GONGKAI_FIELD_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    with pytest.raises(BackupError, match="加密密钥"):
        restore_backup(archive, force=True, progress=lambda m: None)
    assert _counts() == rows

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    not_gzip = tmp_path / "plain.tar.gz"
    not_gzip.write_bytes(b"this is not an archive")
    for bad, words in ((truncated, "损坏"), (foreign, "不是 Gongkai 备份"), (not_gzip, "无法作为 tar.gz 打开")):
        assert main(["restore", "--force", str(bad)]) == 1
        assert words in capsys.readouterr().err
    assert _counts() == rows


def test_tampered_file_in_archive_is_refused(installation, roots, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive, progress=lambda m: None)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.isfile() and member.name.startswith("media/"):
                data = data + b"x"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    rows = _counts()
    with pytest.raises(BackupError, match="校验值不符"):
        restore_backup(tampered, force=True, progress=lambda m: None)
    assert _counts() == rows
    assert gzip.open(archive).read(1)  # the original stays a readable gzip


def test_cli_backup_and_restore_print_progress(installation, roots, tmp_path, capsys):
    archive = tmp_path / "cli.tar.gz"
    assert main(["backup", "-o", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "数据表" in out and "备份完成" in out
    before = _counts()
    _wipe(roots)
    assert main(["restore", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "恢复数据表" in out and "恢复完成" in out
    after = _counts()
    assert after["audit_auditevent"] == before["audit_auditevent"] + 1  # the restore itself is audited
    assert AuditEvent.objects.order_by("-seq").first().action == "core.backup_restore"
    assert {t: n for t, n in after.items() if t != "audit_auditevent"} == {
        t: n for t, n in before.items() if t != "audit_auditevent"}
    assert verify_chain().ok
