"""Windows that end by themselves: on exactly the right day, with real holiday years, never before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gongkai.law.calendar import default_calendar
from gongkai.law.clock import CaseEvent, compute_clock
from gongkai.law.lapses import lapsed_windows

CAL = default_calendar()


def ev(kind, on, **kw):
    return CaseEvent(kind=kind, on=on, **kw)


# (letter sent, window's last day counted by hand from the State Council notices)
CONSULTATIONS = [
    # 2026: 中秋 09-25–09-27, 国庆 10-01–10-07, Saturday 10-10 a working day.
    (date(2026, 9, 24), date(2026, 10, 22)),
    # 2025: 国庆+中秋 10-01–10-08, Sunday 09-28 and Saturday 10-11 working days.
    (date(2025, 9, 26), date(2025, 10, 23)),
    # 2026 plain: 15 working days from Monday 9 March → Monday 30 March.
    (date(2026, 3, 9), date(2026, 3, 30)),
]


@pytest.mark.parametrize(("sent", "last_day"), CONSULTATIONS)
def test_a_consultation_lapses_the_day_after_its_window(sent, last_day):
    events = [ev("received", sent - timedelta(days=1)),
              ev("consultation_sent", sent, days=15, ref="c1")]
    for today in (sent, last_day - timedelta(days=1), last_day):
        check = lapsed_windows(events, CAL, today=today)
        assert check.lapses == ()
        assert [(p.kind, p.window_end, p.lapses_on) for p in check.pending] == [
            ("consultation", last_day, last_day + timedelta(days=1))]
    check = lapsed_windows(events, CAL, today=last_day + timedelta(days=1))
    [lapse] = check.lapses
    assert (lapse.kind, lapse.ref, lapse.window_end, lapse.on) == ("consultation", "c1", last_day, last_day)
    assert "逾期未答复" in lapse.text and "第三十二条" in lapse.article


@pytest.mark.parametrize(("sent", "last_day"), CONSULTATIONS)
def test_recording_the_lapse_keeps_the_due_date_the_clock_assumed(sent, last_day):
    events = [ev("received", sent - timedelta(days=1)), ev("consultation_sent", sent, days=15, ref="c1")]
    assumed = compute_clock(events, CAL, today=sent).due
    lapse = lapsed_windows(events, CAL, today=last_day + timedelta(days=1)).lapses[0]
    after = [*events, ev("consultation_answered", lapse.on, ref="c1")]
    result = compute_clock(after, CAL, today=last_day + timedelta(days=1))
    assert result.due == assumed and result.state == "running"


# (applicant received the fee notice, last day to pay)
FEES = [
    # 2026 春节 02-15–02-23; Saturdays 02-14 and 02-28 are working days.
    (date(2026, 1, 30), date(2026, 3, 5)),
    # Across a year: 2025 元旦 01-01, 春节 01-28–02-04, Sunday 01-26 a working day.
    (date(2024, 12, 31), date(2025, 2, 5)),
]


@pytest.mark.parametrize(("received", "last_day"), FEES)
def test_an_unpaid_fee_closes_the_case_the_day_after_its_window(received, last_day):
    events = [ev("received", received - timedelta(days=10)), ev("fee_notice_sent", received - timedelta(days=1)),
              ev("fee_notice_received", received)]
    for today in (received, last_day):
        assert lapsed_windows(events, CAL, today=today).lapses == ()
    [lapse] = lapsed_windows(events, CAL, today=last_day + timedelta(days=1)).lapses
    assert (lapse.kind, lapse.window_end, lapse.on) == ("fee", last_day, last_day + timedelta(days=1))
    # The clock accepts the expiry on that day (and refuses it a day earlier).
    closed = compute_clock([*events, ev("fee_expired", lapse.on)], CAL, today=lapse.on)
    assert closed.state == "closed" and not closed.warnings
    early = compute_clock([*events, ev("fee_expired", last_day)], CAL, today=last_day)
    assert early.state != "closed" and early.warnings


def test_a_fee_notice_without_a_receipt_date_never_lapses_and_says_why():
    events = [ev("received", date(2026, 1, 5)), ev("fee_notice_sent", date(2026, 1, 6))]
    check = lapsed_windows(events, CAL, today=date(2027, 6, 1))
    assert check.lapses == ()
    [held] = check.held
    assert held.kind == "fee" and held.lapses_on is None and "未登记申请人收到收费通知的日期" in held.text


def test_answered_paid_and_closed_cases_have_nothing_to_lapse():
    base = [ev("received", date(2026, 3, 2)), ev("consultation_sent", date(2026, 3, 3), ref="c1"),
            ev("consultation_answered", date(2026, 3, 10), ref="c1"),
            ev("fee_notice_sent", date(2026, 3, 11)), ev("fee_notice_received", date(2026, 3, 12)),
            ev("fee_paid", date(2026, 3, 13))]
    assert lapsed_windows(base, CAL, today=date(2026, 12, 31)) == lapsed_windows(base, CAL, today=date(2026, 3, 14))
    assert lapsed_windows(base, CAL, today=date(2026, 12, 31)).lapses == ()
    decided = [ev("received", date(2026, 3, 2)), ev("consultation_sent", date(2026, 3, 3), ref="c1"),
               ev("decided", date(2026, 3, 5))]
    check = lapsed_windows(decided, CAL, today=date(2026, 12, 31))
    assert check.lapses == () and check.pending == ()


def test_a_case_closed_for_an_unpaid_fee_drops_a_consultation_window_ending_later():
    events = [ev("received", date(2026, 1, 5)), ev("fee_notice_sent", date(2026, 1, 29)),
              ev("fee_notice_received", date(2026, 1, 30)),
              ev("consultation_sent", date(2026, 2, 27), ref="c1")]  # window ends after 6 March
    check = lapsed_windows(events, CAL, today=date(2026, 4, 30))
    assert [(x.kind, x.on) for x in check.lapses] == [("fee", date(2026, 3, 6))]
    earlier = [*events[:3], ev("consultation_sent", date(2026, 2, 2), ref="c2")]  # window ends 28 February, before
    check = lapsed_windows(earlier, CAL, today=date(2026, 4, 30))
    assert [x.kind for x in check.lapses] == ["consultation", "fee"]
