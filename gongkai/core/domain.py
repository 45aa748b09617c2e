"""What every state change has in common: one error, one lock, one status check, one decorator.

Every public function of a `gongkai/<app>/actions` module is an *action*:

    @action("applications.decide")
    def application_decide(application, *, actor, ...):
        app = lock(application)
        require_status(app, (Status.PROCESSING,), "作出答复")
        ...
        record("applications.decide", ...)

`@action(code)` makes that function atomic and audited by construction:

- at import time the code must be one of `gongkai.audit.codes.ACTIONS`;
- at call time the function runs inside `transaction.atomic()` and must, before it
  returns, have written at least one audit event (`gongkai.audit.record.record` reports
  each event through `note_recorded`) or have declared with `unchanged()` that this call
  changed nothing worth auditing (an idempotent repeat, an empty import). Otherwise it
  raises `RuntimeError` and everything it wrote is rolled back.

Actions nest: an event recorded by an inner action counts for the outer one too (unless
the inner action failed and was rolled back). `unchanged()` speaks for the innermost
action only.

A refused step raises `DomainError` (a `ValueError`) with a Chinese message saying what
is wrong and what to do; `field` names the form field to attach it to. Errors of the
pure core (`gongkai.law`: ClockError, ReportError, ...) stay the core's own.

Layering: this module imports Django and `gongkai.audit.codes` (a table of constants)
only; `gongkai.audit.record` imports `note_recorded` from here.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import Callable, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from gongkai.audit.codes import ACTIONS

__all__ = ["DomainError", "action", "lock", "note_recorded", "require_status", "unchanged"]

F = TypeVar("F", bound=Callable)


class DomainError(ValueError):
    """A refused step; the message (Chinese) says what is wrong and what to do.

    `field` names the form field to attach the message to, when there is one; `items`
    lists details (the findings that block signing a report, the wrong rows of an import).
    """

    def __init__(self, message: str, *, field: str | None = None, items: list | None = None):
        super().__init__(message)
        self.field = field
        self.items = list(items or [])


def lock(obj):
    """The row of `obj` re-read under `SELECT ... FOR UPDATE` (call inside the action's transaction)."""
    return obj._meta.model._default_manager.select_for_update().get(pk=obj.pk)


def require_status(obj, allowed, doing: str) -> None:
    """Refuse `doing` unless `obj.status` is one of `allowed`.

    The message names the record by its model's `status_noun` (a short word such as
    “申请”) or, without one, by its verbose name: “该留言当前状态为“已办结”，不能转办。”
    """
    if obj.status not in allowed:
        noun = getattr(obj, "status_noun", None) or obj._meta.verbose_name
        raise DomainError(f"该{noun}当前状态为“{obj.get_status_display()}”，不能{doing}。")


class _Frame:
    """One running action: its code, and whether it recorded or declared no change."""

    __slots__ = ("code", "recorded", "unchanged")

    def __init__(self, code: str):
        self.code = code
        self.recorded = 0
        self.unchanged = False


_frames: ContextVar[tuple[_Frame, ...]] = ContextVar("gongkai_action_frames", default=())


def note_recorded(code: str) -> None:
    """Called by `gongkai.audit.record.record` for each event: every running action has recorded."""
    for frame in _frames.get():
        frame.recorded += 1


def unchanged() -> None:
    """Declare that the running action changes nothing in this call (so it records nothing)."""
    frames = _frames.get()
    if not frames:
        raise RuntimeError("unchanged() called outside an action")
    frames[-1].unchanged = True


def action(code: str) -> Callable[[F], F]:
    """Make the decorated function an atomic action that must leave an audit record (see above)."""
    if code not in ACTIONS:
        raise ImproperlyConfigured(f"@action({code!r}): unknown audit code; add it to gongkai/audit/codes.py")

    def decorate(fn: F) -> F:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            outer = _frames.get()
            frame = _Frame(code)
            counts = [f.recorded for f in outer]
            token = _frames.set((*outer, frame))
            try:
                with transaction.atomic():
                    result = fn(*args, **kwargs)
                    if not frame.recorded and not frame.unchanged:
                        raise RuntimeError(
                            f"action {name} changed state without an audit record (its code is {code!r}; "
                            "call record(), or unchanged() when the call changes nothing)")
            except BaseException:
                # Rolled back: what this call recorded no longer counts for the actions around it.
                for f, n in zip(outer, counts):
                    f.recorded = n
                raise
            finally:
                _frames.reset(token)
            return result

        wrapper.audit_code = code
        return wrapper  # type: ignore[return-value]

    return decorate
