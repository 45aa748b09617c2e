"""Asking for a correction and what follows (《条例》第三十条)."""

from __future__ import annotations

from datetime import date

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models import Application, EventKind, Status
from gongkai.law.replies import REPLY_TYPES as OUTCOMES
from ._common import _append, _check_actor, _check_date, _close, _refresh


@action("applications.request_correction")
def application_request_correction(application: Application, *, actor, on: date, items: list[str],
                                   period_end: date) -> Application:
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.PROCESSING,), "告知补正")
    _check_date(on, "告知日期")
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise DomainError("请一次性列明需要补正的全部事项（每行一项）。", field="items")
    if not isinstance(period_end, date) or period_end <= on:
        raise DomainError("补正期限应晚于告知日期，请给申请人合理的补正期限。", field="period_end")
    _append(app, EventKind.CORRECTION_REQUESTED, on, actor=actor, end=period_end, note="\n".join(items),
            data={"items": items})
    app.status = Status.AWAITING_CORRECTION
    _refresh(app, ("status",))
    record("applications.request_correction", actor=actor, agency=app.agency, subject=app,
           old={"status": Status.PROCESSING}, new={"status": app.status, "on": on.isoformat(),
                                                    "period_end": period_end.isoformat(), "items": items})
    return app


@action("applications.record_correction")
def application_record_correction(application: Application, *, actor, on: date, note: str = "") -> Application:
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.AWAITING_CORRECTION,), "登记收到补正")
    _check_date(on, "收到补正的日期")
    _append(app, EventKind.CORRECTED, on, actor=actor, note=note.strip())
    app.status = Status.PROCESSING
    _refresh(app, ("status",))
    record("applications.record_correction", actor=actor, agency=app.agency, subject=app,
           old={"status": Status.AWAITING_CORRECTION},
           new={"status": app.status, "on": on.isoformat(), "due_on": app.due_on.isoformat()})
    return app


@action("applications.correction_expired")
def application_correction_expired(application: Application, *, actor, on: date) -> Application:
    """The applicant let the correction period pass: treated as abandoned (report row （六）1)."""
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.AWAITING_CORRECTION,), "登记逾期未补正")
    _check_date(on)
    _append(app, EventKind.CORRECTION_EXPIRED, on, actor=actor)
    _close(app, "result.other.no_correction", on, OUTCOMES["result.other.no_correction"].basis)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    record("applications.correction_expired", actor=actor, agency=app.agency, subject=app,
           old={"status": Status.AWAITING_CORRECTION}, new={"status": app.status, "outcome": app.outcome,
                                                             "decided_on": on.isoformat()})
    return app
