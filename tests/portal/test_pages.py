"""Public pages: rendering, validity marks, accessibility basics, bad input cleaned or refused, demo content."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gongkai.agencies.roles import Role
from gongkai.portal.documents import CheckedDocumentForm
from gongkai.portal.richtext import clean_html
from gongkai.portal.scan import scan_revision

from .conftest import docx_bytes, make_document, make_policy, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_policy_page_shows_metadata_interpretation_and_repeal_mark(client, home, column):
    from gongkai.portal.models.pages import InterpretationPage

    policy = make_policy(column, title="安置办法", doc_number="洛退役军人〔2020〕12号", validity="repealed",
                         repealed_on=date(2021, 1, 1), publish=True)
    interp = InterpretationPage(title="安置办法解读", slug="jd", policy=policy, body="<p>解读</p>")
    column.add_child(instance=interp)
    interp.save_revision().publish()
    body = client.get(f"/zcwj/{policy.slug}/").content.decode()
    assert "本文件已于2021年01月01日废止" in body and "已废止" in body
    assert policy.index_number in body and "洛退役军人〔2020〕12号" in body
    assert "安置办法解读" in body  # linked both ways
    assert "安置办法" in client.get("/zcwj/jd/").content.decode()
    assert '<html lang="zh-CN">' in body and 'href="#main"' in body and "长者模式" in body
    assert "主办单位" in body and "https://" not in re.sub(r'href="https://[^"]*"', "", body.split("<body>")[0])


def test_policy_validity_rules(column):
    with pytest.raises(ValidationError) as info:
        make_policy(column, validity="repealed")
    assert "废止日期" in str(info.value)
    with pytest.raises(ValidationError, match="六角括号"):
        make_policy(column, doc_number="洛退役军人2020年12号")


def test_article_image_needs_alt_text(column):
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.images import get_image_model

    from gongkai.portal.models.pages import ArticlePage

    image = get_image_model().objects.create(title="图", file=get_test_image_file())
    page = ArticlePage(title="有图的新闻", slug="img", image=image, image_alt="")
    column.add_child(instance=ArticlePage(title="占位", slug="x"))
    page.agency_id = column.agency_id
    with pytest.raises(ValidationError, match="替代文字"):
        page.clean()


def test_rich_text_scripts_and_handlers_are_removed(column):
    dirty = ('<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a>'
             '<img src="/media/x.png" onerror="boom()" alt="图"></p><iframe src="//evil"></iframe>')
    assert clean_html(dirty) == '<p>正文<a>链接</a><img alt="图" src="/media/x.png"/></p>'
    page = make_policy(column, body=dirty, publish=True)
    page.refresh_from_db()
    assert page.live
    assert "script" not in page.body and "onclick" not in page.body and "javascript:" not in page.body


@pytest.mark.parametrize("name,data,ok", [
    ("a.pdf", b"%PDF-1.4\n...", True),
    ("a.pdf", b"MZ\x90\x00 not a pdf", False),
    ("a.docx", docx_bytes("正文"), True),
    ("a.docx", xlsx_bytes([["表格"]]), False),
    ("a.xlsx", xlsx_bytes([["表格"]]), True),
    ("a.xlsx", b"plain text", False),
])
def test_upload_content_must_match_extension(name, data, ok):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents import get_document_model

    form_class = get_document_form(get_document_model())
    assert issubclass(form_class, CheckedDocumentForm)
    form = form_class(data={"title": "附件"}, files={"file": SimpleUploadedFile(name, data)})
    form.is_valid()
    assert ("file" not in form.errors) == ok, form.errors
    if not ok:
        assert "扩展名" in str(form.errors["file"])


def test_unreadable_attachment_is_shown_as_not_scanned(column):
    broken = make_document("扫描件.pdf", b"%PDF-1.4 garbage that pdfplumber cannot open")
    page = make_policy(column, attachments=[broken])
    [hit] = scan_revision(page, page.get_latest_revision()).unconfirmed
    assert hit.kind == "unscanned" and hit.label == "未能扫描" and "扫描件.pdf" in hit.where


def test_xlsx_and_pdf_attachments_are_scanned(column):
    import weasyprint

    pdf = weasyprint.HTML(string="<p>联系电话 13812345678</p>").write_pdf()
    page = make_policy(column, attachments=[make_document("表.xlsx", xlsx_bytes([["姓名", "手机"], ["王五", "13912345678"]])),
                                            make_document("函.pdf", pdf)])
    found = {(h.kind, h.value, h.where) for h in scan_revision(page, page.get_latest_revision()).hits}
    assert found == {("mobile", "13912345678", "附件《表.xlsx》"), ("mobile", "13812345678", "附件《函.pdf》")}


def test_demo_loads_once_and_renders(client, settings):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    from gongkai.portal.models.page_base import DisclosablePage
    from gongkai.portal.models.pages import PolicyDocumentPage, TopicPage

    count = DisclosablePage.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert DisclosablePage.objects.count() == count
    assert PolicyDocumentPage.objects.filter(title="洛阳市符合政府安排工作条件退役士兵安置办法", live=True).exists()
    assert set(TopicPage.objects.values_list("title", flat=True)) == {
        "最美退役军人", "双拥工作", "军休风采", "就业创业先进标兵", "纪念英烈"}
    home = client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()
    for title in ("组织机构", "新闻动态", "政务公开", "服务指南", "政策解读", "政府信息公开", "互动交流"):
        assert title in home
    assert "网站标识码：4103000062" in home
    for path in ("/xxgk/", "/xxgk/gkml/", "/xxgk/fdzdgknr/", "/xxgk/gknb/", "/zzjg/jgzn/", "/fwzn/guide-1/"):
        assert client.get(path, HTTP_HOST="127.0.0.1:8000").status_code == 200, path


def test_the_demo_follows_the_port_it_runs_on(client, settings, publish_root, django_capture_on_commit_callbacks):
    """`PORT=8790 make run` (BASE_URL http://127.0.0.1:8790): feeds, sitemap and 'view live' say 8790, not 8000."""
    from wagtail.models import Site

    from gongkai.portal.models.pages import PolicyDocumentPage

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8790"
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "http://127.0.0.1:8790/" in out.getvalue() and ":8000" not in out.getvalue()
    assert {(s.hostname, s.port) for s in Site.objects.all()} == {("127.0.0.1", 8790), ("mzj.localhost", 8790)}
    policy = PolicyDocumentPage.objects.live().filter(agency__name="洛阳市退役军人事务局").first()
    assert policy.full_url.startswith("http://127.0.0.1:8790/")
    built = publish_root / "127.0.0.1_8790"
    sitemap = (built / "sitemap.xml").read_text()
    assert "http://127.0.0.1:8790/" in sitemap and ":8000" not in sitemap
    feed = next(built.glob("*/feed/rss/index.rss")).read_text()
    assert "http://127.0.0.1:8790/" in feed and ":8000" not in feed
    assert client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8790").status_code == 200


def test_home_page_leads_citizens_to_apply_and_to_write(client, home):
    body = client.get("/").content.decode()
    agency = f"?agency={home.agency_id}"
    for href, label in (("/apply/" + agency, "在线申请政府信息公开"), ("/apply/status/", "申请办理进度查询"),
                        ("/hudong/xie/" + agency, "我要写信"), ("/hudong/" + agency, "留言选登")):
        assert f'href="{href}"' in body and label in body
        assert client.get(href).status_code == 200, href


def test_every_site_has_a_favicon(client, home):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon" href="/favicon.ico"' in client.get("/").content.decode()


def test_the_site_map_is_a_page_people_read(client, home, column):
    from gongkai.portal.models.pages import ColumnPage

    sub = ColumnPage(title="规范性文件", slug="gfxwj", kind="policy")
    column.add_child(instance=sub)
    sub.save_revision().publish()
    make_policy(sub, title="某条规范性文件", publish=True)
    body = client.get("/").content.decode()
    assert 'href="/wzdt/">网站地图</a>' in body
    response = client.get("/wzdt/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "<h1>网站地图</h1>" in html and 'href="/zcwj/">政策文件</a>' in html
    assert 'href="/zcwj/gfxwj/">规范性文件</a>' in html  # nested under its section
    assert "某条规范性文件" not in html  # items are not the site's structure
    assert 'href="/sitemap.xml"' in html  # the crawlers' map is still there
