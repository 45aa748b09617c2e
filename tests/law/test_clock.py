"""The application clock (《条例》第三十条至第三十五条), with hand-counted real dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law.calendar import Calendar, add_working_days, default_calendar, is_working_day
from gongkai.law.clock import CaseEvent, ClockError, ClockResult, compute_clock, count_with_pauses, validate_event

D = date.fromisoformat
E = CaseEvent
R = E("received", D("2025-03-03"))  # Monday; no holiday until 清明 (4–6 April 2025)


def clock(*events, today=None) -> ClockResult:
    return compute_clock(list(events), default_calendar(), today=today)


def test_plain_case():
    # 4–7 Mar = 4, 10–14 = 9, 17–21 = 14, 24–28 = 19, 31 Mar = 20.
    r = clock(R, today=D("2025-03-03"))
    assert r.due == D("2025-03-31")
    # Correction notice: 4, 5, 6, 7, 10, 11, 12 March.
    assert r.correction_notice_due == D("2025-03-12")
    assert (r.state, r.days_left, r.provisional) == ("running", 20, False)
    assert r.explanation[0].article == "《条例》第三十一条"
    assert r.explanation[1].article == "《条例》第三十三条第一款"
    assert "2025-03-31" in r.explanation[1].text


@pytest.mark.parametrize(("today", "left"), [("2025-03-28", 1), ("2025-03-29", 1), ("2025-03-31", 0),
                                             ("2025-04-02", -2), ("2025-04-07", -4)])
def test_days_left(today, left):
    # After the due date: 1, 2, 3 April, (4–6 April 清明), 7 April = 4th working day late.
    assert clock(R, today=D(today)).days_left == left


def test_spring_festival_2020_extension_case():
    r = clock(E("received", D("2020-01-20")))
    assert r.due == D("2020-02-25")


def test_correction_stops_then_restarts_from_zero():
    asked = clock(R, E("correction_requested", D("2025-03-05"), end=D("2025-03-19")), today=D("2025-03-10"))
    assert asked.due is None
    assert asked.state == "stopped"
    assert "补正" in asked.state_reason and "2025-03-19" in asked.state_reason
    assert asked.days_left is None
    # Corrected application arrives Thu 20 March: 21 = 1, 24–28 = 6, 31 = 7, 1–3 Apr = 10,
    # (4 Apr 清明), 7–11 = 15, 14–18 = 20.
    done = clock(R, E("correction_requested", D("2025-03-05")), E("corrected", D("2025-03-20")))
    assert done.due == D("2025-04-18")
    assert done.start == D("2025-03-20")
    assert done.state == "running"
    assert [line.article for line in done.explanation].count("《条例》第三十条") == 2


def test_late_correction_notice_is_stated():
    r = clock(R, E("correction_requested", D("2025-03-13")))
    assert "晚于法定期限" in r.explanation[2].text


def test_correction_expired_closes_the_case():
    r = clock(R, E("correction_requested", D("2025-03-05"), end=D("2025-03-19")),
              E("correction_expired", D("2025-03-20")))
    assert r.state == "closed"
    assert "视为放弃申请" in r.state_reason
    assert r.due is None


def test_overlapping_consultations_and_extension():
    events = [R,
              E("consultation_sent", D("2025-03-10"), end=D("2025-03-20")),
              E("consultation_sent", D("2025-03-14"), end=D("2025-03-25"))]
    # Excluded 11–25 March. Counted: 4–7, 10 = 5; 26–28 = 8; 31 = 9; 1–3 Apr = 12;
    # 7–11 = 17; 14, 15, 16 = 20.
    r = compute_clock(events, today=D("2025-03-18"))
    assert r.due == D("2025-04-16")
    assert r.state == "stopped" and "征求意见" in r.state_reason
    assert r.paused_days == 11
    assert r.days_left == 15  # 5 of 20 used before the pause
    assert "只扣除一次" in r.explanation[3].text
    # Extension on 1 April: 17, 18 = 22; 21–25 = 27; Sun 27 Apr (调休) = 28; 28–30 = 31;
    # (1–5 May holiday) 6–9 May = 35; 12–16 = 40.
    r = compute_clock([*events, E("extension_approved", D("2025-04-01"))])
    assert r.due == D("2025-05-16")
    assert r.extension_days == 20
    assert r.explanation[-1].article == "《条例》第三十三条第一款"


def test_open_consultation_counts_its_whole_window_until_answered():
    sent = E("consultation_sent", D("2025-03-10"))
    # Window: 15 working days after 10 March = 31 March; excluded 11–31 March.
    # Counted: 4–7, 10 = 5; 1–3 Apr = 8; 7–11 = 13; 14–18 = 18; 21, 22 = 20.
    r = clock(R, sent)
    assert r.due == D("2025-04-22")
    assert r.state == "stopped"
    assert "尚未收到意见" in r.explanation[2].text
    # After the window the agency decides without the answer: the clock runs again.
    assert clock(R, sent, today=D("2025-04-02")).state == "running"
    # The answer arrives on 14 March: only 11–14 March (4 days) are excluded.
    r = clock(R, sent, E("consultation_answered", D("2025-03-14")))
    assert r.due == D("2025-04-07")
    assert r.state == "running"


def test_consultation_after_the_due_date_does_not_extend_it():
    r = clock(R, E("consultation_sent", D("2025-04-02"), end=D("2025-04-10")))
    assert r.due == D("2025-03-31")
    assert "已届满，不再顺延" in r.explanation[2].text


def test_consultation_answers_pair_by_ref():
    events = [R,
              E("consultation_sent", D("2025-03-10"), ref="third-party-A"),
              E("consultation_sent", D("2025-03-11"), ref="organ-B"),
              E("consultation_answered", D("2025-03-12"), ref="organ-B"),
              E("consultation_answered", D("2025-03-14"), ref="third-party-A")]
    # Excluded 11–14 March = 4 days → 31 March + 4 = 1, 2, 3, 7 April.
    assert compute_clock(events).due == D("2025-04-07")


def test_fee_notice_pause_and_payment():
    events = [R, E("fee_notice_sent", D("2025-03-05")), E("fee_notice_received", D("2025-03-07"))]
    # Payment window: 20 working days from 8 March (day after receipt): 10–14 = 5, 17–21 = 10,
    # 24–28 = 15, 31 = 16, 1–3 Apr = 19, 7 Apr = 20.
    r = compute_clock(events, today=D("2025-03-20"))
    assert r.fee_payment_due == D("2025-04-07")
    assert r.state == "stopped" and "信息处理费" in r.state_reason
    # Paid on 12 March: excluded 6–12 March = 5 days; 31 March + 5 = 1, 2, 3, 7, 8 April.
    paid = compute_clock([*events, E("fee_paid", D("2025-03-12"))], today=D("2025-03-20"))
    assert paid.due == D("2025-04-08")
    assert paid.state == "running"
    assert paid.fee_payment_due is None


def test_unpaid_fee_closes_the_case():
    events = [R, E("fee_notice_sent", D("2025-03-05")), E("fee_notice_received", D("2025-03-07"))]
    late = compute_clock(events, today=D("2025-04-08"))
    assert late.state == "stopped" and "逾期未缴费" in late.state_reason
    with pytest.raises(ClockError, match="期满后"):
        validate_event(events, E("fee_expired", D("2025-04-07")))
    validate_event(events, E("fee_expired", D("2025-04-08")))
    closed = compute_clock([*events, E("fee_expired", D("2025-04-08"))])
    assert closed.state == "closed"
    assert closed.explanation[-1].article.startswith("《政府信息公开信息处理费管理办法》")


def test_special_deadline_article_35():
    r = clock(R, E("special_deadline_set", D("2025-03-20"), end=D("2025-06-30"), note="申请数量明显超过合理范围"))
    assert r.due == D("2025-06-30")
    assert r.explanation[-1].article == "《条例》第三十五条"
    assert "申请数量明显超过合理范围" in r.explanation[-1].text
    with pytest.raises(ClockError, match="理由"):
        validate_event([R], E("special_deadline_set", D("2025-03-20"), end=D("2025-06-30")))
    with pytest.raises(ClockError, match="应晚于"):
        validate_event([R], E("special_deadline_set", D("2025-03-20"), end=D("2025-03-28"), note="多"))


def test_decision_on_time_and_late():
    assert clock(R, E("decided", D("2025-03-31"))).on_time is True
    late = clock(R, E("decided", D("2025-04-01")), E("delivered", D("2025-04-02")))
    assert late.on_time is False
    assert late.state == "closed" and "超过答复期限" in late.state_reason
    assert "2025-04-02 送达" in late.state_reason


def test_withdrawn():
    r = clock(R, E("withdrawn", D("2025-03-10")), today=D("2025-04-10"))
    assert r.state == "closed" and "撤回" in r.state_reason
    assert r.days_left is None


def test_provisional_year_is_marked():
    # 15 Dec 2026 + 20 → 13 January 2027 (see test_calendar).
    r = clock(E("received", D("2026-12-15")))
    assert r.due == D("2027-01-13")
    assert r.provisional and r.provisional_years == (2027,)
    assert "2027 年放假安排尚未载入" in r.explanation[-1].text


@pytest.mark.parametrize(("history", "new", "message"), [
    ([], E("decided", D("2025-03-05")), "收到申请"),
    ([R], E("received", D("2025-03-04")), "重复"),
    ([R], E("decided", D("2025-03-01")), "早于收到申请之日"),
    ([R, E("decided", D("2025-03-10"))], E("correction_requested", D("2025-03-11")), "已于 2025-03-10 办结"),
    ([R, E("correction_requested", D("2025-03-04")), E("corrected", D("2025-03-06"))],
     E("correction_requested", D("2025-03-07")), "一次性告知"),
    ([R], E("corrected", D("2025-03-06")), "尚未告知补正"),
    ([R, E("extension_approved", D("2025-03-20"))], E("extension_approved", D("2025-03-21")), "只能延长一次"),
    ([R], E("extension_approved", D("2025-04-01")), "届满前"),
    ([R], E("extension_approved", D("2025-03-20"), days=25), "最长不得超过 20"),
    ([R, E("correction_requested", D("2025-03-04"))], E("extension_approved", D("2025-03-05")), "补正期间"),
    ([R, E("correction_requested", D("2025-03-04"))], E("decided", D("2025-03-05")), "补正期间"),
    ([R], E("consultation_answered", D("2025-03-05")), "没有尚未答复"),
    ([R], E("fee_paid", D("2025-03-05")), "没有未缴费"),
    ([R, E("fee_notice_sent", D("2025-03-04"))], E("fee_notice_sent", D("2025-03-05")), "已有未缴费"),
    ([R], E("delivered", D("2025-03-05")), "尚未作出答复"),
    ([R, E("withdrawn", D("2025-03-05"))], E("consultation_sent", D("2025-03-06")), "办结或终止"),
    ([R], E("reopened", D("2025-03-05")), "未知的事件类型"),
])
def test_illegal_transitions(history, new, message):
    with pytest.raises(ClockError, match=message) as info:
        validate_event(history, new)
    assert isinstance(info.value, ValueError)


def test_extension_on_the_due_date_is_allowed():
    validate_event([R], E("extension_approved", D("2025-03-31")))


def test_compute_tolerates_irregular_history():
    # e.g. a calendar change moved the due date before an already approved extension.
    r = clock(R, E("extension_approved", D("2025-04-01")), E("extension_approved", D("2025-04-02")))
    assert r.due == D("2025-03-31")
    assert len(r.warnings) == 2
    assert r.explanation[-1].article == "注意"
    with pytest.raises(ClockError):
        compute_clock([E("decided", D("2025-03-05"))])


def test_other_event_kinds_do_not_touch_the_clock():
    r = clock(R, E("note_added", D("2025-03-05"), note="电话联系申请人"))
    assert r.due == D("2025-03-31") and r.warnings == ()


# --- properties -------------------------------------------------------------------------

received_dates = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 6, 30))
offsets = st.integers(min_value=0, max_value=40)
lengths = st.integers(min_value=0, max_value=30)


@settings(max_examples=200, deadline=None)
@given(received_dates, st.lists(st.tuples(offsets, lengths), max_size=4))
def test_pause_never_makes_the_deadline_earlier(received, pauses):
    base = clock(E("received", received)).due
    events = [E("received", received)]
    for off, length in pauses:
        sent = received + timedelta(days=off)
        events.append(E("consultation_sent", sent, end=sent + timedelta(days=length)))
    assert compute_clock(events).due >= base


@settings(max_examples=200, deadline=None)
@given(received_dates, st.lists(st.tuples(offsets, lengths), max_size=3))
def test_pauses_match_a_day_by_day_count(received, pauses):
    excluded: set[date] = set()
    events = [E("received", received)]
    for off, length in pauses:
        sent = received + timedelta(days=off)
        events.append(E("consultation_sent", sent, end=sent + timedelta(days=length)))
        # Excluded: the day after the letter to the answer, never past the 15-working-day window.
        window_end = add_working_days(sent, 15).date
        excluded.update(d for d in (sent + timedelta(days=i) for i in range(1, length + 1)) if d <= window_end)
    d, n = received, 0
    while n < 20:
        d += timedelta(days=1)
        if is_working_day(d) and d not in excluded:
            n += 1
    assert compute_clock(events).due == d


@settings(max_examples=200, deadline=None)
@given(received_dates)
def test_extension_adds_exactly_twenty_working_days(received):
    plain = clock(E("received", received)).due
    extended = clock(E("received", received), E("extension_approved", plain)).due
    assert extended == add_working_days(plain, 20).date


@settings(max_examples=200, deadline=None)
@given(received_dates, st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=60))
def test_correction_restarts_from_zero(received, ask, wait):
    asked = received + timedelta(days=ask)
    corrected = asked + timedelta(days=wait)
    r = clock(E("received", received), E("correction_requested", asked), E("corrected", corrected))
    assert r.due == add_working_days(corrected, 20).date


@settings(max_examples=100, deadline=None)
@given(received_dates, st.lists(st.tuples(offsets, lengths), min_size=1, max_size=4), st.randoms())
def test_deterministic_and_order_independent(received, pauses, rnd):
    events = [E("received", received)] + [
        E("consultation_sent", received + timedelta(days=o), end=received + timedelta(days=o + n))
        for o, n in sorted(set(pauses))]
    first = compute_clock(events, today=received + timedelta(days=10))
    assert first == compute_clock(list(events), today=received + timedelta(days=10))
    shuffled = events[1:]
    rnd.shuffle(shuffled)
    assert compute_clock([events[0], *shuffled], today=received + timedelta(days=10)).due == first.due


def test_count_with_pauses_clips_pauses_before_start():
    cal = Calendar()
    # A pause entirely before the start has no effect; one straddling it is clipped.
    assert count_with_pauses(cal, D("2025-03-03"), 20, [(D("2025-02-01"), D("2025-03-01"))]) == D("2025-03-31")
    assert count_with_pauses(cal, D("2025-03-03"), 20, [(D("2025-03-01"), D("2025-03-04"))]) == D("2025-04-01")


# --- three cases replayed against an independent reference (issue: clock inconsistencies) ----

CORRECTING = [R, E("correction_requested", D("2025-03-05"))]


def test_consultation_sent_while_the_applicant_corrects_is_accepted_and_counted_after_the_restart():
    events = [*CORRECTING, E("consultation_sent", D("2025-03-10"))]
    validate_event(CORRECTING, events[-1])  # no "请在收到补正申请后再征求意见"
    r = clock(*events, E("corrected", D("2025-03-14")), E("consultation_answered", D("2025-03-21")))
    # 20 working days from 03-14 end on 04-14; 17–21 March (5 days) are excluded → 04-21.
    assert r.due == D("2025-04-21")
    consult = [line for line in r.explanation if line.article == "《条例》第三十三条第二款"]
    assert len(consult) == 1 and "5 个工作日不计入" in consult[0].text and "2025-04-21" in consult[0].text


def test_fee_notice_sent_while_correcting_is_explained_as_it_is_computed():
    r = clock(*CORRECTING, E("fee_notice_sent", D("2025-03-10")), E("corrected", D("2025-03-14")),
              E("fee_paid", D("2025-03-21")))
    assert r.due == D("2025-04-21")
    text = "\n".join(str(line) for line in r.explanation)
    assert "不另扣除" not in text
    fee = [line for line in r.explanation if "收费通知" in line.text]
    assert len(fee) == 1 and fee[0].article.startswith("《政府信息公开信息处理费管理办法》")
    assert "5 个工作日不计入" in fee[0].text
    # The restart line names the plain 20th working day, never the due date after deductions.
    restart = next(line for line in r.explanation if "重新计算：第 20 个工作日" in line.text)
    assert "2025-04-14" in restart.text and "2025-04-21" not in restart.text


def test_letter_sent_while_correcting_excludes_nothing_if_the_correction_never_comes():
    r = clock(*CORRECTING, E("consultation_sent", D("2025-03-10")), E("correction_expired", D("2025-04-30")))
    assert r.state == "closed"
    assert any("尚未收到补正申请，不另扣除" in line.text for line in r.explanation)


def test_extension_is_judged_against_one_due_date_whatever_the_order_of_entry():
    # Consultation 03-28, its 15-day window ends 04-21, the answer comes late on 04-24,
    # the extension is approved 04-23. The days after the window are counted on every path,
    # so the original due date is 04-22 and the extension is late both ways.
    extension = E("extension_approved", D("2025-04-23"))
    live = [R, E("consultation_sent", D("2025-03-28"))]  # recorded as it happened
    later = [R, E("consultation_sent", D("2025-03-28"), end=D("2025-04-24"))]  # recorded afterwards
    for history in (live, later):
        with pytest.raises(ClockError, match="2025-04-22"):
            validate_event(history, extension)
    answered = clock(*live, E("consultation_answered", D("2025-04-24")))
    assert answered.due == clock(*later).due == D("2025-04-22")
    assert any("晚于 15 个工作日的征求意见期限" in line.text for line in answered.explanation)
    # With the answer inside the window (04-10) the due date is 04-11 on both paths.
    sent = E("consultation_sent", D("2025-03-28"))
    live = [R, sent, E("consultation_answered", D("2025-04-10"))]
    later = [R, E("consultation_sent", D("2025-03-28"), end=D("2025-04-10"))]
    for history in (live, later):
        validate_event(history, E("extension_approved", D("2025-04-11")))
        with pytest.raises(ClockError, match="2025-04-11"):
            validate_event(history, E("extension_approved", D("2025-04-14")))


def test_every_event_kind_is_named_once_in_the_law():
    from gongkai.law.clock import EVENT_KINDS, EVENT_LABELS

    assert EVENT_KINDS == tuple(EVENT_LABELS) and EVENT_KINDS[0] == "received"
    assert len(set(EVENT_LABELS.values())) == len(EVENT_LABELS)
    assert all("\u4e00" <= label[0] <= "\u9fff" for label in EVENT_LABELS.values())
