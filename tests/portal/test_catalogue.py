"""索引号 issued at first publication, never changed or reused; catalogue filters, exports, Art. 26 flag."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.portal.models.indexnumbers import IssuedIndexNumber

from .conftest import make_policy

pytestmark = pytest.mark.django_db


def _pub(column, title, when=None, **kw):
    page = make_policy(column, title=title, **kw)
    if when:
        page.first_published_at = timezone.make_aware(datetime(*when, 10, 0))
        page.save_revision()
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def test_index_number_format_serial_and_audit(column, agency):
    a = _pub(column, "甲", when=(2020, 3, 1))
    b = _pub(column, "乙", when=(2020, 4, 1))
    c = _pub(column, "丙", when=(2021, 1, 5))
    assert a.index_number == f"{agency.credit_code}/2020-00001"
    assert b.index_number == f"{agency.credit_code}/2020-00002"
    assert c.index_number == f"{agency.credit_code}/2021-00001"
    assert len(a.index_number) == 18 + 1 + 4 + 1 + 5
    event = AuditEvent.objects.filter(action="portal.index_issue", subject_id=str(a.pk)).get()
    assert event.new == {"index_number": a.index_number} and event.agency_id == agency.pk


def test_index_number_survives_edits_unpublish_and_is_never_reused(column, agency):
    a = _pub(column, "甲", when=(2020, 3, 1))
    number = a.index_number
    draft = a.get_latest_revision_as_object()
    draft.title = "甲（修订）"
    draft.save_revision().publish()
    a.refresh_from_db()
    assert a.index_number == number
    a.unpublish()
    a.get_latest_revision().publish()
    a.refresh_from_db()
    assert a.index_number == number
    assert AuditEvent.objects.filter(action="portal.index_issue").count() == 1
    a.delete()
    b = _pub(column, "乙", when=(2020, 5, 1))
    assert b.index_number.endswith("2020-00002")
    assert IssuedIndexNumber.objects.filter(number=number).exists()


@override_settings(GONGKAI_INDEX_NUMBER_PATTERN="{credit_code}/{year}{serial:07d}")
def test_index_number_pattern_is_configurable(column, agency):
    assert _pub(column, "甲", when=(2022, 1, 4)).index_number == f"{agency.credit_code}/20220000001"


def test_article_26_delay_in_working_days(column):
    on_time = _pub(column, "按时", when=(2020, 10, 16), written_on=date(2020, 9, 25))
    late = _pub(column, "超期", when=(2020, 12, 1), written_on=date(2020, 9, 25))
    assert on_time.late_publication is None
    assert late.late_publication > 0


def test_catalogue_page_filters_and_exports(client, home, column, agency):
    from gongkai.portal.models.disclosure_pages import CataloguePage

    catalogue = CataloguePage(title="政府信息公开目录", slug="gkml")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    a = _pub(column, "优待证通知", when=(2020, 3, 1), statutory_category="11")
    b = _pub(column, "安置办法", when=(2021, 3, 1), statutory_category="01", doc_number="洛退役军人[2021]3号")
    assert b.doc_number == "洛退役军人〔2021〕3号"
    body = client.get("/gkml/").content.decode()
    assert a.index_number in body and b.index_number in body
    body = client.get("/gkml/", {"category": "11"}).content.decode()
    assert a.index_number in body and b.index_number not in body
    body = client.get("/gkml/", {"year": "2021"}).content.decode()
    assert b.index_number in body and a.index_number not in body
    body = client.get("/gkml/", {"year": "21年"}).content.decode()
    assert "年份请填写4位数字" in body
    rows = list(csv.reader(io.StringIO(client.get("/gkml/export/csv/").content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["索引号", "名称", "内容概述", "公开类别"]
    assert {r[0] for r in rows[1:]} == {a.index_number, b.index_number}
    data = json.loads(client.get("/gkml/export/json/", {"category": "01"}).content)
    assert [i["index_number"] for i in data["items"]] == [b.index_number]
    assert data["items"][0]["doc_number"] == "洛退役军人〔2021〕3号"


def test_imported_numbers_are_skipped(column, agency):
    from gongkai.portal.models.page_base import DisclosablePage

    imported = _pub(column, "导入的旧文件", when=(2020, 1, 2))
    DisclosablePage.objects.filter(pk=imported.pk).update(index_number=f"{agency.credit_code}/2020-00002")
    from gongkai.portal.models.indexnumbers import IndexNumberSequence

    IndexNumberSequence.objects.filter(agency=agency, year=2020).update(last_serial=1)
    assert _pub(column, "新文件", when=(2020, 2, 3)).index_number == f"{agency.credit_code}/2020-00003"


def test_statutory_page_counts_per_category(client, home, column):
    from gongkai.portal.models.disclosure_pages import StatutoryContentPage

    page = StatutoryContentPage(title="法定主动公开内容", slug="fdzdgknr")
    home.add_child(instance=page)
    page.save_revision().publish()
    for n in range(3):
        _pub(column, f"规范性文件{n}", statutory_category="01")
    _pub(column, "办事指南", statutory_category="05")
    body = client.get("/fdzdgknr/").content.decode()
    assert "行政法规、规章和规范性文件 <span class=\"count\">3条</span>" in body
    assert "办理结果 <span class=\"count\">1条</span>" in body


def test_pager_and_export_links_keep_the_filter_but_not_the_page():
    """The pager added `page=` to a query that had one: ?page=2&page=1&page=2… (found by the link check)."""
    from django.http import QueryDict

    from gongkai.portal.models.disclosure_pages import _without_page

    assert _without_page(QueryDict("page=2&category=01&q=低保")) == QueryDict("category=01&q=低保").urlencode()
    assert _without_page(QueryDict("")) == ""
