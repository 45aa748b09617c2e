"""Where the CLI gets its working-day calendar: the built-in years plus those in the database.

Years loaded by staff (`gongkai calendar load`, or the admin) live in the database. When
the database is not set up yet (a fresh checkout before `make demo`) the built-in
calendar is the whole truth, since no year can have been loaded.
"""

from __future__ import annotations

import sys

from gongkai.cli._django import setup
from gongkai.law.calendar import Calendar, default_calendar


def load_calendar() -> Calendar:
    try:
        setup()
        # CLI before setup(): Django and the apps are imported only once it has run
        from django.db.utils import OperationalError, ProgrammingError

        from gongkai.calendars.services import current_calendar

        try:
            return current_calendar()
        except (OperationalError, ProgrammingError) as exc:
            if "calendars_calendaryear" in str(exc) or "no such table" in str(exc):
                return default_calendar()  # not migrated yet: nothing can have been loaded
            raise
    except Exception as exc:  # noqa: BLE001 - the built-in calendar still answers
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"提示：无法读取数据库中载入的放假安排（{first}），仅使用内置日历。", file=sys.stderr)
        return default_calendar()
