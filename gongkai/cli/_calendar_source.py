"""Where the CLI gets its working-day calendar.

For now the built-in calendar (chinesecalendar 2019–2026 plus the bundled year files).
The overlay of holiday years stored in the database comes later and replaces this body;
every CLI command calls ``load_calendar()`` so it picks that up without changes.
"""

from __future__ import annotations

from gongkai.law.calendar import Calendar, default_calendar


def load_calendar() -> Calendar:
    return default_calendar()
