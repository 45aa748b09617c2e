"""Working days (工作日) for statutory periods, with holiday years as data.

A working day is a Monday–Friday that is not a rest day of the year's State Council
holiday notice, or a Saturday/Sunday that the notice declares a working day (调休)
(decisions.md §2; 《国务院关于职工工作时间的规定》第七条).

Where the data comes from, for a year Y:

1. ``years`` passed to :class:`Calendar` (e.g. years stored in the database) — win;
2. the bundled year files ``gongkai/law/calendar_data/*.yaml`` (files whose name starts
   with ``_`` are examples and are not loaded);
3. ``chinesecalendar`` for 2019–2026 (it raises ``NotImplementedError`` for later years,
   which is why the other two sources exist);
4. otherwise the year is **provisional** (decisions.md §3): weekends plus the statutory
   holidays of 《全国年节及纪念日放假办法》 (2024 revision), no 调休, and every result that
   counts a day of such a year says so. Nothing ever falls back silently to Mon–Fri.

Year boundary rule: a notice for year Y may name days up to 7 days outside Y (the 2019
notice made 2018-12-29 a working Saturday and 2018-12-30/31 rest days; the 2023 notice
named 2022-12-31). A year file may therefore list dates from Y-1-12-25 to Y+1-01-07 and
nothing further out. For a date in such a window the notice of the *later* year wins,
because it was issued later. Because the notice for Y+1 can still move 25–31 December of
Y, a count that reaches those days is provisional while Y+1 is provisional.

Performance: each year is turned once into a sorted array of working-day ordinals, so
``add_working_days(start, 40)`` is two bisects and an index.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import yaml

__all__ = [
    "BOUNDARY_DAYS",
    "CHINESECALENDAR_YEARS",
    "Calendar",
    "CalendarDataError",
    "WorkingDayResult",
    "YearData",
    "add_working_days",
    "default_calendar",
    "dump_year_file",
    "is_working_day",
    "parse_year_file",
    "provisional_year_data",
    "qingming",
    "working_days_between",
    "year_status",
]

#: How many days on either side of a year its notice may name (see module docstring).
BOUNDARY_DAYS = 7
#: Years taken from the ``chinesecalendar`` package.
CHINESECALENDAR_YEARS = range(2019, 2027)
#: Range of years the calendar can compute at all (limits of the lunar tables).
MIN_YEAR, MAX_YEAR = 1901, 2099

_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Notices of the official years (titles and gov.cn links quoted in chinesecalendar's data
# file, see regulation.md §3.2).
_NOTICES = {
    2019: ("国务院办公厅关于2019年部分节假日安排的通知", "www.gov.cn/xinwen/2018-12/06/content_5346287.htm；"
           "劳动节调整：www.gov.cn/zhengce/content/2019-03/22/content_5375877.htm"),
    2020: ("国务院办公厅关于2020年部分节假日安排的通知", "www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm；"
           "春节延长：www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm"),
    2021: ("国务院办公厅关于2021年部分节假日安排的通知", "www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm"),
    2022: ("国务院办公厅关于2022年部分节假日安排的通知", "www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm"),
    2023: ("国务院办公厅关于2023年部分节假日安排的通知", "www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm"),
    2024: ("国务院办公厅关于2024年部分节假日安排的通知", "www.gov.cn/zhengce/content/202310/content_6911527.htm"),
    2025: ("国务院办公厅关于2025年部分节假日安排的通知", "www.gov.cn/zhengce/content/202411/content_6986382.htm"),
    2026: ("国务院办公厅关于2026年部分节假日安排的通知", "www.gov.cn/zhengce/content/202511/content_7047090.htm"),
}


class CalendarDataError(ValueError):
    """Holiday data that cannot be used; the message (Chinese) says what to fix."""


def _check_date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} 应为 datetime.date（不是 {type(value).__name__}）")
    return value


def _fmt(d: date) -> str:
    return f"{d.isoformat()}（{_WEEKDAYS_ZH[d.weekday()]}）"


def _window(year: int) -> tuple[date, date]:
    return (date(year - 1, 12, 31) - timedelta(days=BOUNDARY_DAYS - 1),
            date(year + 1, 1, 1) + timedelta(days=BOUNDARY_DAYS - 1))


@dataclass(frozen=True)
class YearData:
    """One year's holiday arrangement, as published in the State Council notice.

    ``rest_days`` are the days off of the notice (holidays and moved days); they may
    include the Saturdays/Sundays inside a holiday block, which are rest days anyway.
    ``working_days`` are the Saturdays/Sundays the notice makes working days (调休).
    Both may reach ``BOUNDARY_DAYS`` into the neighbouring years. Invalid data raises
    :class:`CalendarDataError` at construction, wherever it comes from.
    """

    year: int
    rest_days: frozenset[date]
    working_days: frozenset[date]
    notice: str = ""
    notice_date: date | None = None
    source: str = "file"  # "chinesecalendar" | "file" | "database" | "provisional"
    region: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rest_days", frozenset(self.rest_days))
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise CalendarDataError(f"year（年份）应为整数，例如 2027，而不是 {self.year!r}。")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise CalendarDataError(f"年份 {self.year} 超出可计算的范围（{MIN_YEAR}–{MAX_YEAR}）。")
        lo, hi = _window(self.year)
        for label, days in (("rest_days（放假）", self.rest_days), ("working_days（上班）", self.working_days)):
            for d in sorted(days):
                if isinstance(d, datetime) or not isinstance(d, date):
                    raise CalendarDataError(f"{label} 中的 {d!r} 不是日期。")
                if not lo <= d <= hi:
                    raise CalendarDataError(
                        f"{label} 中的 {d.isoformat()} 不在 {self.year} 年内。一份年度安排只能列本年的日期，"
                        f"以及与本年相邻的 {BOUNDARY_DAYS} 天（{lo.isoformat()} 至 {hi.isoformat()}，"
                        f"用于通知中跨年的元旦安排）。"
                    )
        both = self.rest_days & self.working_days
        if both:
            d = min(both)
            raise CalendarDataError(
                f"{_fmt(d)} 同时列在 rest_days（放假）和 working_days（上班）中，只能属于其中之一。"
            )
        for d in sorted(self.working_days):
            if d.weekday() < 5:
                raise CalendarDataError(
                    f"working_days 只能列调休上班的星期六、星期日；{_fmt(d)} 本来就是工作日，"
                    f"请删去它，或检查日期是否写错。"
                )
        if self.notice_date is not None and (
            isinstance(self.notice_date, datetime) or not isinstance(self.notice_date, date)
        ):
            raise CalendarDataError(f"notice_date（通知日期）应为日期 YYYY-MM-DD，而不是 {self.notice_date!r}。")

    @property
    def provisional(self) -> bool:
        return self.source == "provisional"


@dataclass(frozen=True)
class WorkingDayResult:
    """The day reached by counting working days, and whether a provisional year was used."""

    date: date
    provisional: bool
    provisional_years: tuple[int, ...] = ()


# --------------------------------------------------------------------------------------
# Provisional years: statutory holidays of the 2024 rules, computed.


def qingming(year: int) -> date:
    """清明 (solar longitude 15°) in Beijing time, by the standard 21st-century formula.

    day = ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋ with Y = year − 2000 (the "寿星" approximation of the
    solar term); it gives the correct date for every year 2000–2099. Outside that range
    the 20th-century constant (5.59) is used for 1901–1999.
    """
    if 2000 <= year <= 2099:
        y = year - 2000
        return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)
    if 1901 <= year <= 1999:
        y = year - 1900
        return date(year, 4, int(y * 0.2422 + 5.59) - y // 4)
    raise CalendarDataError(f"无法推算 {year} 年的清明（仅支持 1901–2099 年）。")


def _lunar(year: int, month: int, day: int) -> date:
    # law: imports unchanged (house rule); lunardate only to project holidays of years without a notice
    from lunardate import LunarDate

    return LunarDate(year, month, day, False).to_solar_date()


@functools.lru_cache(maxsize=256)
def provisional_year_data(year: int) -> YearData:
    """The statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision) for ``year``.

    元旦 1 day, 春节 4 days from 除夕 (lunar calendar), 清明 1, 劳动节 2 (1–2 May), 端午 1
    (lunar 5/5), 中秋 1 (lunar 8/15), 国庆 3 (1–3 Oct). No 调休 and no working weekend
    days; **a holiday that falls on a Saturday or Sunday is not moved** to a weekday,
    because only the year's notice says where it goes. Used only until the notice is
    loaded, and every result computed from it is marked provisional (decisions.md §3).
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarDataError(f"年份 {year} 超出可计算的范围（{MIN_YEAR}–{MAX_YEAR}）。")
    spring = _lunar(year, 1, 1)
    rest = {
        date(year, 1, 1),
        *(spring + timedelta(days=i) for i in range(-1, 3)),  # 除夕, 正月初一至初三
        qingming(year),
        date(year, 5, 1),
        date(year, 5, 2),
        _lunar(year, 5, 5),
        _lunar(year, 8, 15),
        date(year, 10, 1),
        date(year, 10, 2),
        date(year, 10, 3),
    }
    # 中秋 may fall on 1–3 Oct; the set simply holds the date once.
    return YearData(
        year=year,
        rest_days=frozenset(rest),
        working_days=frozenset(),
        source="provisional",
        note=(f"暂定：{year} 年放假安排尚未载入，按《全国年节及纪念日放假办法》（2024年修订）的法定节日推算"
              f"（春节 {spring.isoformat()}），未含调休；节日逢周末不顺延。"),
    )


# --------------------------------------------------------------------------------------
# chinesecalendar years


def _chinesecalendar_year(year: int) -> YearData:
    # law: imports unchanged (house rule); chinese_calendar only when its years are used
    from chinese_calendar import constants

    def mine(d: date, holiday: object) -> bool:
        # Late-December days named "New Year's Day" belong to the next year's notice.
        new_year = "New Year" in str(holiday)
        if d.year == year:
            return not (d.month == 12 and new_year)
        return d.year == year - 1 and d.month == 12 and new_year and d >= _window(year)[0]

    rest = frozenset(d for d, h in constants.holidays.items() if mine(d, h))
    work = frozenset(d for d, h in constants.workdays.items() if mine(d, h))
    title, links = _NOTICES.get(year, ("", ""))
    return YearData(
        year=year, rest_days=rest, working_days=work, notice=title,
        source="chinesecalendar", note=links,
    )


@functools.lru_cache(maxsize=1)
def _builtin_years() -> dict[int, YearData]:
    years = {y: _chinesecalendar_year(y) for y in CHINESECALENDAR_YEARS}
    package = importlib.resources.files("gongkai.law") / "calendar_data"
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and not entry.name.startswith("_"):
            try:
                data = parse_year_file(entry.read_text(encoding="utf-8"))
            except CalendarDataError as exc:
                raise CalendarDataError(f"内置放假安排文件 {entry.name} 有误：{exc}") from exc
            years[data.year] = data
    return years


# --------------------------------------------------------------------------------------
# The calendar


@dataclass(frozen=True)
class _YearIndex:
    base: int  # ordinal of 1 January
    flags: bytes  # flags[i] == 1 if base+i is a working day
    ordinals: tuple[int, ...]  # sorted ordinals of the working days of the year
    provisional: bool


class Calendar:
    """Working days for any date 1901–2099; years without a loaded notice are provisional."""

    def __init__(self, years: Mapping[int, YearData] | None = None, *, builtin: bool = True):
        data: dict[int, YearData] = dict(_builtin_years()) if builtin else {}
        for key, value in (years or {}).items():
            if not isinstance(value, YearData):
                raise TypeError(f"years[{key!r}] 应为 YearData")
            if key != value.year:
                raise CalendarDataError(f"年份键 {key} 与数据中的年份 {value.year} 不一致。")
            data[key] = value
        self._data = data
        self._index: dict[int, _YearIndex] = {}

    def __repr__(self) -> str:
        loaded = ", ".join(f"{y}:{d.source}" for y, d in sorted(self._data.items()))
        return f"Calendar({loaded})"

    # -- data --------------------------------------------------------------------------

    def with_year(self, data: YearData) -> Calendar:
        """A new calendar with ``data`` replacing whatever this one had for its year."""
        return Calendar({**self._data, data.year: data}, builtin=False)

    @property
    def loaded_years(self) -> tuple[int, ...]:
        return tuple(sorted(y for y, d in self._data.items() if not d.provisional))

    def year_status(self, year: int) -> str:
        """``"official"`` when the year's notice is loaded, else ``"provisional"``."""
        data = self._data.get(year)
        return "official" if data is not None and not data.provisional else "provisional"

    def year_data(self, year: int) -> YearData:
        """The loaded data for ``year``, or the computed provisional data."""
        return self._data.get(year) or provisional_year_data(year)

    # -- per-year index ----------------------------------------------------------------

    def _explicit(self, d: date) -> bool | None:
        """What a loaded notice says about ``d`` (True working, False rest), or None.

        The notice of the later year wins for the days a notice names across the year
        boundary; a loaded notice always beats provisional data.
        """
        for y in (d.year + 1, d.year, d.year - 1):
            data = self._data.get(y)
            if data is None or data.provisional:
                continue
            if d in data.working_days:
                return True
            if d in data.rest_days:
                return False
        own = self.year_data(d.year)
        if own.provisional:
            if d in own.working_days:
                return True
            if d in own.rest_days:
                return False
        return None

    def _year(self, year: int) -> _YearIndex:
        index = self._index.get(year)
        if index is not None:
            return index
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CalendarDataError(f"日期超出可计算的范围（{MIN_YEAR}–{MAX_YEAR} 年）。")
        first = date(year, 1, 1)
        base = first.toordinal()
        length = date(year, 12, 31).toordinal() - base + 1
        own = self.year_data(year)
        flags = bytearray(length)
        for i in range(length):
            d = date.fromordinal(base + i)
            if (d.month == 1 and d.day <= BOUNDARY_DAYS) or (d.month == 12 and d.day > 31 - BOUNDARY_DAYS):
                explicit = self._explicit(d)
            elif d in own.working_days:
                explicit = True
            elif d in own.rest_days:
                explicit = False
            else:
                explicit = None
            flags[i] = (d.weekday() < 5) if explicit is None else explicit
        ordinals = tuple(base + i for i in range(length) if flags[i])
        index = _YearIndex(base, bytes(flags), ordinals, self.year_status(year) == "provisional")
        self._index[year] = index
        return index

    # -- queries -----------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        _check_date(d, "日期")
        index = self._year(d.year)
        return bool(index.flags[d.toordinal() - index.base])

    def add_working_days(self, start: date, n: int) -> WorkingDayResult:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted).

        decisions.md §1: day 1 of a period is the first working day after the start
        date. ``n == 0`` returns ``start`` unchanged.
        """
        _check_date(start, "起算日期")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"工作日天数应为非负整数，而不是 {n!r}。")
        if n == 0:
            return WorkingDayResult(start, False, ())
        year = start.year
        index = self._year(year)
        pos = bisect_right(index.ordinals, start.toordinal())
        remaining = n
        while pos + remaining > len(index.ordinals):
            remaining -= len(index.ordinals) - pos
            year += 1
            index = self._year(year)
            pos = 0
        result = date.fromordinal(index.ordinals[pos + remaining - 1])
        return WorkingDayResult(result, *self._provisional_span(start, result))

    def provisional_span(self, a: date, b: date) -> tuple[int, ...]:
        """Provisional years whose data decides the days ``a < d <= b``."""
        return self._provisional_span(a, b)[1]

    def _provisional_span(self, a: date, b: date) -> tuple[bool, tuple[int, ...]]:
        if b <= a:
            return False, ()
        first = (a + timedelta(days=1)).year
        years = {y for y in range(first, b.year + 1) if self._year(y).provisional}
        # 25–31 December of b.year can still be moved by the next year's notice.
        if b >= date(b.year, 12, 31) - timedelta(days=BOUNDARY_DAYS - 1) and (
            self.year_status(b.year + 1) == "provisional" and b.year + 1 <= MAX_YEAR
        ):
            years.add(b.year + 1)
        found = tuple(sorted(years))
        return bool(found), found

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days ``d`` with ``a < d <= b``; negative if ``b < a``."""
        _check_date(a, "日期")
        _check_date(b, "日期")
        if b < a:
            return -self.working_days_between(b, a)
        first = self._year(a.year).ordinals
        if a.year == b.year:
            return bisect_right(first, b.toordinal()) - bisect_right(first, a.toordinal())
        total = len(first) - bisect_right(first, a.toordinal())
        for year in range(a.year + 1, b.year):
            total += len(self._year(year).ordinals)
        return total + bisect_right(self._year(b.year).ordinals, b.toordinal())

    def next_working_day(self, d: date) -> date:
        """The first working day after ``d``."""
        return self.add_working_days(d, 1).date

    def working_days_in(self, start: date, end: date) -> list[date]:
        """The working days ``start < d <= end``, in order."""
        out: list[date] = []
        for year in range(start.year, end.year + 1):
            index = self._year(year)
            lo = bisect_right(index.ordinals, start.toordinal())
            hi = bisect_right(index.ordinals, end.toordinal())
            out.extend(date.fromordinal(o) for o in index.ordinals[lo:hi])
        return out


# --------------------------------------------------------------------------------------
# Module-level helpers


@functools.lru_cache(maxsize=1)
def default_calendar() -> Calendar:
    """The built-in calendar (chinesecalendar 2019–2026 plus the bundled year files)."""
    return Calendar()


def is_working_day(d: date, calendar: Calendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(d)


def add_working_days(start: date, n: int, calendar: Calendar | None = None) -> WorkingDayResult:
    return (calendar or default_calendar()).add_working_days(start, n)


def working_days_between(a: date, b: date, calendar: Calendar | None = None) -> int:
    return (calendar or default_calendar()).working_days_between(a, b)


def year_status(year: int, calendar: Calendar | None = None) -> str:
    return (calendar or default_calendar()).year_status(year)


# --------------------------------------------------------------------------------------
# Year files

class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date gets our message, not PyYAML's."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_KEYS = {"year", "notice", "notice_date", "rest_days", "working_days", "region", "note"}
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _parse_date(value: object, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    match = _DATE_RE.match(text)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    raise CalendarDataError(
        f"无法识别的日期“{text}”（位于 {where}）：日期应写成 YYYY-MM-DD，例如 2027-02-05，"
        f"连续的日期可写成区间 2027-02-05..2027-02-11。"
    )


def _parse_days(value: object, where: str) -> frozenset[date]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise CalendarDataError(f"{where} 应为日期列表（每行一个“- YYYY-MM-DD”或“- YYYY-MM-DD..YYYY-MM-DD”）。")
    days: set[date] = set()
    for item in value:
        if isinstance(item, str) and ".." in item:
            left, _, right = item.partition("..")
            a, b = _parse_date(left, where), _parse_date(right, where)
            if b < a:
                raise CalendarDataError(f"{where} 中的区间“{item}”起止颠倒：应先写较早的日期。")
            if (b - a).days > 40:
                raise CalendarDataError(f"{where} 中的区间“{item}”长达 {(b - a).days + 1} 天，不像一次放假，请检查。")
            days.update(a + timedelta(days=i) for i in range((b - a).days + 1))
        else:
            days.add(_parse_date(item, where))
    return frozenset(days)


def parse_year_file(text: str) -> YearData:
    """Read one year file (YAML); raise :class:`CalendarDataError` with one Chinese message.

    Format::

        year: 2027
        notice: 国办发明电〔2026〕N号
        notice_date: 2026-11-01
        region: ""            # optional: the area the file applies to
        note: ""              # optional
        rest_days:            # days off (single dates or ranges)
          - 2027-01-01
          - 2027-02-05..2027-02-11
        working_days:         # Saturdays/Sundays that are working days (调休)
          - 2027-02-14
    """
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行附近" if mark is not None else ""
        raise CalendarDataError(
            f"放假安排文件不是有效的 YAML：{where}格式有误，请检查缩进、冒号和列表前的“- ”。"
        ) from None
    if not isinstance(raw, dict):
        raise CalendarDataError("放假安排文件应由“键: 值”组成（year、notice、rest_days、working_days 等）。")
    unknown = sorted(str(k) for k in raw if k not in _KEYS)
    if unknown:
        raise CalendarDataError(
            f"未知字段：{'、'.join(unknown)}。允许的字段为 year、notice、notice_date、rest_days、working_days、region、note。"
        )
    if raw.get("year") is None:
        raise CalendarDataError("缺少 year（年份），例如“year: 2027”。")
    year = raw["year"]
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int):
        raise CalendarDataError(f"year（年份）应为整数，例如 2027，而不是“{raw['year']}”。")
    notice_date = raw.get("notice_date")
    return YearData(
        year=year,
        rest_days=_parse_days(raw.get("rest_days"), "rest_days"),
        working_days=_parse_days(raw.get("working_days"), "working_days"),
        notice=str(raw.get("notice") or ""),
        notice_date=None if notice_date in (None, "") else _parse_date(notice_date, "notice_date"),
        source="file",
        region=str(raw.get("region") or ""),
        note=str(raw.get("note") or ""),
    )


def _ranges(days: Iterable[date]) -> list[str]:
    out: list[str] = []
    run: list[date] = []
    for d in sorted(days):
        if run and d - run[-1] == timedelta(days=1):
            run.append(d)
            continue
        if run:
            out.append(run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}")
        run = [d]
    if run:
        out.append(run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}")
    return out


def dump_year_file(data: YearData) -> str:
    """Write ``data`` in the year-file format; ``parse_year_file`` reads it back unchanged."""

    def q(s: str) -> str:
        return yaml.safe_dump(s, allow_unicode=True, default_style='"').strip().removesuffix("\n...")

    lines = [f"year: {data.year}", f"notice: {q(data.notice)}"]
    if data.notice_date is not None:
        lines.append(f"notice_date: {data.notice_date.isoformat()}")
    if data.region:
        lines.append(f"region: {q(data.region)}")
    if data.note:
        lines.append(f"note: {q(data.note)}")
    for key, days in (("rest_days", data.rest_days), ("working_days", data.working_days)):
        items = _ranges(days)
        if items:
            lines.append(f"{key}:")
            lines.extend(f'  - "{item}"' for item in items)
        else:
            lines.append(f"{key}: []")
    return "\n".join(lines) + "\n"
