"""Recompute the cached clock of every open case after a holiday year changed.

Built for volume (bench/bench_clock_recompute.py: 100,000 open cases): one query reads
the clock events of all open cases, identical histories are computed once, changed
rows are written with one UPDATE per distinct new value, and the notes are inserted
with bulk_create.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.record import record
from gongkai.calendars.models import CalendarYear
from gongkai.calendars.services import current_calendar
from gongkai.law.clock import ClockError, compute_clock

from . import caseclock
from .models import CLOCK_KINDS, OPEN_STATUSES, Application, ApplicationEvent, EventKind


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def recompute_open_cases(*, year: int, actor=None, batch: int = 2000) -> dict:
    calendar = current_calendar()
    today = caseclock.today()
    loaded = CalendarYear.objects.filter(year=year).exists()
    verb = "已载入" if loaded else "已删除（改按暂定安排计算）"
    open_q = {"status__in": [s.value for s in OPEN_STATUSES]}
    cached = {
        pk: (agency_id, number, due, prov, state)
        for pk, agency_id, number, due, prov, state in Application.objects.filter(**open_q).values_list(
            "pk", "agency_id", "number", "due_on", "due_provisional", "clock_state").iterator(chunk_size=10000)
    }
    rows = (
        ApplicationEvent.objects.filter(application__status__in=open_q["status__in"], kind__in=CLOCK_KINDS)
        .order_by("application_id", "on", "id")
        .values_list("application_id", "kind", "on", "end", "days", "note", "ref")
        .iterator(chunk_size=10000)
    )
    memo: dict[tuple, tuple] = {}
    groups: dict[tuple, list[int]] = defaultdict(list)
    changed_due: list[tuple[int, object, object]] = []
    for pk, evs in groupby(rows, key=lambda r: r[0]):
        events = tuple(caseclock.to_case_event(*r[1:]) for r in evs)
        result = memo.get(events)
        if result is None:
            try:
                clock = compute_clock(events, calendar, today)
                result = (clock.due, clock.provisional, clock.state)
            except ClockError:
                result = (None, False, "running")
            memo[events] = result
        agency_id, number, due, prov, state = cached.get(pk, (None, None, None, False, "running"))
        if result != (due, prov, state):
            groups[result].append(pk)
        if result[0] != due:
            changed_due.append((pk, due, result[0]))
    with transaction.atomic():
        for (due, prov, state), pks in groups.items():
            for chunk in _chunks(pks, 900):
                Application.objects.filter(pk__in=chunk).update(due_on=due, due_provisional=prov, clock_state=state)
        user = actor if getattr(actor, "is_authenticated", False) else None
        label = actor.get_username() if user else "系统"
        notes = []
        per_agency: dict[int, list[str]] = defaultdict(list)
        for pk, old, new in changed_due:
            agency_id, number = cached[pk][0], cached[pk][1]
            per_agency[agency_id].append(number)
            text = (f"{year}年放假安排{verb}：答复期限 {old.isoformat() if old else '无'} → "
                    f"{new.isoformat() if new else '无'}")
            notes.append(ApplicationEvent(
                agency_id=agency_id, application_id=pk, kind=EventKind.DUE_CHANGED, on=today, note=text,
                data={"year": year, "old": old.isoformat() if old else None, "new": new.isoformat() if new else None},
                actor=user, actor_label=label,
            ))
        ApplicationEvent.objects.bulk_create(notes, batch_size=batch)
        agencies = Agency.objects.in_bulk(list(per_agency))
        for agency_id, numbers in per_agency.items():
            record("applications.recompute", actor=actor, agency=agencies[agency_id], new={
                "year": year, "changed": len(numbers), "numbers": sorted(numbers)[:100]})
    return {"open": len(cached), "computed": len(memo), "updated": sum(len(v) for v in groups.values()),
            "due_changed": len(changed_due)}
