"""Loading a holiday year recomputes every open case and records each changed due date on the case."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications import actions
from gongkai.applications.models import Application
from gongkai.audit.models import AuditEvent
from gongkai.calendars.actions import calendar_year_delete, calendar_year_load
from gongkai.calendars.models import CalendarYear

from .helpers import register

pytestmark = pytest.mark.django_db(transaction=True)

YEAR_2027 = """year: 2027
notice: "国务院办公厅关于2027年部分节假日安排的通知（测试）"
rest_days:
  - "2027-01-01..2027-01-03"
  - "2027-01-04"
working_days: []
"""


def test_loading_2027_recomputes_open_cases_and_notes_each_change(agency, officer, fixed_today):
    fixed_today(date(2026, 12, 18))
    open_case = register(agency, officer, received=date(2026, 12, 17), description="甲文件")
    closed = register(agency, officer, received=date(2026, 12, 17), description="乙文件的通知")
    actions.application_withdraw(closed, actor=officer, on=date(2026, 12, 18))
    open_case.refresh_from_db()
    # Provisional 2027: 元旦 01-01 only, so the 20th working day after 12-17 is 2027-01-15.
    assert open_case.due_on == date(2027, 1, 15) and open_case.due_provisional
    calendar_year_load(YEAR_2027, actor=officer)  # signal after commit -> recompute
    open_case.refresh_from_db()
    assert open_case.due_on == date(2027, 1, 18) and not open_case.due_provisional
    note = open_case.events.get(kind="due_changed")
    assert note.note == "2027年放假安排已载入：答复期限 2027-01-15 → 2027-01-18"
    assert not closed.events.filter(kind="due_changed").exists()
    audit = AuditEvent.objects.get(action="applications.recompute")
    assert audit.agency == agency and audit.new == {"year": 2027, "changed": 1, "numbers": [open_case.number]}
    # Removing the year again goes back to the provisional date, and says so.
    calendar_year_delete(CalendarYear.objects.get(year=2027), actor=officer)
    open_case.refresh_from_db()
    assert open_case.due_on == date(2027, 1, 15) and open_case.due_provisional
    assert open_case.events.filter(kind="due_changed").count() == 2
    assert "已删除" in open_case.events.filter(kind="due_changed").last().note


def test_recompute_computes_identical_histories_once(agency, officer, fixed_today):
    fixed_today(date(2026, 12, 18))
    for i in range(5):
        register(agency, officer, received=date(2026, 12, 17), description=f"文件{i}号：编号{i * 7919}")
    from gongkai.applications.recompute import recompute_open_cases

    stats = recompute_open_cases(year=2027)
    assert stats["open"] == 5 and stats["computed"] == 1 and stats["due_changed"] == 0
    assert Application.objects.filter(due_on=date(2027, 1, 15)).count() == 5
