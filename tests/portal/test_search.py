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
