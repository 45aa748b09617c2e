"""Loading and removing a year's holiday arrangement (audited; open cases recomputed after commit)."""

from __future__ import annotations

from django.db import transaction

from gongkai.audit.record import record
from gongkai.core.domain import action
from gongkai.law.calendar import CalendarDataError, parse_year_file

from .models import CalendarYear
from .signals import calendar_year_changed


def _summary(data) -> dict:
    return {
        "notice": data.notice,
        "rest_days": len(data.rest_days),
        "working_days": sorted(d.isoformat() for d in data.working_days),
    }


@action("calendars.year_load")
def calendar_year_load(text: str, *, actor) -> CalendarYear:
    """Load or replace one year from its year file; raises CalendarDataError (Chinese message)."""
    data = parse_year_file(text)
    existing = CalendarYear.objects.select_for_update().filter(year=data.year).first()
    old = _summary(parse_year_file(existing.yaml_text)) if existing else None
    row = existing or CalendarYear(year=data.year)
    row.yaml_text = text
    row.notice = data.notice
    if getattr(actor, "is_authenticated", False):
        row.loaded_by = actor
    row.save()
    record("calendars.year_load", actor=actor, subject=row, old=old, new={"year": data.year, **_summary(data)})
    transaction.on_commit(lambda: calendar_year_changed.send(sender=CalendarYear, year=data.year, actor=actor))
    return row


@action("calendars.year_delete")
def calendar_year_delete(row: CalendarYear, *, actor) -> None:
    year = row.year
    record("calendars.year_delete", actor=actor, subject=row, old=_summary(parse_year_file(row.yaml_text)))
    row.delete()
    transaction.on_commit(lambda: calendar_year_changed.send(sender=CalendarYear, year=year, actor=actor))


__all__ = ["calendar_year_load", "calendar_year_delete", "CalendarDataError"]
