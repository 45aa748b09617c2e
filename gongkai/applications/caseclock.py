"""Bridge between stored case events and the pure clock (`gongkai.law.clock`)."""

from __future__ import annotations

from datetime import date

from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.law.clock import CaseEvent, ClockResult, compute_clock

from .models import CLOCK_KINDS, Application, ApplicationEvent


def to_case_event(kind: str, on: date, end: date | None, days: int | None, note: str, ref: str) -> CaseEvent:
    return CaseEvent(kind=kind, on=on, end=end, days=days, note=note or "", ref=ref or "")


def case_events(application: Application) -> list[CaseEvent]:
    """The clock events of a case, in the order they were recorded."""
    rows = (
        ApplicationEvent.objects.filter(application=application, kind__in=CLOCK_KINDS)
        .order_by("on", "id")
        .values_list("kind", "on", "end", "days", "note", "ref")
    )
    return [to_case_event(*row) for row in rows]


def clock_for(application: Application, *, on: date | None = None, calendar=None) -> ClockResult:
    """The clock of a case today (or at `on`), with the calendar in force."""
    return compute_clock(case_events(application), calendar or current_calendar(), on or system_clock.today())


STATE_LABELS = {"running": "计时中", "stopped": "计时暂停", "closed": "已办结"}
