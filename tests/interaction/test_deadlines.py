"""Due dates are derived from the calendar in force, never stored: a new holiday year moves them."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.calendars import actions as calendar_actions
from gongkai.interaction.deadlines import message_deadline

from .conftest import make_message

pytestmark = pytest.mark.django_db

YEAR_2027 = """\
year: 2027
notice: 国办发明电〔2026〕99号（测试）
notice_date: 2026-11-20
rest_days:
  - 2027-01-01
  - 2027-01-04..2027-01-08
working_days:
  - 2027-01-09
"""


def test_loading_a_holiday_year_moves_open_due_dates(agency):
    from gongkai.interaction.actions import message_settings_update

    message_settings_update(agency, actor=None, complaint_days=30)
    message = make_message(agency, category="complaint", received_on=date(2026, 11, 26))
    before = message_deadline(message, on=date(2026, 11, 26))
    assert before.provisional and "暂按法定节假日推算" in before.explanation
    calendar_actions.calendar_year_load(YEAR_2027, actor=None)
    message.refresh_from_db()
    after = message_deadline(message, on=date(2026, 11, 26))
    assert not after.provisional
    # Provisionally only 1 January rests; the notice adds 4–8 January and makes Saturday 9 January a
    # working day, so the 30th working day moves from 8 to 14 January, with nothing stored changed.
    assert (before.due_on, after.due_on) == (date(2027, 1, 8), date(2027, 1, 14))
