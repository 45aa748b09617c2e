"""Chinese search: 2-character words inside longer ones, highlights, filters, order; follows publish/unpublish."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from gongkai.portal.search.backends import SearchQuery, get_backend, highlight, query_tokens

from .conftest import make_policy

pytestmark = pytest.mark.django_db


def _publish(column, title, body, when=None, **kw):
    page = make_policy(column, title=title, body=f"<p>{body}</p>", **kw)
    if when:
        page.first_published_at = timezone.make_aware(datetime(*when))
        page.save_revision()
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def _search(agency, q, **kw):
    return get_backend().search(SearchQuery(q=q, agency_id=agency.pk, **kw))


def test_two_character_words_are_found_inside_longer_words(column, agency):
    a = _publish(column, "退役军人优待证申领通知", "洛阳市退役军人事务局开展优待证申领工作。")
    _publish(column, "市场监管通知", "与本主题无关的内容。")
    for q in ("退役", "优待", "军人", "退役军人", "优待证"):
        results = _search(agency, q)
        assert [h.page_id for h in results.hits] == [a.pk], q
    hit = _search(agency, "优待").hits[0]
    assert "<mark>优待</mark>" in hit.snippet and "<mark>优待</mark>" in hit.title_html


def test_all_words_must_match_and_nothing_for_unknown(column, agency):
    _publish(column, "退役士兵安置办法", "安置工作坚持公开公平。")
    assert _search(agency, "退役 安置").total == 1
    assert _search(agency, "退役 养老").total == 0
    assert _search(agency, "").total == 0
    assert _search(agency, "'\"*()").total == 0  # syntax characters are not an error


def test_filters_and_order(home, column, agency):
    from gongkai.portal.models.pages import ColumnPage

    other = ColumnPage(title="新闻动态", slug="xwdt", kind="news")
    home.add_child(instance=other)
    other.save_revision().publish()
    old = _publish(column, "2019年退役军人工作", "退役军人", when=(2019, 5, 1), statutory_category="01")
    new = _publish(other, "2021年退役军人新闻", "退役军人 退役军人 退役军人", when=(2021, 5, 1),
                   statutory_category="11")
    assert [h.page_id for h in _search(agency, "退役", order="date").hits] == [new.pk, old.pk]
    assert [h.page_id for h in _search(agency, "退役", year=2019).hits] == [old.pk]
    assert [h.page_id for h in _search(agency, "退役", category="11").hits] == [new.pk]
    assert [h.page_id for h in _search(agency, "退役", column_path=column.path).hits] == [old.pk]


def test_relevance_orders_the_newest_matches_and_date_order_is_newest_first(column, agency):
    often = _publish(column, "优待证办理指南", "优待证 优待证 优待证 优待证", when=(2019, 5, 1))
    once = _publish(column, "年度工作总结", "全年工作中也办理了优待证，其余为各项工作的详细情况和下一年度的计划安排。",
                    when=(2021, 5, 1))
    assert [h.page_id for h in _search(agency, "优待证").hits] == [often.pk, once.pk]
    assert [h.page_id for h in _search(agency, "优待证", order="date").hits] == [once.pk, often.pk]
    assert _search(agency, "优待证", page=2).hits == [] and _search(agency, "优待证", page=2).total == 2


def test_index_follows_unpublish_and_other_agencies_are_separate(column, agency, other_agency):
    page = _publish(column, "退役军人就业创业", "就业创业扶持")
    assert _search(agency, "创业").total == 1
    assert _search(other_agency, "创业").total == 0
    page.unpublish()
    assert _search(agency, "创业").total == 0


def test_attachment_text_is_searchable(column, agency):
    from .conftest import docx_bytes, make_document

    doc = make_document("补贴标准.docx", docx_bytes("生活补助费标准为每月一千元"))
    page = _publish(column, "补助通知", "详见附件。", attachments=[doc])
    assert [h.page_id for h in _search(agency, "补助费").hits] == [page.pk]


def test_search_page_on_public_site(client, column, agency):
    _publish(column, "退役军人优待证", "优待证申领")
    body = client.get("/search/", {"q": "优待"}).content.decode()
    assert "找到 1 条结果" in body and "<mark>优待</mark>" in body
    body = client.get("/search/", {"q": "优待", "year": "二〇二〇"}).content.decode()
    assert "年份请填写4位数字" in body and 'value="优待"' in body


def test_highlight_escapes_html():
    assert highlight("<b>退役</b>军人", ["退役"]) == "&lt;b&gt;<mark>退役</mark>&lt;/b&gt;军人"
    assert query_tokens("退役军人 优待") == ["退役军人", "优待"]


def test_a_supervising_office_searches_every_site_of_its_agencies_and_no_other(client, settings):
    """The office's portal may span its agencies' sites (and theirs below); a forged scope elsewhere changes nothing."""
    from gongkai.portal.models.pages import ColumnPage
    from gongkai.portal.setup import ensure_agency_portal
    from tests.factories import make_agency

    settings.ALLOWED_HOSTS = ["*"]
    office = make_agency("洛阳市人民政府办公室", short_name="市政府办")
    bureau = make_agency("洛阳市民政局", supervisor=office, short_name="市民政局")
    county = make_agency("伊川县民政局", supervisor=bureau, short_name="伊川县民政局")
    stranger = make_agency("郑州市民政局", short_name="郑州市民政局")
    for agency, host, title in [(office, "www.ly.test", "全市救助政策汇编"), (bureau, "mzj.ly.test", "城市低保救助标准"),
                                (county, "mzj.yc.test", "农村特困救助办法"), (stranger, "mzj.zz.test", "郑州救助指南")]:
        home = ensure_agency_portal(agency, hostname=host)
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
        _publish(column, title, "救助工作按本文件执行。")

    def titles(host, **params):
        html = client.get("/search/", {"q": "救助", **params}, HTTP_HOST=host).content.decode()
        return html, {t for t in ("全市救助政策汇编", "城市低保救助标准", "农村特困救助办法", "郑州救助指南")
                      if t.replace("救助", "<mark>救助</mark>") in html}

    html, found = titles("www.ly.test")
    assert found == {"全市救助政策汇编"} and "本站及所属2个机关的网站" in html
    html, found = titles("www.ly.test", scope="all")
    assert found == {"全市救助政策汇编", "城市低保救助标准", "农村特困救助办法"}
    assert "市民政局" in html and "伊川县民政局" in html and "郑州" not in html
    # The bureau spans its county; the stranger has no such choice, and forging it gives nothing more.
    assert titles("mzj.ly.test", scope="all")[1] == {"城市低保救助标准", "农村特困救助办法"}
    html, found = titles("mzj.zz.test", scope="all")
    assert found == {"郑州救助指南"} and "所属" not in html
    # A bad scope value is refused with a Chinese message, keeping the words typed.
    html, found = titles("www.ly.test", scope="everything")
    assert found == set() and "范围" in html and 'value="救助"' in html


def test_a_page_published_or_unpublished_shows_in_the_next_search(client, column):
    assert "没有找到与“抚恤”相关的信息" in client.get("/search/", {"q": "抚恤"}).content.decode()
    page = _publish(column, "烈士抚恤金发放通知", "抚恤金按季度发放。")
    body = client.get("/search/", {"q": "抚恤"}).content.decode()
    assert "找到 1 条结果" in body and "烈士<mark>抚恤</mark>金发放通知" in body
    page.unpublish()
    assert "没有找到与“抚恤”相关的信息" in client.get("/search/", {"q": "抚恤"}).content.decode()


def test_an_anonymous_search_sets_no_cookie_and_does_not_vary_by_session(client, column):
    _publish(column, "退役军人优待证", "优待证申领")
    response = client.get("/search/", {"q": "优待"})
    assert response.status_code == 200 and not response.cookies
    assert "Cookie" not in response.get("Vary", "") and response["Cache-Control"] == "no-store"


def test_searches_beyond_the_limit_from_one_address_are_refused(client, column, settings, monkeypatch):
    """Counted in batches per process (ratelimit.hit_batched); one process refuses exactly past the limit."""
    from types import SimpleNamespace

    from gongkai.core import ratelimit

    _publish(column, "退役军人优待证", "优待证申领")
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))  # one window throughout
    settings.PORTAL_SEARCH_RATE_LIMIT = 24  # counted two at a time

    def refused(address):
        body = client.get("/search/", {"q": "优待"}, REMOTE_ADDR=address).content.decode()
        return "检索过于频繁" in body

    assert [refused("203.0.113.24") for _ in range(26)] == [False] * 24 + [True] * 2
    assert not refused("203.0.113.25")
