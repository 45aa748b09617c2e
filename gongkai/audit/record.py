"""Write one audit event; every action function calls this inside its transaction."""

from __future__ import annotations

from typing import Any

from .codes import ACTIONS
from .models import AuditEvent


def record(
    action: str,
    *,
    actor=None,
    agency=None,
    subject=None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    actor_label: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append an audit event. Unknown action codes are a programming error."""
    if action not in ACTIONS:
        raise KeyError(f"unknown audit action {action!r}: add it to gongkai/audit/codes.py")
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_obj = actor
        actor_label = actor_label or actor.get_username()
    else:
        actor_obj = None
    subject_type = subject_id = subject_label = ""
    if subject is not None:
        subject_type = f"{subject._meta.app_label}.{subject._meta.model_name}"
        subject_id = str(subject.pk)
        subject_label = str(subject)[:255]
    return AuditEvent.objects.create(
        action=action,
        actor=actor_obj,
        actor_label=actor_label[:150],
        agency=agency,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=subject_label,
        old=old,
        new=new,
        ip_address=ip_address,
    )
