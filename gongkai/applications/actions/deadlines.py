"""Extending the reply period (《条例》第三十三条) and a special deadline (第三十五条)."""

from __future__ import annotations

from datetime import date

from gongkai.agencies.access import has_role
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models import Application, EventKind, Status
from ._common import _append, _check_actor, _check_date, _refresh


@action("applications.extend")
def application_extend(application: Application, *, actor, on: date, reason: str, days: int = 20) -> Application:
    """Extend once by at most 20 working days; only the 公开工作机构负责人 may approve."""
    _check_actor(application, actor)
    app = lock(application)
    if actor is None or not has_role(actor, app.agency, Role.OFFICE_HEAD):
        raise DomainError("延长答复期限须经政府信息公开工作机构负责人同意（《条例》第三十三条），"
                          "您不是本机关的公开工作机构负责人，请提请负责人审批。")
    require_status(app, (Status.PROCESSING, Status.AWAITING_FEE), "延期")
    _check_date(on, "同意延期的日期")
    if not (reason or "").strip():
        raise DomainError("请写明延期的理由（将写入延期答复告知书）。", field="reason")
    old_due = app.due_on
    _append(app, EventKind.EXTENSION_APPROVED, on, actor=actor, days=days, note=reason.strip())
    _refresh(app)
    record("applications.extend", actor=actor, agency=app.agency, subject=app,
           old={"due_on": old_due.isoformat() if old_due else None},
           new={"due_on": app.due_on.isoformat() if app.due_on else None, "days": days, "on": on.isoformat(),
                "reason": reason.strip()})
    return app


@action("applications.special_deadline")
def application_set_special_deadline(application: Application, *, actor, on: date, new_due: date,
                                     reason: str) -> Application:
    """Art. 35: a reasonable later deadline for a bulk application, with its reason."""
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.PROCESSING,), "另行确定答复期限")
    _check_date(on)
    old_due = app.due_on
    _append(app, EventKind.SPECIAL_DEADLINE_SET, on, actor=actor, end=new_due, note=(reason or "").strip())
    _refresh(app)
    record("applications.special_deadline", actor=actor, agency=app.agency, subject=app,
           old={"due_on": old_due.isoformat() if old_due else None},
           new={"due_on": new_due.isoformat(), "reason": reason.strip()})
    return app
