"""《条例》第四十九条 deadlines and the format of each report year, with real years."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.annualreport import ART49, report_deadline
from gongkai.law.reportformat import spec
from gongkai.law.reportformat.sections import detect_format


@pytest.mark.parametrize("year", [2019, 2020, 2023, 2024, 2025, 2026])
def test_departments_publish_by_31_january_governments_by_31_march(year):
    dept = report_deadline(year, "department")
    gov = report_deadline(year, "government")
    assert (dept.due_on, gov.due_on) == (date(year + 1, 1, 31), date(year + 1, 3, 31))
    assert not dept.local_rule and ART49 in dept.explanation
    assert f"{year}年度报告：政府部门" in dept.explanation and f"{year + 1}年1月31日前公开" in dept.explanation
    assert f"{year + 1}年3月31日前公开" in gov.explanation


def test_a_leap_year_changes_nothing_and_an_unknown_kind_counts_as_a_department():
    assert report_deadline(2023, "department").due_on == date(2024, 1, 31)
    assert report_deadline(2023, "other").due_on == date(2024, 1, 31)


def test_a_local_rule_may_set_an_earlier_day_and_says_so():
    d = report_deadline(2025, "department", {"department": (1, 28)})
    assert d.due_on == date(2026, 1, 28) and d.local_rule and "本地规定" in d.explanation
    # A rule for departments leaves governments at the article's day.
    assert report_deadline(2025, "government", {"department": (1, 28)}).due_on == date(2026, 3, 31)
    assert not report_deadline(2025, "department", {"department": (1, 31)}).local_rule


@pytest.mark.parametrize(("year", "fmt"), [
    (2019, spec.GOV2019), (2020, spec.GOV2019), (2021, spec.GOV2021), (2025, spec.GOV2021), (2040, spec.GOV2021),
])
def test_the_format_of_a_year_comes_from_the_spec(year, fmt):
    assert spec.format_for_year(year) == fmt


def test_no_format_before_2019():
    assert spec.FIRST_YEAR == 2019
    with pytest.raises(ValueError, match="2018 年度没有统一的年度报告格式"):
        spec.format_for_year(2018)


@pytest.mark.parametrize(("year", "fmt"), [(2020, spec.GOV2019), (2021, spec.GOV2021), (None, spec.GOV2021)])
def test_a_parsed_report_without_format_marks_takes_its_years_format(year, fmt):
    assert detect_format("一、总体情况 本年新收政府信息公开申请", year) == (fmt, None)
    assert detect_format("本年新收", 2018)[0] == spec.UNSUPPORTED
