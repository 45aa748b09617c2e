"""Message time limits come from the legal core: one table for the defaults and the allowed range."""

from __future__ import annotations

from gongkai.interaction.models import Category, MessageSettings
from gongkai.law.messages import DEFAULT_TIME_LIMITS, MAX_TIME_LIMIT, MIN_TIME_LIMIT


def test_every_category_has_a_default_and_the_settings_start_from_it():
    assert set(DEFAULT_TIME_LIMITS) == set(Category.values)
    fresh = MessageSettings()
    assert {c: fresh.time_limit(c) for c in Category.values} == DEFAULT_TIME_LIMITS


def test_the_settings_form_refuses_limits_outside_the_range(agency):
    import pytest

    from gongkai.core.domain import DomainError
    from gongkai.interaction.actions import message_settings_update

    with pytest.raises(DomainError, match=f"{MIN_TIME_LIMIT}至{MAX_TIME_LIMIT}之间"):
        message_settings_update(agency, actor=None, consult_days=MAX_TIME_LIMIT + 1)
    assert message_settings_update(agency, actor=None, consult_days=MAX_TIME_LIMIT).consult_days == MAX_TIME_LIMIT
