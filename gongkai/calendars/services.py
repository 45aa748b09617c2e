"""The calendar in force: built-in years overlaid with the years stored in the database."""

from __future__ import annotations

from dataclasses import replace

from gongkai.law.calendar import Calendar, parse_year_file

from .models import CalendarYear

_cache: dict[tuple, Calendar] = {}


def current_calendar() -> Calendar:
    """Return the Calendar for deadline computations, rebuilt only when stored years change."""
    rows = list(CalendarYear.objects.order_by("year").values_list("year", "loaded_at", "yaml_text"))
    stamp = tuple((year, loaded_at) for year, loaded_at, _ in rows)
    calendar = _cache.get(stamp)
    if calendar is None:
        years = {}
        for year, _loaded_at, text in rows:
            years[year] = replace(parse_year_file(text), source="database")
        calendar = Calendar(years)
        _cache.clear()
        _cache[stamp] = calendar
    return calendar
