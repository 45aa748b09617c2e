"""Readable page addresses: a Chinese title or slug becomes pinyin words, an address a page has stays."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from gongkai.agencies.roles import Role
from gongkai.portal.slugs import readable_slug
from tests.factories import make_user
from tests.helpers.foreign import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, slug", [
    ("关于做好2026年退役军人优待证申领工作的通知", "guanyu-zuohao-2026-nian-tuiyijunren-youdaizheng"),
    ("政策解读", "zhengce-jiedu"),
    ("《洛阳市退役军人优待办法》（试行）", "luoyangshi-tuiyijunren-youdai-banfa-shixing"),
    ("News 2026", "news-2026"),
    ("——！？", ""),
])
def test_readable_slug(text, slug):
    made = readable_slug(text)
    assert made == slug
    assert len(made) <= 50 and made == made.lower()


def test_a_long_title_is_cut_at_a_word():
    made = readable_slug("关于进一步做好新时代退役军人就业创业服务保障工作和优待证申领发放管理工作的实施意见")
    assert 30 < len(made) <= 50 and not made.endswith("-")
    assert made.split("-")[-1] in {"".join(__import__("pypinyin").lazy_pinyin(w)) for w in
                                   __import__("rjieba").cut("关于进一步做好新时代退役军人就业创业服务保障工作和优待证申领发放管理工作的实施意见")}


@pytest.fixture
def column(agency, settings, tmp_path):
    from gongkai.portal.models.pages import ColumnPage
    from gongkai.portal.setup import ensure_agency_portal

    settings.PUBLISH_ROOT = tmp_path / "publish"
    home = ensure_agency_portal(agency, hostname="testserver", port=80, default=True)
    return home.add_child(instance=ColumnPage(title="通知公告", slug="tzgg", kind="news"))


def _post(client, url, **fields):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = nested_form_data({"kind": "news", "disclosure_mode": "proactive", "statutory_category": "01",
                             "body": rich_text("<p>正文</p>"), "attachments": inline_formset([]), "action-draft": "",
                             **fields})
    response = client.post(url, data)
    form = response.context and response.context.get("form")
    assert response.status_code == 302, form.errors if form else response.status_code
    return response


def _add_form(client, agency, column):
    from gongkai.portal.models.pages import ArticlePage

    editor = make_user("slug-writer", agency=agency, role=Role.SYSADMIN)
    editor.is_superuser = True
    editor.save()
    login(client, editor)
    ct = ContentType.objects.get_for_model(ArticlePage)
    return f"/admin/pages/add/{ct.app_label}/{ct.model}/{column.pk}/"


def test_the_editor_gets_pinyin_for_a_chinese_or_empty_slug_and_keeps_a_typed_one(client, agency, column):
    from gongkai.portal.models.pages import ArticlePage

    url = _add_form(client, agency, column)
    title = "关于开展2026年春节走访慰问活动的通知"
    base = "guanyu-kaizhan-2026-nian-chunjie-zoufang-weiwen"
    # What Wagtail's script puts in the slug box as the title is typed: the Chinese title itself.
    _post(client, url, title=title, slug=title)
    assert ArticlePage.objects.get(title=title).slug == base
    # The same address again is refused with Wagtail's message, as a typed duplicate is (an autosave that posts
    # a new page twice must not make two pages), and what was typed is kept for the editor to change.
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    again = client.post(url, nested_form_data({
        "title": title, "slug": "", "kind": "news", "disclosure_mode": "proactive", "statutory_category": "01",
        "body": rich_text("<p>正文</p>"), "attachments": inline_formset([]), "action-draft": ""}))
    assert again.status_code == 200 and base in str(again.context["form"].errors["slug"])
    assert ArticlePage.objects.filter(title=title).count() == 1
    _post(client, url, title=title, slug="chunjie-weiwen-2")
    _post(client, url, title="春节慰问", slug="cjww-2026")
    assert ArticlePage.objects.get(title="春节慰问").slug == "cjww-2026"


def test_an_address_a_page_already_has_stays(agency, column):
    from gongkai.portal.models.pages import ArticlePage

    page = column.add_child(instance=ArticlePage(title="旧页面", slug="old", body="<p>x</p>"))
    ArticlePage.objects.filter(pk=page.pk).update(slug="旧页面")  # made before readable slugs
    page.refresh_from_db()
    page.title = "旧页面（更新）"
    page.save()
    page.refresh_from_db()
    assert page.slug == "旧页面"
    page.slug = "新的中文地址"  # an editor gives it a new address in Chinese: that one is made readable
    page.save()
    assert page.slug == readable_slug("新的中文地址") == "xin-de-zhongwen-dizhi"


def test_pages_made_by_code_get_readable_slugs(agency, column):
    from gongkai.portal.models.pages import ArticlePage

    page = column.add_child(instance=ArticlePage(title="退役军人优待证申领指南", body="<p>x</p>"))
    assert page.slug == "tuiyijunren-youdaizheng-shenling-zhinan"
    assert page.url.endswith("/tzgg/tuiyijunren-youdaizheng-shenling-zhinan/")
