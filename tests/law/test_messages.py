"""Message time limits in working days and the 3-month veto of 国办秘函〔2019〕19号, with real dates."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.calendar import default_calendar
from gongkai.law.messages import DEFAULT_TIME_LIMITS, message_deadline, veto_date

D = date.fromisoformat


@pytest.mark.parametrize(("received", "veto_on"), [
    ("2026-03-02", "2026-06-02"),
    ("2026-01-31", "2026-04-30"),  # April has no 31st: its last day
    ("2026-11-30", "2027-02-28"),  # no 29 February in 2027
    ("2027-11-30", "2028-02-29"),  # leap year 2028
    ("2027-11-29", "2028-02-29"),
    ("2028-02-29", "2028-05-29"),  # from a leap day
    ("2026-10-31", "2027-01-31"),  # across the year end
    ("2026-12-31", "2027-03-31"),
])
def test_the_veto_falls_three_calendar_months_after_receipt(received, veto_on):
    assert veto_date(D(received)) == D(veto_on)


@pytest.mark.parametrize(("received", "days", "due"), [
    ("2026-03-02", 5, "2026-03-09"),   # 3–6 and 9 March; the day of receipt is not counted
    ("2026-09-28", 5, "2026-10-10"),   # 国庆 1–7 October 2026 rest; Saturday 10 October works
    ("2025-09-26", 15, "2025-10-23"),  # Sunday 28 September and Saturday 11 October 2025 work
    ("2026-01-30", 5, "2026-02-06"),
])
def test_due_dates_follow_the_holiday_calendar(received, days, due):
    d = message_deadline(D(received), days, on=D(received), calendar=default_calendar())
    assert d.due_on == D(due) and not d.provisional
    assert f"办理时限{days}个工作日" in d.explanation


@pytest.mark.parametrize(("on", "replied", "state", "overdue", "veto"), [
    ("2026-03-03", None, "剩余4个工作日", False, False),
    ("2026-03-09", None, "今日到期", False, False),
    ("2026-03-11", None, "已超期2个工作日", True, False),
    # The last day before the veto: 16 working days in March after the 9th, 21 in April (清明 4–6
    # April), 19 in May (1–5 May rest, Saturday 9 May works), 1–2 June.
    ("2026-06-02", None, "已超期58个工作日", True, False),
    ("2026-06-03", None, "超过3个月未答复", True, True),
    ("2026-06-03", "2026-03-09", "按期答复", False, False),
    ("2026-06-03", "2026-03-10", "超期答复", True, False),  # answered late, but answered: no veto
])
def test_states_of_a_consultation_received_on_2_march_2026(on, replied, state, overdue, veto):
    d = message_deadline(D("2026-03-02"), 5, on=D(on), replied_on=D(replied) if replied else None,
                         calendar=default_calendar())
    assert (d.state_label, d.overdue, d.veto) == (state, overdue, veto)
    assert d.veto_on == D("2026-06-02")


def test_a_message_closed_without_reply_runs_no_deadline():
    d = message_deadline(D("2026-03-02"), 5, on=D("2026-07-01"), closed=True)
    assert not d.is_open and not d.overdue and not d.veto and d.state_label == "已办结"


def test_default_time_limits_are_the_local_rules():
    assert DEFAULT_TIME_LIMITS == {"consult": 5, "suggestion": 15, "complaint": 15, "director_mailbox": 15}
