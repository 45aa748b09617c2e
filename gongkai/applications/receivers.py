"""Signal receivers: thin, each calls one action or hands it to a background job."""

from __future__ import annotations

from .tasks import submit_recompute


def on_calendar_year_changed(sender, year, actor=None, **kwargs):
    """A holiday year was loaded, changed or removed: a background job recomputes every open case."""
    submit_recompute(year=year, actor=actor)
