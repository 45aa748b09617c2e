"""Helpers shared by the case actions: the actor check, dates, the case log and the cached clock."""

from __future__ import annotations

from datetime import date

from gongkai.agencies.access import can_change
from gongkai.audit.record import system_label
from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError
from gongkai.law.clock import ClockError, validate_event

from .. import caseclock
from ..models import Application, ApplicationEvent, Status


def _check_actor(application_or_agency, actor) -> None:
    agency = getattr(application_or_agency, "agency", application_or_agency)
    if actor is not None and not can_change(actor, agency):
        raise DomainError("您没有办理本机关申请的权限。")


def _check_date(on: date, what: str = "日期", field: str = "on") -> date:
    if not isinstance(on, date):
        raise DomainError(f"请填写{what}（格式 YYYY-MM-DD）。", field=field)
    if on > system_clock.today():
        raise DomainError(f"{what} {on} 晚于今天，不能登记未来的日期。", field=field)
    return on


def _actor_label(actor) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else (system_label() or "系统")


def _append(app: Application, kind: str, on: date, *, actor, end=None, days=None, ref="", note="",
            data=None, validate: bool = True) -> ApplicationEvent:
    """Append one event; clock events are validated against the case's history first."""
    if validate:
        new = caseclock.to_case_event(kind, on, end, days, note, ref)
        try:
            validate_event(caseclock.case_events(app), new, current_calendar())
        except ClockError as exc:
            raise DomainError(str(exc)) from None
    return ApplicationEvent.objects.create(
        agency_id=app.agency_id, application=app, kind=kind, on=on, end=end, days=days, ref=ref, note=note,
        data=data or {}, actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
    )


def _refresh(app: Application, fields: tuple[str, ...] = ()) -> None:
    """Recompute the cached clock values and save them with `fields`."""
    result = caseclock.clock_for(app)
    app.due_on = result.due
    app.due_provisional = result.provisional
    app.clock_state = result.state
    app.save(update_fields=[*fields, "due_on", "due_provisional", "clock_state"])


def _close(app: Application, outcome: str, on: date, basis: str, status: str = Status.CLOSED) -> None:
    app.status = status
    app.outcome = outcome
    app.decided_on = on
    app.outcome_basis = basis
