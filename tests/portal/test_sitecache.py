"""Dynamic pages keep each site's home, menu and footer between requests (sitecache.py); a change shows at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gongkai.portal import sitecache

pytestmark = pytest.mark.django_db


def _page(client, **params) -> str:
    return client.get("/search/", {"q": "优待", **params}).content.decode()


def _nav(html: str) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


def _columns(html: str) -> list[str]:
    select = re.search(r'<select name="column".*?</select>', html, re.S).group(0)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)


def test_the_site_is_read_once_not_at_every_request(client, column):
    _page(client)
    with CaptureQueriesContext(connection) as queries:
        html = _page(client)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("wagtailcore_site", "wagtailcore_page", "portal_portalsite", "agencies_agency"):
        assert table not in sql, table
    assert "政策文件" in _nav(html) and _columns(html) == ["政策文件"]


def test_a_menu_column_added_renamed_hidden_or_unpublished_shows_at_the_next_request(client, home, column):
    from gongkai.portal.models.pages import ColumnPage

    assert "新闻动态" not in _page(client)
    news = ColumnPage(title="新闻动态", slug="xwdt", kind="news", show_in_menus=True)
    home.add_child(instance=news)
    news.save_revision().publish()
    html = _page(client)
    assert "新闻动态" in _nav(html) and _columns(html) == ["政策文件", "新闻动态"]

    news.title = "工作动态"
    news.save_revision().publish()
    html = _page(client)
    assert "工作动态" in _nav(html) and "新闻动态" not in html and _columns(html) == ["政策文件", "工作动态"]

    news.show_in_menus = False
    news.save_revision().publish()
    html = _page(client)
    assert "工作动态" not in _nav(html) and _columns(html) == ["政策文件", "工作动态"]

    news.unpublish()
    assert _columns(_page(client)) == ["政策文件"]


def test_footer_settings_and_agency_name_show_at_the_next_request(client, agency, column):
    from gongkai.portal.models.sites import PortalSite

    assert "0379-63900000" not in _page(client)
    site = PortalSite.objects.get(agency=agency)
    site.sponsor, site.phone = "测试市人民政府办公室", "0379-63900000"
    site.save()
    html = _page(client)
    assert "主办单位：测试市人民政府办公室" in html and "电话：0379-63900000" in html

    agency.name = "测试市退役军人事务局（更名）"
    agency.save()
    html = _page(client)
    assert "<title>站内检索 - 测试市退役军人事务局（更名）</title>" in html


def test_a_change_made_in_another_process_shows_at_the_next_request(client, column):
    """Another process's change replaces the token in the shared cache; the copy here is then rebuilt."""
    from gongkai.portal.models.pages import ColumnPage

    assert "政策文件" in _nav(_page(client))
    ColumnPage.objects.filter(pk=column.pk).update(title="政策法规")  # no signal here: as if done elsewhere
    assert "政策文件" in _nav(_page(client))  # kept
    cache.set(sitecache.GENERATION_KEY, "changed by another process", timeout=None)
    assert "政策法规" in _nav(_page(client))


def test_a_copy_older_than_max_age_is_rebuilt(client, column, monkeypatch):
    from gongkai.portal.models.pages import ColumnPage

    _page(client)
    ColumnPage.objects.filter(pk=column.pk).update(title="政策法规")  # past the signals, as a SQL script would
    monkeypatch.setattr(sitecache, "MAX_AGE", 0)
    assert "政策法规" in _nav(_page(client))


def test_a_rolled_back_change_is_not_kept(client, column):
    with pytest.raises(RuntimeError), transaction.atomic():
        column.title = "未提交的标题"
        column.save()
        assert "未提交的标题" in _nav(_page(client))  # its own transaction sees it
        raise RuntimeError
    assert "未提交的标题" not in _page(client) and "政策文件" in _nav(_page(client))


def test_the_request_that_made_a_change_keeps_nothing_it_may_roll_back(rf, agency, column):
    """A request read the token, then changed the menu and showed it: had it kept that copy under the
    token it read, the copy would outlive the rollback (the rollback puts that token back)."""
    request = rf.get("/search/")
    sitecache.generation(request)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            column.title = "未提交的标题"
            column.save()
            assert [item.title for item in sitecache.chrome(agency.pk, request)["nav"]] == ["未提交的标题"]
            raise RuntimeError
        assert [item.title for item in sitecache.chrome(agency.pk, request)["nav"]] == ["政策文件"]
    finally:
        sitecache.request_started()


def test_each_site_of_a_shared_process_keeps_its_own(client, settings, column):
    from gongkai.portal.models.pages import ColumnPage
    from gongkai.portal.setup import ensure_agency_portal
    from tests.factories import make_agency

    settings.ALLOWED_HOSTS = ["*"]
    other = ensure_agency_portal(make_agency("测试市民政局"), hostname="mzj.test")
    relief = ColumnPage(title="社会救助", slug="shjz", kind="policy", show_in_menus=True)
    other.add_child(instance=relief)
    relief.save_revision().publish()
    for _ in range(2):
        ours = client.get("/search/", {"q": "救助"}).content.decode()
        theirs = client.get("/search/", {"q": "救助"}, HTTP_HOST="mzj.test").content.decode()
        assert "政策文件" in _nav(ours) and "社会救助" not in ours
        assert "社会救助" in _nav(theirs) and "政策文件" not in theirs and "测试市民政局" in theirs
