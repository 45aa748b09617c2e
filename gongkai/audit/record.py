"""Write one audit event; every action (`gongkai.core.domain.action`) calls this inside its transaction.

The event is appended to the hash chain (`chain.py`) under a lock, so two writers can
never both take the same predecessor (which would fork the chain): on PostgreSQL a
transaction-scoped advisory lock, on SQLite the database write lock (taken by a write
statement that touches no row), elsewhere a row lock on the last event. The unique
``seq`` is the last line of defence: a writer that slipped past the lock fails instead
of forking.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from gongkai.core.domain import note_recorded

from . import chain
from .codes import ACTIONS
from .models import AuditEvent

ADVISORY_LOCK_KEY = 0x676B_6175  # "gkau": the audit chain's PostgreSQL advisory lock

_system_label: ContextVar[str] = ContextVar("gongkai_audit_system_label", default="")


@contextmanager
def system_actor(label: str) -> Iterator[None]:
    """Within the block, events recorded without a person are signed `label` (e.g. “系统自动”).

    For steps the system takes by itself (a window that lapsed): the actions it calls keep
    their usual signature (`actor=None`) and their audit rows still say who acted.
    """
    token = _system_label.set(label)
    try:
        yield
    finally:
        _system_label.reset(token)


def system_label() -> str:
    """The label of the running `system_actor` block, or "" outside one."""
    return _system_label.get()


def _lock_chain(using: str) -> None:
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        elif connection.vendor == "sqlite":
            # A write statement takes SQLite's RESERVED lock even when it matches no row.
            cursor.execute(f"UPDATE {table} SET seq = seq WHERE 0")  # noqa: S608 - constant


def append(event: AuditEvent) -> AuditEvent:
    """Give an unsaved event its place in the chain (seq, prev_hash, hash) and insert it."""
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        _lock_chain(using)
        last = AuditEvent.objects.using(using).order_by("-seq")
        if connections[using].vendor not in ("postgresql", "sqlite"):
            last = last.select_for_update()
        head = last.values_list("seq", "hash").first()
        event.seq = head[0] + 1 if head else 1
        event.prev_hash = head[1] if head else ""
        if event.at is None:
            event.at = timezone.now()
        event.hash = chain.event_hash(chain.values_of(event))
        event.save(force_insert=True, using=using)
    return event


def _json(value):
    """What the database gives back for a JSON value (tuples become lists, keys strings)."""
    return None if value is None else json.loads(json.dumps(value))


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
        actor_label = actor_label or _system_label.get()
    subject_type = subject_id = subject_label = ""
    if subject is not None:
        subject_type = f"{subject._meta.app_label}.{subject._meta.model_name}"
        subject_id = str(subject.pk)
        subject_label = str(subject)[:255]
    if ip_address:
        try:
            ip_address = str(ipaddress.ip_address(ip_address.strip()))
        except ValueError:
            ip_address = None
    event = append(AuditEvent(
        at=timezone.now(),
        action=action,
        actor=actor_obj,
        actor_label=actor_label[:150],
        agency=agency,
        subject_type=subject_type[:100],
        subject_id=subject_id[:64],
        subject_label=subject_label,
        old=_json(old),
        new=_json(new),
        ip_address=ip_address or None,
    ))
    note_recorded(action)  # the running action (gongkai.core.domain) has left its record
    return event
