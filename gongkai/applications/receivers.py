"""Signal receivers: thin, each calls one action."""

from __future__ import annotations

from .actions import applications_recompute_after_calendar_change


def on_calendar_year_changed(sender, year, actor=None, **kwargs):
    """A holiday year was loaded, changed or removed: recompute every open case."""
    applications_recompute_after_calendar_change(year=year, actor=actor)
