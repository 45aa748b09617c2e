"""Uploaded documents are private until a page using them is published through the review, and withdrawn with it."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.portal.serving import StaticPublishApp

pytestmark = pytest.mark.django_db



def _pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>退役军人优待工作附件。</p>").write_pdf()


PDF = _pdf()


@pytest.fixture(autouse=True)
def publish_root(settings, tmp_path):
    settings.PUBLISH_ROOT = tmp_path / "publish"
    return settings.PUBLISH_ROOT


@pytest.fixture
def home(agency):
    from gongkai.portal.setup import ensure_agency_portal

    return ensure_agency_portal(agency, hostname="testserver", port=80, default=True)


@pytest.fixture
def column(home):
    from gongkai.portal.models.pages import ColumnPage

    column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
    home.add_child(instance=column)
    column.save_revision().publish()
    return column


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kw)
    return run


def _upload(agency, name="通知附件.pdf", data=PDF):
    from wagtail.documents import get_document_model

    from gongkai.portal.setup import private_collection

    return get_document_model().objects.create(title=name, file=ContentFile(data, name=name),
                                               collection=private_collection(agency))


def _policy(column, *, attachments=(), body="<p>正文。</p>", slug="p1"):
    from gongkai.portal.models.page_base import PageAttachment
    from gongkai.portal.models.pages import PolicyDocumentPage

    page = PolicyDocumentPage(live=False, title="关于优待工作的通知", slug=slug, issuer="测试市退役军人事务局",
                              body=body, statutory_category="01")
    for doc in attachments:
        page.attachments.add(PageAttachment(document=doc))
    column.add_child(instance=page)
    page.save_revision()
    return page


def _static_copy(publish_root, doc):
    return publish_root / "testserver" / "documents" / str(doc.pk) / doc.filename


def _static_get(path):
    """GET through the publish-folder layer of the WSGI stack; what it does not have goes on to Django."""
    import io
    import sys

    def django(environ, start_response):
        start_response("404 Not Found", [("X-Handled-By", "django")])
        return [b"django"]

    captured = {}

    def start_response(status, headers):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    from urllib.parse import unquote

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": unquote(path).encode("utf-8").decode("latin-1"), "QUERY_STRING": "",
               "HTTP_HOST": "testserver", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
    body = b"".join(StaticPublishApp(django)(environ, start_response))
    return captured["status"], body, captured["headers"]


def test_draft_document_is_404_to_the_public_and_other_agencies_but_served_to_own_staff(
        client, agency, other_agency, column, staff_factory):
    doc = _upload(agency)
    _policy(column, attachments=[doc])
    assert client.get(doc.url).status_code == 404
    client.force_login(staff_factory(other_agency, role=Role.EDITOR, username="other_editor"))
    assert client.get(doc.url).status_code == 404
    client.force_login(staff_factory(agency, role=Role.EDITOR, username="own_editor"))
    response = client.get(doc.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_publish_releases_and_unpublish_withdraws(client, agency, column, publish_root, on_commit, staff_factory):
    from gongkai.portal.setup import private_collection
    from gongkai.portal.setup import agency_collection

    doc = _upload(agency)
    page = _policy(column, attachments=[doc])
    on_commit(page.get_latest_revision().publish)
    doc.refresh_from_db()
    response = client.get(doc.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert doc.collection == agency_collection(agency)
    assert AuditEvent.objects.filter(action="portal.document_release", subject_id=str(doc.pk)).count() == 1
    copy = _static_copy(publish_root, doc)
    assert copy.read_bytes() == PDF
    page.refresh_from_db()
    assert f'href="{doc.url}"' in (publish_root / "testserver" / "zcwj" / page.slug / "index.html").read_text()
    status, body, headers = _static_get(doc.url)  # the same URL, answered from the static copy
    assert status == 200 and body == PDF and headers.get("X-Gongkai-Static") == "1"

    on_commit(page.unpublish)
    doc.refresh_from_db()
    assert client.get(doc.url).status_code == 404
    assert not copy.exists()
    assert _static_get(doc.url)[2].get("X-Handled-By") == "django"  # no static copy left to answer
    assert doc.collection == private_collection(agency)
    assert AuditEvent.objects.filter(action="portal.document_withdraw", subject_id=str(doc.pk)).count() == 1
    client.force_login(staff_factory(agency, role=Role.REVIEWER, username="reviewer"))
    assert client.get(doc.url).status_code == 200


def test_new_revision_without_the_attachment_withdraws_it(client, agency, column, publish_root, on_commit):
    kept, dropped = _upload(agency, "保留.pdf"), _upload(agency, "删除.pdf")
    page = _policy(column, attachments=[kept, dropped])
    on_commit(page.get_latest_revision().publish)
    assert client.get(dropped.url).status_code == 200
    page.refresh_from_db()
    page = page.specific
    page.attachments.set([a for a in page.attachments.all() if a.document_id == kept.pk])
    revision = page.save_revision()
    assert client.get(dropped.url).status_code == 200  # a draft changes nothing public
    on_commit(revision.publish)
    assert client.get(dropped.url).status_code == 404
    assert client.get(kept.url).status_code == 200
    assert not _static_copy(publish_root, dropped).exists() and _static_copy(publish_root, kept).exists()


def test_rich_text_link_publishes_the_document(client, agency, column, publish_root, on_commit):
    doc = _upload(agency, "正文链接.pdf")
    page = _policy(column, body=f'<p>见<a linktype="document" id="{doc.pk}">附件</a>。</p>', slug="linked")
    assert client.get(doc.url).status_code == 404
    on_commit(page.get_latest_revision().publish)
    assert client.get(doc.url).status_code == 200
    assert _static_copy(publish_root, doc).read_bytes() == PDF


def test_document_in_a_public_collection_but_unused_is_still_404(client, agency, home):
    from wagtail.documents import get_document_model

    from gongkai.portal.setup import agency_collection

    doc = get_document_model().objects.create(title="误放", file=ContentFile(PDF, name="misplaced.pdf"),
                                              collection=agency_collection(agency))
    assert client.get(doc.url).status_code == 404


def test_uploads_go_into_the_private_collection(client, agency, home, staff_factory):
    from wagtail.documents import get_document_model

    from gongkai.portal.setup import PRIVATE_COLLECTION_NAME, private_collection

    assert private_collection(agency).name == PRIVATE_COLLECTION_NAME
    client.force_login(staff_factory(agency, role=Role.EDITOR, username="uploader"))
    assert client.get("/admin/documents/add/").status_code == 200
    # The private collection is the only one an editor may upload into (so Wagtail offers no choice).
    response = client.post("/admin/documents/add/", {"title": "新上传", "file": ContentFile(PDF, name="new.pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = get_document_model().objects.get(title="新上传")
    assert doc.collection == private_collection(agency)
    assert doc.collection.get_view_restrictions().exists()
    client.logout()
    assert client.get(doc.url).status_code == 404


def test_rebuild_copies_only_published_documents(agency, column, publish_root, on_commit):
    from wagtail.models import Site

    from gongkai.portal.publish import rebuild_site

    published, draft = _upload(agency, "已发布.pdf"), _upload(agency, "草稿.pdf")
    page = _policy(column, attachments=[published], slug="pub")
    _policy(column, attachments=[draft], slug="draft")
    on_commit(page.get_latest_revision().publish)
    rebuild_site(Site.objects.get(hostname="testserver"))
    assert _static_copy(publish_root, published).read_bytes() == PDF
    assert not _static_copy(publish_root, draft).exists()
    assert not (publish_root / "testserver" / "documents" / str(draft.pk)).exists()
