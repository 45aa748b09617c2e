"""Working days: real holiday years 2019–2026, provisional years, year files."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law.calendar import (
    Calendar,
    CalendarDataError,
    YearData,
    add_working_days,
    default_calendar,
    dump_year_file,
    is_working_day,
    parse_year_file,
    provisional_year_data,
    qingming,
    working_days_between,
    year_status,
)

D = date.fromisoformat

# regulation.md §3.2, transcribed: year -> (rest blocks, working weekend days)
TABLE = {
    2019: (["2018-12-30..2019-01-01", "02-04..02-10", "04-05", "05-01..05-04", "06-07", "09-13", "10-01..10-07"],
           ["2018-12-29", "02-02", "02-03", "04-28", "05-05", "09-29", "10-12"]),
    2020: (["01-01", "01-24..02-02", "04-04..04-06", "05-01..05-05", "06-25..06-27", "10-01..10-08"],
           ["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"]),
    2021: (["01-01..01-03", "02-11..02-17", "04-03..04-05", "05-01..05-05", "06-12..06-14", "09-19..09-21", "10-01..10-07"],
           ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"]),
    2022: (["01-01..01-03", "01-31..02-06", "04-03..04-05", "04-30..05-04", "06-03..06-05", "09-10..09-12", "10-01..10-07"],
           ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"]),
    2023: (["2022-12-31..2023-01-02", "01-21..01-27", "04-05", "04-29..05-03", "06-22..06-24", "09-29..10-06"],
           ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"]),
    2024: (["01-01", "02-10..02-17", "04-04..04-06", "05-01..05-05", "06-10", "09-15..09-17", "10-01..10-07"],
           ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
    2025: (["01-01", "01-28..02-04", "04-04..04-06", "05-01..05-05", "05-31..06-02", "10-01..10-08"],
           ["01-26", "02-08", "04-27", "09-28", "10-11"]),
    2026: (["01-01..01-03", "02-15..02-23", "04-04..04-06", "05-01..05-05", "06-19..06-21", "09-25..09-27", "10-01..10-07"],
           ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]),
}


def _day(year: int, text: str) -> date:
    return D(text) if len(text) == 10 else D(f"{year}-{text}")


def _expand(year: int, items: list[str]) -> set[date]:
    out: set[date] = set()
    for item in items:
        left, _, right = item.partition("..")
        a = _day(year, left)
        b = _day(year, right) if right else a
        while a <= b:
            out.add(a)
            a += timedelta(days=1)
    return out


@pytest.mark.parametrize("year", sorted(TABLE))
def test_regulation_table_rest_days_are_not_working_days(year):
    rest, _ = TABLE[year]
    for d in _expand(year, rest):
        assert not is_working_day(d), d


@pytest.mark.parametrize("year", sorted(TABLE))
def test_regulation_table_adjusted_weekends_are_working_days(year):
    _, work = TABLE[year]
    for d in _expand(year, work):
        assert d.weekday() >= 5, d
        assert is_working_day(d), d


@pytest.mark.parametrize("year", sorted(TABLE))
def test_regulation_table_matches_chinesecalendar_on_every_working_day(year):
    """Every day of the year: weekday-and-not-rest or adjusted weekend, per the table.

    The table (regulation.md §3.2) omits a few weekend days that chinesecalendar lists
    inside holiday blocks (2019 清明/端午/中秋, 2023-12-30/31 before 2024 元旦); they are
    weekends, so both agree on every working day.
    """
    rest, work = TABLE[year]
    rest_days, work_days = _expand(year, rest), _expand(year, work)
    d = date(year, 1, 1)
    while d.year == year:
        expected = d in work_days or (d.weekday() < 5 and d not in rest_days)
        assert is_working_day(d) is expected, d
        d += timedelta(days=1)


def test_chinesecalendar_lists_weekend_days_the_table_omits():
    cal = default_calendar()
    assert {D("2019-04-06"), D("2019-04-07"), D("2019-06-08"), D("2019-09-15")} <= cal.year_data(2019).rest_days
    assert {D("2023-12-30"), D("2023-12-31")} <= cal.year_data(2024).rest_days


def test_official_years_are_official_and_2027_is_provisional():
    for year in range(2019, 2027):
        assert year_status(year) == "official"
        assert default_calendar().year_data(year).source == "chinesecalendar"
    assert year_status(2027) == "provisional"
    assert default_calendar().year_data(2027).source == "provisional"


def test_2019_notice_reaches_into_december_2018():
    # 2018-12-29 (Saturday) was a working day, 12-30/31 rest days, by the 2019 notice.
    assert is_working_day(D("2018-12-29"))
    assert not is_working_day(D("2018-12-31"))
    # 27 Dec 2018 (Thu) + 3: 28 Fri, 29 Sat (调休), [30, 31, 1 Jan rest], 2 Jan.
    result = add_working_days(D("2018-12-27"), 3)
    assert result.date == D("2019-01-02")
    # 28 December 2018 is decided by provisional data for 2018 (no notice loaded).
    assert result.provisional and result.provisional_years == (2018,)


def test_2020_extension_made_saturday_1_february_a_rest_day():
    assert not is_working_day(D("2020-02-01"))
    assert not is_working_day(D("2020-01-31"))
    assert is_working_day(D("2020-02-03"))


# 20 working days across each Spring Festival, worked out by hand from the notices.
SPRING_FESTIVAL = [
    # 2019: 28 Jan (Mon); 29,30,31, 1 Feb, Sat 2 + Sun 3 (调休) = 6; rest 4–10 Feb;
    # 11–15 = 11, 18–22 = 16, 25,26,27,28 = 20.
    ("2019-01-28", "2019-02-28"),
    # 2020 (holiday extended to 2 Feb): 20 Jan (Mon); 21,22,23 = 3; rest 24 Jan–2 Feb;
    # 3–7 Feb = 8, 10–14 = 13, 17–21 = 18, 24, 25 = 20.
    ("2020-01-20", "2020-02-25"),
    # 2020: 17 Jan (Fri); Sun 19 Jan (调休) = 1, 20–23 = 5; 3–7 Feb = 10, 10–14 = 15, 17–21 = 20.
    ("2020-01-17", "2020-02-21"),
    # 2021: 3 Feb (Wed); 4, 5, Sun 7 (调休), 8, 9, 10 = 6; rest 11–17; 18, 19, Sat 20 = 9;
    # 22–26 = 14; 1–5 Mar = 19; 8 Mar = 20.
    ("2021-02-03", "2021-03-08"),
    # 2022: 24 Jan (Mon); 25–28 = 4, Sat 29 + Sun 30 = 6; rest 31 Jan–6 Feb; 7–11 = 11,
    # 14–18 = 16, 21–24 = 20.
    ("2022-01-24", "2022-02-24"),
    # 2023: 17 Jan (Tue); 18, 19, 20 = 3; rest 21–27; Sat 28 + Sun 29 = 5; 30, 31 Jan,
    # 1–3 Feb = 10; 6–10 = 15; 13–17 = 20.
    ("2023-01-17", "2023-02-17"),
    # 2024: 1 Feb (Thu); 2 Feb = 1, Sun 4 = 2, 5–9 = 7; rest 10–17; Sun 18 = 8; 19–23 = 13;
    # 26 Feb–1 Mar = 18; 4, 5 Mar = 20.
    ("2024-02-01", "2024-03-05"),
    # 2025: 22 Jan (Wed); 23, 24 = 2, Sun 26 = 3, 27 = 4; rest 28 Jan–4 Feb; 5, 6, 7 = 7,
    # Sat 8 = 8; 10–14 = 13; 17–21 = 18; 24, 25 = 20.
    ("2025-01-22", "2025-02-25"),
    # 2026: 9 Feb (Mon); 10–13 = 4, Sat 14 = 5; rest 15–23; 24–27 = 9, Sat 28 = 10;
    # 2–6 Mar = 15; 9–13 = 20.
    ("2026-02-09", "2026-03-13"),
]


@pytest.mark.parametrize(("received", "due"), SPRING_FESTIVAL)
def test_twenty_working_days_across_spring_festival(received, due):
    result = add_working_days(D(received), 20)
    assert result.date == D(due)
    assert not result.provisional
    assert result.provisional_years == ()
    assert working_days_between(D(received), D(due)) == 20


def test_working_days_in_2019():
    # 261 weekdays − 17 weekday rest days + 6 working weekend days = 250.
    assert working_days_between(D("2019-01-01"), D("2020-01-01")) == 250
    assert working_days_between(D("2020-01-01"), D("2019-01-01")) == -250


# --- provisional years ---------------------------------------------------------------

def test_provisional_2027_holidays_from_the_lunar_calendar():
    data = provisional_year_data(2027)
    assert data.source == "provisional"
    assert data.working_days == frozenset()
    # 除夕 2027-02-05, 春节 02-06; 清明 04-05; 端午 (lunar 5/5) 06-09; 中秋 (8/15) 09-15.
    assert data.rest_days == {
        D("2027-01-01"),
        D("2027-02-05"), D("2027-02-06"), D("2027-02-07"), D("2027-02-08"),
        D("2027-04-05"),
        D("2027-05-01"), D("2027-05-02"),
        D("2027-06-09"),
        D("2027-09-15"),
        D("2027-10-01"), D("2027-10-02"), D("2027-10-03"),
    }


def test_lunardate_agrees_on_spring_festival_2027():
    from lunardate import LunarDate

    assert LunarDate.from_solar_date(2027, 2, 6) == LunarDate(2027, 1, 1)
    eve = LunarDate.from_solar_date(2027, 2, 5)  # 除夕: last day of the 12th month (a short one)
    assert (eve.year, eve.month, eve.day) == (2026, 12, 29)


def test_provisional_count_across_spring_festival_2027():
    # 1 Feb 2027 (Mon); 2, 3, 4 = 3; rest Fri 5 (除夕), weekend, Mon 8 (初三);
    # 9–12 = 7; 15–19 = 12; 22–26 = 17; 1, 2, 3 Mar = 20. No 调休 in provisional mode.
    result = add_working_days(D("2027-02-01"), 20)
    assert result.date == D("2027-03-03")
    assert result.provisional
    assert result.provisional_years == (2027,)


def test_count_from_2026_into_2027_is_provisional():
    # 15 Dec 2026 (Tue); 16–18 = 3; 21–25 = 8; 28–31 = 12; 1 Jan 2027 rest; 4–8 = 17; 11–13 = 20.
    result = add_working_days(D("2026-12-15"), 20)
    assert result.date == D("2027-01-13")
    assert result.provisional_years == (2027,)


def test_late_december_waits_for_next_years_notice():
    # Entirely inside official 2026: not provisional.
    early = add_working_days(D("2026-12-01"), 10)
    assert early.date == D("2026-12-15") and not early.provisional
    # Reaches 25–31 December 2026, which the 2027 notice may still move.
    late = add_working_days(D("2026-12-01"), 20)
    assert late.date == D("2026-12-29")
    assert late.provisional_years == (2027,)


def test_provisional_holiday_on_weekend_is_not_moved():
    # 2028: 元旦 is a Saturday; provisional mode does not give Monday 3 January off.
    assert D("2028-01-01").weekday() == 5
    assert is_working_day(D("2028-01-03"))


def test_loading_a_year_file_makes_the_year_official():
    text = """
year: 2027
notice: 国办发明电〔2026〕99号（测试）
notice_date: 2026-11-01
rest_days:
  - 2027-01-01..2027-01-03
  - 2027-02-05..2027-02-12
working_days:
  - 2027-02-20
"""
    cal = default_calendar().with_year(parse_year_file(text))
    assert cal.year_status(2027) == "official"
    assert default_calendar().year_status(2027) == "provisional"  # unchanged
    assert not cal.is_working_day(D("2027-02-11"))
    assert cal.is_working_day(D("2027-02-20"))
    # 1 Feb 2027 (Mon); 2, 3, 4 = 3; rest 5–12; 15–19 = 8; Sat 20 = 9; 22–26 = 14;
    # 1–5 Mar = 19; 8 Mar = 20.
    result = cal.add_working_days(D("2027-02-01"), 20)
    assert result.date == D("2027-03-08")
    assert not result.provisional


def test_years_argument_overrides_chinesecalendar():
    regional = YearData(year=2026, rest_days={D("2026-03-03")}, working_days=frozenset(),
                        source="database", region="某自治州")
    cal = Calendar({2026: regional})
    assert not cal.is_working_day(D("2026-03-03"))
    assert cal.is_working_day(D("2026-02-16"))  # only the regional data counts now
    assert Calendar(builtin=False).year_status(2026) == "provisional"


@pytest.mark.parametrize("year", range(2008, 2027))
def test_qingming_formula_falls_in_the_official_qingming_holiday(year):
    from chinese_calendar import constants

    official = {d for d, h in constants.holidays.items() if d.year == year and "Tomb" in str(h)}
    assert qingming(year) in official


@pytest.mark.parametrize(("year", "day"), [(2019, 5), (2020, 4), (2022, 5), (2023, 5), (2024, 4),
                                           (2025, 4), (2026, 5), (2027, 5), (2028, 4), (2029, 4)])
def test_qingming_known_dates(year, day):
    assert qingming(year) == date(year, 4, day)


def test_chinesecalendar_itself_refuses_2027():
    import chinese_calendar

    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D("2027-03-01"))


def test_next_working_day_and_zero():
    cal = default_calendar()
    assert cal.next_working_day(D("2025-09-30")) == D("2025-10-09")
    assert cal.add_working_days(D("2025-10-01"), 0).date == D("2025-10-01")


def test_datetime_and_negative_counts_are_rejected():
    from datetime import datetime

    with pytest.raises(TypeError):
        is_working_day(datetime(2025, 1, 1, 12))
    with pytest.raises(ValueError):
        add_working_days(D("2025-01-01"), -1)


# --- year files ------------------------------------------------------------------------

def test_year_file_round_trip_of_every_official_year():
    for year in range(2019, 2027):
        data = default_calendar().year_data(year)
        again = parse_year_file(dump_year_file(data))
        assert (again.year, again.rest_days, again.working_days, again.notice) == (
            data.year, data.rest_days, data.working_days, data.notice)


def test_2023_file_may_name_2022_12_31():
    data = parse_year_file("year: 2023\nrest_days: [2022-12-31..2023-01-02]\n")
    assert D("2022-12-31") in data.rest_days


BAD_FILES = [
    ("year: 2027\nrest_days: [2027-01-01\n", "不是有效的 YAML"),
    ("- 2027-01-01\n", "键: 值"),
    ("notice: 某通知\nrest_days: [2027-01-01]\n", "缺少 year"),
    ("year: 二〇二七\n", "应为整数"),
    ("year: 2027\nrest_days: [2027-02-14]\nworking_days: [2027-02-14]\n", "同时列在"),
    ("year: 2027\nworking_days: [2027-02-10]\n", "本来就是工作日"),
    ("year: 2027\nrest_days: [2027-13-01]\n", "无法识别的日期“2027-13-01”"),
    ("year: 2027\nrest_days: [2027-02-30]\n", "无法识别的日期“2027-02-30”"),
    ("year: 2027\nrest_days: [next friday]\n", "无法识别的日期“next friday”"),
    ("year: 2027\nrest_days: [2026-12-24]\n", "不在 2027 年内"),
    ("year: 2027\nrest_days: [2028-01-08]\n", "不在 2027 年内"),
    ("year: 2027\nrest_days: [2027-06-01]\n", None),  # valid
    ("year: 2027\nrest_days: [2027-02-11..2027-02-05]\n", "起止颠倒"),
    ("year: 2027\nrest_day: [2027-02-05]\n", "未知字段：rest_day"),
    ("year: 2027\nrest_days: 2027-02-05\n", "应为日期列表"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_year_files(text, message):
    if message is None:
        parse_year_file(text)
        return
    with pytest.raises(CalendarDataError, match=message) as info:
        parse_year_file(text)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_boundary_rule_allows_exactly_seven_days():
    parse_year_file("year: 2027\nrest_days: [2026-12-25, 2028-01-07]\n")
    with pytest.raises(CalendarDataError):
        parse_year_file("year: 2027\nworking_days: [2028-01-08]\n")


def test_example_file_is_valid_and_not_loaded():
    from importlib.resources import files

    text = (files("gongkai.law") / "calendar_data" / "_example-2026.yaml").read_text(encoding="utf-8")
    data = parse_year_file(text)
    assert data.rest_days == default_calendar().year_data(2026).rest_days
    assert default_calendar().year_data(2026).source == "chinesecalendar"


# --- properties --------------------------------------------------------------------------

dates = st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=120)


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=1, max_value=120))
def test_result_is_a_working_day_after_start(start, n):
    result = add_working_days(start, n).date
    assert result > start
    assert is_working_day(result)


@settings(max_examples=300, deadline=None)
@given(dates, counts)
def test_between_inverts_add(start, n):
    assert working_days_between(start, add_working_days(start, n).date) == n


@settings(max_examples=300, deadline=None)
@given(dates, dates, counts)
def test_monotonic(a, b, n):
    a, b = min(a, b), max(a, b)
    assert add_working_days(a, n).date <= add_working_days(b, n).date
    assert add_working_days(a, n).date <= add_working_days(a, n + 1).date


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_between_matches_day_by_day_count(a, b):
    if abs((b - a).days) > 400:
        b = a + timedelta(days=(b - a).days % 400)
    lo, hi = min(a, b), max(a, b)
    count = sum(is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert working_days_between(lo, hi) == count
