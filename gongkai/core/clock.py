"""The one seam for "today" and "now": every app asks here, at call time.

Why one seam: deadlines (applications, messages, annual reports) are judged against the
same day everywhere, and a test freezes that day for all of them with one monkeypatch of
this module (`tests/conftest.py` fixture ``fixed_today``). Callers therefore write
``clock.today()`` after ``from gongkai.core import clock``, never ``from … import today``,
which would keep the function of import time.

Dates are the local date in Asia/Shanghai (settings.TIME_ZONE), as DESIGN.md requires.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """The current date in Asia/Shanghai."""
    return timezone.localdate()


def now() -> datetime:
    """The current aware datetime (stamps of signing, publishing, replying)."""
    return timezone.now()
