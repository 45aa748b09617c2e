from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

import pytest

from gongkai.agencies.roles import Role


@pytest.fixture
def fixed_today(monkeypatch):
    """Freeze "today" for the applications app and the annual report; returns a setter."""
    from gongkai.annualreport import selectors
    from gongkai.applications import caseclock

    state = {"today": date(2026, 3, 2)}
    monkeypatch.setattr(caseclock, "today", lambda: state["today"])
    monkeypatch.setattr(selectors, "today", lambda: state["today"])
    monkeypatch.setattr(selectors, "now", lambda: timezone.make_aware(datetime.combine(state["today"], time(10))))

    def set_today(d: date) -> date:
        state["today"] = d
        return d

    return set_today


@pytest.fixture
def officer(agency, staff_factory):
    return staff_factory(agency, Role.APPLICATION_OFFICER, "officer1")


@pytest.fixture
def head(agency, staff_factory):
    user = staff_factory(agency, Role.OFFICE_HEAD, "head1")
    user.email = "head1@example.invalid"
    user.save(update_fields=["email"])
    return user
