"""Recomputing open cases after a calendar change (decisions.md §3)."""

from __future__ import annotations

from gongkai.core.domain import action, unchanged

from ..recompute import RecomputePlan, apply_recompute, plan_recompute


@action("applications.recompute")
def applications_recompute_after_calendar_change(*, year: int, actor=None, batch: int = 2000,
                                                 plan: RecomputePlan | None = None) -> dict:
    """Recompute every open case with the calendar now in force (decisions.md §3).

    Each changed due date is written back (bulk, grouped by new value) and recorded on
    its case ("2027年放假安排已载入：答复期限 2027-01-18 → 2027-01-19"); one audit event
    per agency whose cases changed. Identical event histories are computed once.
    When no due date moved, nothing is recorded: at most the cached clock flags
    (provisional, state), which are derived from the case's events, were rewritten.

    `plan` is what `plan_recompute` computed beforehand, outside any transaction (the
    background job does so to show its progress); without it the plan is computed here.
    """
    if plan is None:
        plan = plan_recompute(year=year, batch=batch)
    elif plan.year != year:
        raise ValueError(f"plan for {plan.year}, not {year}")
    stats = apply_recompute(plan, actor=actor, batch=batch)
    if not stats["due_changed"]:
        unchanged()
    return stats
