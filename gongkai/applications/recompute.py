"""Recompute the cached clock of every open case after a holiday year changed.

Built for volume (bench/bench_clock_recompute.py: 100,000 open cases): one query reads
the clock events of all open cases, identical histories are computed once, changed
rows are written in bulk (PostgreSQL: one UPDATE from arrays; SQLite: one UPDATE per
distinct new value), and the notes are inserted with bulk_create.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Callable

from django.db import connection, transaction

from gongkai.agencies.models import Agency
from gongkai.audit.record import record
from gongkai.calendars.models import CalendarYear
from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.law.clock import CaseEvent, ClockError, compute_clock

from .models import CLOCK_KINDS, OPEN_STATUSES, Application, ApplicationEvent, EventKind


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _date(value):
    """Raw cursor values: a date on PostgreSQL, an ISO string on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _raw(queryset):
    """Run a values_list queryset through a plain cursor (no per-value converters)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(20000)
            if not rows:
                return
            yield from rows


def _update(groups: dict[tuple, list[int]]) -> None:
    """Write the new cached values: PostgreSQL in one UPDATE … FROM unnest(arrays); SQLite one
    UPDATE per distinct new value (a handful) with the ids in large chunks."""
    table = connection.ops.quote_name(Application._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, dues, provs, states = [], [], [], []
            for (due, prov, state), pks in groups.items():
                ids += pks
                dues += [due] * len(pks)
                provs += [prov] * len(pks)
                states += [state] * len(pks)
            if ids:
                cursor.execute(
                    f"UPDATE {table} AS a SET due_on = v.due, due_provisional = v.prov, clock_state = v.state "
                    f"FROM unnest(%s::bigint[], %s::date[], %s::boolean[], %s::varchar[]) AS v(id, due, prov, state) "
                    f"WHERE a.id = v.id", [ids, dues, provs, states])
            return
        limit = max(100, min(connection.features.max_query_params or 10000, 30000) - 10)
        for (due, prov, state), pks in groups.items():
            for chunk in _chunks(pks, limit):
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"UPDATE {table} SET due_on = %s, due_provisional = %s, clock_state = %s "
                               f"WHERE id IN ({marks})", [due, prov, state, *chunk])


@dataclass
class RecomputePlan:
    """What a recompute would write, computed without a transaction (see `plan_recompute`)."""

    year: int
    today: date
    last_event_id: int
    cached: dict = field(default_factory=dict)  # pk -> (agency_id, number, due, provisional, state)
    groups: dict = field(default_factory=dict)  # (due, provisional, state) -> [pk]
    changed_due: list = field(default_factory=list)  # (pk, old due, new due)
    computed: int = 0


def plan_recompute(*, year: int, record_changes: bool = True, batch: int = 2000,
                   progress: Callable[[int, int], None] | None = None) -> RecomputePlan:
    """Read every open case and compute its clock with the calendar now in force; writes nothing.

    `progress(done, total)` is called every `batch` cases (and at the end): a background job
    shows it while the cases are computed, since the writes that follow are one transaction.
    """
    calendar = current_calendar()
    today = system_clock.today()
    statuses = [s.value for s in OPEN_STATUSES]
    last_event_id = ApplicationEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    cached = {
        pk: (agency_id, number, _date(due), bool(prov), state)
        for pk, agency_id, number, due, prov, state in _raw(Application.objects.filter(status__in=statuses).values_list(
            "pk", "agency_id", "number", "due_on", "due_provisional", "clock_state"))
    }
    total = len(cached)
    if progress is not None:
        progress(0, total)
    rows = _raw(
        ApplicationEvent.objects.filter(application__status__in=statuses, kind__in=sorted(CLOCK_KINDS),
                                        id__lte=last_event_id)
        .order_by("application_id", "on", "id")
        .values_list("application_id", "kind", "on", "end", "days", "note", "ref")
    )
    memo: dict[tuple, tuple] = {}
    groups: dict[tuple, list[int]] = defaultdict(list)
    changed_due: list[tuple[int, object, object]] = []
    done = 0
    for pk, evs in groupby(rows, key=lambda r: r[0]):
        key = tuple(r[1:] for r in evs)
        result = memo.get(key)
        if result is None:
            events = [CaseEvent(kind, _date(on), _date(end), days, note or "", ref or "")
                      for kind, on, end, days, note, ref in key]
            try:
                clock = compute_clock(events, calendar, today)
                result = (clock.due, clock.provisional, clock.state)
            except ClockError:
                result = (None, False, "running")
            memo[key] = result
        agency_id, number, due, prov, state = cached.get(pk, (None, None, None, False, "running"))
        if result != (due, prov, state):
            groups[result].append(pk)
        if result[0] != due and record_changes:
            changed_due.append((pk, due, result[0]))
        done += 1
        if progress is not None and done % batch == 0:
            progress(min(done, total), total)
    if progress is not None:
        progress(total, total)
    return RecomputePlan(year=year, today=today, last_event_id=last_event_id, cached=cached, groups=dict(groups),
                         changed_due=changed_due, computed=len(memo))


def apply_recompute(plan: RecomputePlan, *, actor=None, batch: int = 2000) -> dict:
    """Write a plan: the new cached values, a note on each case whose due date moved, one audit event per agency.

    A case that got a new event after the plan was read (a step taken meanwhile) is left as
    it is: that step already computed its clock with the calendar now in force.
    """
    year, today, cached = plan.year, plan.today, plan.cached
    verb = "已载入" if CalendarYear.objects.filter(year=year).exists() else "已删除（改按暂定安排计算）"
    with transaction.atomic():
        moved = set(ApplicationEvent.objects.filter(id__gt=plan.last_event_id)
                    .values_list("application_id", flat=True).distinct())
        groups = {k: [pk for pk in pks if pk not in moved] for k, pks in plan.groups.items()}
        groups = {k: pks for k, pks in groups.items() if pks}
        changed_due = [c for c in plan.changed_due if c[0] not in moved]
        _update(groups)
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
    return {"open": len(cached), "computed": plan.computed, "updated": sum(len(v) for v in groups.values()),
            "due_changed": len(changed_due)}


def recompute_open_cases(*, year: int, actor=None, batch: int = 2000, record_changes: bool = True) -> dict:
    """Plan and write at once (the plan read inside the caller's transaction, if any)."""
    return apply_recompute(plan_recompute(year=year, record_changes=record_changes, batch=batch),
                           actor=actor, batch=batch)
