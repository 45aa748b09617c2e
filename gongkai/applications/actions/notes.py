"""Free-text notes on a case (shown to staff only)."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError, action, lock

from ..models import Application, ApplicationEvent, EventKind
from ._common import _append, _check_actor


@action("applications.note")
def application_add_note(application: Application, *, actor, note: str) -> ApplicationEvent:
    _check_actor(application, actor)
    app = lock(application)
    if not (note or "").strip():
        raise DomainError("备注不能为空。", field="note")
    event = _append(app, EventKind.NOTE, system_clock.today(), actor=actor, validate=False, note=note.strip())
    record("applications.note", actor=actor, agency=app.agency, subject=app, new={"note": note.strip()})
    return event
