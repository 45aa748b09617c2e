"""The application clock: from a case's events to its reply due date, with the reasons.

《条例》第三十条至第三十五条 and decisions.md §4–9. Facts are stored (events); every
date here is derived from them, so a changed calendar or rule recomputes the case.

Events are one frozen dataclass, :class:`CaseEvent`, with a ``kind`` from
:data:`EVENT_KINDS` (named in :data:`EVENT_LABELS`):

===========================  ==========================================================
kind                         fields used
===========================  ==========================================================
``received``                 ``on`` = the receipt date of 《条例》第三十一条
``correction_requested``     ``on`` = 补正告知 sent; ``end`` = correction period given (optional)
``corrected``                ``on`` = corrected application received: the period restarts
``correction_expired``       ``on`` = noted that the applicant did not correct → closed
``consultation_sent``        ``on`` = letter sent (第三十二条 third party / 第三十四条 organ);
                             ``end`` = answer date if already known; ``days`` = window
                             (default 15 working days); ``ref`` pairs it with its answer
``consultation_answered``    ``on`` = answer received; ``ref`` as above (else the oldest open)
``extension_approved``       ``on`` = approval date; ``days`` = length (default and max 20)
``special_deadline_set``     ``on`` = set; ``end`` = the new due date; ``note`` = reason (第三十五条)
``fee_notice_sent``          ``on`` = 收费通知 sent
``fee_notice_received``      ``on`` = applicant received it (payment window starts next day)
``fee_paid``                 ``on`` = payment arrived
``fee_expired``              ``on`` = noted that the fee was not paid in time → closed
``decided``                  ``on`` = reply (答复) made
``delivered``                ``on`` = reply delivered
``withdrawn``                ``on`` = applicant withdrew → closed
===========================  ==========================================================

Counting: the start day is not counted (decisions.md §1). A pause from a letter sent on
S until the answer on E removes the working days S+1…E, once even when pauses overlap
(decisions.md §6, §8). A consultation excludes days up to its answer but never past its
window (default 15 working days): an open one is assumed to last its whole window, a late
answer excludes nothing after the window. An unpaid fee notice lasts until its payment
deadline. Letters sent while the applicant corrects exclude the days after the corrected
application arrives. The explanation says each of these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.law.calendar import Calendar, default_calendar

__all__ = [
    "ART_CONSULT",
    "EVENT_KINDS",
    "EVENT_LABELS",
    "CaseEvent",
    "ClockError",
    "ClockResult",
    "ExplanationLine",
    "compute_clock",
    "validate_event",
]

REPLY_DAYS = 20  # 《条例》第三十三条第一款
CORRECTION_NOTICE_DAYS = 7  # 《条例》第三十条
CONSULTATION_DAYS = 15  # 《条例》第三十二条、第三十四条
MAX_EXTENSION_DAYS = 20  # 《条例》第三十三条第一款
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 (收到收费通知次日起20个工作日内)

ART_RECEIPT = "《条例》第三十一条"
ART_REPLY = "《条例》第三十三条第一款"
ART_CORRECTION = "《条例》第三十条"
ART_CONSULT = "《条例》第三十三条第二款"
ART_SPECIAL = "《条例》第三十五条"
ART_FEE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
ART_CALENDAR = "国务院办公厅年度节假日安排通知"

#: The events of the clock, in the order of a case, with the names staff read.
EVENT_LABELS = {
    "received": "收到申请",
    "correction_requested": "告知补正",
    "corrected": "收到补正申请",
    "correction_expired": "逾期未补正",
    "consultation_sent": "发出征求意见函",
    "consultation_answered": "收到征求意见答复",
    "extension_approved": "负责人同意延期",
    "special_deadline_set": "另行确定答复期限",
    "fee_notice_sent": "发出收费通知",
    "fee_notice_received": "申请人收到收费通知",
    "fee_paid": "缴费到账",
    "fee_expired": "逾期未缴费",
    "decided": "作出答复",
    "delivered": "送达",
    "withdrawn": "申请人撤回",
}
EVENT_KINDS = tuple(EVENT_LABELS)

_CLOSING = {"correction_expired", "fee_expired", "decided", "withdrawn"}


class ClockError(ValueError):
    """An event that cannot happen at this point of the case (message in Chinese)."""


@dataclass(frozen=True)
class CaseEvent:
    """One fact of a case; see the module docstring for what each kind uses."""

    kind: str
    on: date
    end: date | None = None
    days: int | None = None
    note: str = ""
    ref: str = ""


@dataclass(frozen=True)
class ExplanationLine:
    """One step towards the due date: the article, what happened (Chinese), the dates."""

    article: str
    text: str
    dates: tuple[date, ...] = ()

    def __str__(self) -> str:
        return f"{self.article}：{self.text}"


@dataclass(frozen=True)
class ClockResult:
    """The clock of one case at ``today``.

    ``state`` is ``"running"``, ``"stopped"`` or ``"closed"``; ``due`` is None only while
    the applicant corrects the application (the period has not started again yet) or
    when the case closed before a period ran. ``days_left`` counts the working days of
    the period still to run after ``today`` (paused days excluded), negative when
    overdue, None when closed or without ``today``.
    """

    due: date | None
    correction_notice_due: date | None
    state: str
    state_reason: str
    days_left: int | None
    provisional: bool
    explanation: tuple[ExplanationLine, ...]
    provisional_years: tuple[int, ...] = ()
    start: date | None = None
    extension_days: int = 0
    paused_days: int = 0
    fee_payment_due: date | None = None
    on_time: bool | None = None
    warnings: tuple[str, ...] = field(default=())


def _d(x: date) -> str:
    return x.isoformat()


# ----------------------------------------------------------------------------------------
# Replaying events


@dataclass
class _Pause:
    kind: str  # "consultation" | "fee"
    sent: date
    end: date | None  # answer / payment date
    ref: str = ""
    window: int = CONSULTATION_DAYS
    received: date | None = None  # fee notice received by the applicant
    expired: date | None = None
    closed: date | None = None  # the case closed while this pause was open


@dataclass
class _State:
    received: date | None = None
    correction_requested: date | None = None
    correction_period_end: date | None = None
    correction_note: str = ""
    corrected: date | None = None
    correction_expired: date | None = None
    extension: CaseEvent | None = None
    specials: list[CaseEvent] = field(default_factory=list)
    pauses: list[_Pause] = field(default_factory=list)
    decided: date | None = None
    delivered: date | None = None
    withdrawn: date | None = None
    order: list[tuple[date, int, str, object]] = field(default_factory=list)

    @property
    def awaiting_correction(self) -> bool:
        return (self.correction_requested is not None and self.corrected is None
                and self.correction_expired is None)

    @property
    def closed_on(self) -> date | None:
        dates = [d for d in (self.correction_expired, self.decided, self.withdrawn) if d]
        dates += [p.expired for p in self.pauses if p.expired]
        return min(dates) if dates else None


def _sorted(events: Iterable[CaseEvent]) -> list[CaseEvent]:
    # Stable: same-day events keep their order, except that the receipt comes first.
    return sorted(events, key=lambda e: (e.on, e.kind != "received"))


def _replay(events: Sequence[CaseEvent], calendar: Calendar, strict: bool, warnings: list[str]) -> _State:
    """Apply events in date order. Illegal steps raise (strict) or become warnings."""
    st = _State()

    def bad(message: str) -> bool:
        if strict:
            raise ClockError(message)
        warnings.append(message)
        return True

    for ev in events:
        if not isinstance(ev, CaseEvent):
            raise ClockError(f"无法识别的事件：{ev!r}")
        if ev.kind not in EVENT_KINDS and strict:
            raise ClockError(f"未知的事件类型“{ev.kind}”。")
    # Other kinds of case events (notes, reconsideration, …) do not touch the clock.
    events = [ev for ev in events if ev.kind in EVENT_KINDS]
    receipts = [ev.on for ev in events if ev.kind == "received"]
    first_receipt = min(receipts) if receipts else None
    for i, ev in enumerate(_sorted(events)):
        if first_receipt is not None and ev.on < first_receipt:
            bad(f"{_d(ev.on)} 早于收到申请之日 {_d(first_receipt)}，请检查日期。")
            continue
        if st.received is None:
            if ev.kind != "received":
                if bad(f"第一件事应为“收到申请”（{ART_RECEIPT}），不能先登记“{ev.kind}”。"):
                    continue
            st.received = ev.on
            st.order.append((ev.on, i, "received", ev))
            continue
        if ev.on < st.received:
            bad(f"{_d(ev.on)} 早于收到申请之日 {_d(st.received)}，请检查日期。")
            continue
        closed = st.closed_on
        if ev.kind == "received":
            bad("该申请已登记收到日期，不能重复登记“收到申请”。")
            continue
        if closed is not None and ev.kind != "delivered":
            bad(f"该申请已于 {_d(closed)} 办结或终止，不能再登记新的办理事项。")
            continue
        kind = ev.kind
        if kind == "correction_requested":
            if st.correction_requested is not None:
                bad(f"补正应一次性告知（{ART_CORRECTION}），本申请已于 {_d(st.correction_requested)} 告知过补正。")
                continue
            st.correction_requested = ev.on
            st.correction_period_end = ev.end
            st.correction_note = ev.note.strip()
        elif kind == "corrected":
            if not st.awaiting_correction:
                bad("尚未告知补正，不能登记“收到补正申请”。")
                continue
            st.corrected = ev.on
        elif kind == "correction_expired":
            if not st.awaiting_correction:
                bad("没有等待补正的告知，不能登记“逾期未补正”。")
                continue
            if st.correction_period_end and ev.on <= st.correction_period_end:
                bad(f"补正期限至 {_d(st.correction_period_end)} 才届满，期满后方可登记逾期未补正。")
                continue
            st.correction_expired = ev.on
        elif kind == "consultation_sent":
            # Allowed while the applicant corrects, like a fee notice: the days it needs
            # after the corrected application arrives are not counted (decisions.md §5, §6).
            if ev.days is not None and not 1 <= ev.days <= 60:
                bad("征求意见期限应为 1–60 个工作日（法定为 15 个工作日）。")
                continue
            if ev.end is not None and ev.end < ev.on:
                bad(f"答复日期 {_d(ev.end)} 早于发函日期 {_d(ev.on)}。")
                continue
            pause = _Pause("consultation", ev.on, ev.end, ev.ref, ev.days or CONSULTATION_DAYS)
            st.pauses.append(pause)
            st.order.append((ev.on, i, "pause", pause))
        elif kind == "consultation_answered":
            open_ = [p for p in st.pauses if p.kind == "consultation" and p.end is None
                     and (not ev.ref or p.ref == ev.ref)]
            if not open_:
                bad("没有尚未答复的征求意见函，不能登记“收到意见”。")
                continue
            open_[0].end = ev.on
        elif kind == "extension_approved":
            if st.extension is not None:
                bad(f"答复期限只能延长一次（{ART_REPLY}），本申请已于 {_d(st.extension.on)} 延长。")
                continue
            if st.awaiting_correction:
                bad("申请人补正期间答复期限尚未起算，不能延期。")
                continue
            days = MAX_EXTENSION_DAYS if ev.days is None else ev.days
            if not 1 <= days <= MAX_EXTENSION_DAYS:
                bad(f"延长的期限最长不得超过 {MAX_EXTENSION_DAYS} 个工作日（{ART_REPLY}）。")
                continue
            due = _period_due(st, calendar, upto=ev.on)
            if due is not None and ev.on > due:
                bad(f"延期须在原答复期限 {_d(due)} 届满前经负责人同意（{ART_REPLY}），{_d(ev.on)} 已超过期限。")
                continue
            st.extension = ev
            st.order.append((ev.on, i, "extension", ev))
        elif kind == "special_deadline_set":
            if ev.end is None or not ev.note.strip():
                bad(f"另行确定答复期限须写明新的期限和理由（{ART_SPECIAL}）。")
                continue
            due = _period_due(st, calendar, upto=ev.on)
            if due is not None and ev.end <= due:
                bad(f"另行确定的期限 {_d(ev.end)} 应晚于现行答复期限 {_d(due)}（{ART_SPECIAL}）。")
                continue
            st.specials.append(ev)
            st.order.append((ev.on, i, "special", ev))
        elif kind == "fee_notice_sent":
            if any(p.kind == "fee" and p.end is None for p in st.pauses):
                bad("已有未缴费的收费通知，不能再发出新的收费通知。")
                continue
            pause = _Pause("fee", ev.on, None, ev.ref)
            st.pauses.append(pause)
            st.order.append((ev.on, i, "pause", pause))
        elif kind in ("fee_notice_received", "fee_paid", "fee_expired"):
            open_ = [p for p in st.pauses if p.kind == "fee" and p.end is None]
            if not open_:
                bad("没有未缴费的收费通知，不能登记此事项。")
                continue
            pause = open_[-1]
            if kind == "fee_notice_received":
                pause.received = ev.on
            elif kind == "fee_paid":
                pause.end = ev.on
            else:
                pay_due = _fee_payment_due(pause, calendar)
                if ev.on <= pay_due:
                    bad(f"缴费期限至 {_d(pay_due)} 才届满，期满后方可登记逾期未缴费。")
                    continue
                pause.expired = ev.on
        elif kind == "decided":
            if st.awaiting_correction:
                bad("申请人补正期间不能作出答复；补正期限届满未补正的，请登记“逾期未补正”。")
                continue
            st.decided = ev.on
        elif kind == "delivered":
            if st.decided is None:
                bad("尚未作出答复，不能登记“送达”。")
                continue
            st.delivered = ev.on
        elif kind == "withdrawn":
            st.withdrawn = ev.on
    if st.received is None:
        raise ClockError("没有“收到申请”事件，无法计算答复期限。")
    closed = st.closed_on
    if closed is not None:
        for pause in st.pauses:
            if pause.end is None:
                pause.closed = closed
    return st


# ----------------------------------------------------------------------------------------
# Counting


def _fee_payment_due(pause: _Pause, calendar: Calendar) -> date:
    # 收到收费通知次日起20个工作日内: the day after receipt is day 1 → add(received, 20).
    return calendar.add_working_days(pause.received or pause.sent, FEE_PAYMENT_DAYS).date


def _pause_end(pause: _Pause, calendar: Calendar) -> date:
    """Last day of the pause: the answer/payment, else the end of the window.

    An open pause ends at the latest when the case closes.
    """
    if pause.kind == "consultation":
        window_end = _consultation_window_end(pause, calendar)
        if pause.end is not None:
            return min(pause.end, window_end)
        end = window_end
    else:
        if pause.end is not None:
            return pause.end
        end = _fee_payment_due(pause, calendar)
    return min(end, pause.closed) if pause.closed else end


def _consultation_window_end(pause: _Pause, calendar: Calendar) -> date:
    """Last day of a consultation's window (《条例》第三十二条: 15 working days).

    One rule on every path (decisions.md §6): the days excluded run from the day after the
    letter to the answer, but never past the window. An answer that arrives after the
    window does not stop the clock again for the days already run, so an extension or a
    reply is judged against the same due date whether the answer was recorded before or
    after them.
    """
    return calendar.add_working_days(pause.sent, pause.window).date


def _merge(intervals: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Merge inclusive day intervals (first, last) into a sorted disjoint list."""
    out: list[tuple[date, date]] = []
    for a, b in sorted(i for i in intervals if i[0] <= i[1]):
        if out and a <= out[-1][1] + timedelta(days=1):
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def count_with_pauses(calendar: Calendar, start: date, n: int, excluded: list[tuple[date, date]]) -> date:
    """The ``n``-th working day after ``start`` not inside an ``excluded`` interval."""
    cursor, needed = start, n
    for a, b in excluded:
        if b <= cursor:
            continue
        a = max(a, cursor + timedelta(days=1))
        candidate = calendar.add_working_days(cursor, needed).date
        if candidate < a:
            break
        needed -= calendar.working_days_between(cursor, a - timedelta(days=1))
        cursor = b
    return calendar.add_working_days(cursor, needed).date


def _excluded(pauses: Iterable[_Pause], calendar: Calendar) -> list[tuple[date, date]]:
    return _merge((p.sent + timedelta(days=1), _pause_end(p, calendar)) for p in pauses)


def _period_due(st: _State, calendar: Calendar, upto: date | None = None) -> date | None:
    """The due date from the facts known so far (``upto`` limits them by date)."""
    if st.received is None or st.awaiting_correction:
        return None
    start = st.corrected or st.received
    ext = st.extension
    days = REPLY_DAYS + ((MAX_EXTENSION_DAYS if ext.days is None else ext.days) if ext else 0)
    pauses = [p for p in st.pauses if upto is None or p.sent <= upto]
    due = count_with_pauses(calendar, start, days, _excluded(pauses, calendar))
    specials = [s for s in st.specials if upto is None or s.on <= upto]
    return specials[-1].end if specials else due


def _paused_working_days(calendar: Calendar, excluded: list[tuple[date, date]], a: date, b: date) -> int:
    """Working days d with a < d <= b that fall inside an excluded interval."""
    total = 0
    for x, y in excluded:
        lo, hi = max(x - timedelta(days=1), a), min(y, b)
        if hi > lo:
            total += calendar.working_days_between(lo, hi)
    return total


# ----------------------------------------------------------------------------------------
# Public API


def validate_event(events: Sequence[CaseEvent], new_event: CaseEvent, calendar: Calendar | None = None) -> None:
    """Raise :class:`ClockError` (Chinese message) if ``new_event`` may not be recorded now.

    The Django layer calls this before storing an event; the rules are those of
    :func:`compute_clock` applied strictly (a second extension, an extension after the
    due date, a correction after the reply, events before receipt, …).
    """
    if not isinstance(new_event, CaseEvent):
        raise ClockError(f"无法识别的事件：{new_event!r}")
    _replay([*events, new_event], calendar or default_calendar(), strict=True, warnings=[])


def compute_clock(events: Sequence[CaseEvent], calendar: Calendar | None = None,
                  today: date | None = None) -> ClockResult:
    """The reply due date, state and explanation of a case (《条例》第三十条至第三十五条).

    Never raises for stored histories that a later calendar change made irregular: such
    steps are skipped and reported in ``warnings``. Events of other kinds than
    :data:`EVENT_KINDS` are ignored. Raises :class:`ClockError` only when there is no
    receipt event.
    """
    cal = calendar or default_calendar()
    warnings: list[str] = []
    st = _replay(events, cal, strict=False, warnings=warnings)
    received = st.received
    assert received is not None
    lines: list[ExplanationLine] = []
    prov: set[int] = set()

    def add(start: date, n: int) -> date:
        result = cal.add_working_days(start, n)
        prov.update(result.provisional_years)
        return result.date

    notice_due = add(received, CORRECTION_NOTICE_DAYS)
    lines.append(ExplanationLine(ART_RECEIPT, f"{_d(received)} 收到申请，为收到申请之日。", (received,)))
    first_due = cal.add_working_days(received, REPLY_DAYS).date  # superseded dates are not "provisional"
    lines.append(ExplanationLine(
        ART_REPLY,
        f"自收到申请之日起 {REPLY_DAYS} 个工作日内答复；收到当日不计入，第 {REPLY_DAYS} 个工作日为 {_d(first_due)}。",
        (received, first_due),
    ))

    # Steps in date order; after each, the due date from the facts so far.
    steps: list[tuple[date, int, str, object]] = sorted(st.order, key=lambda s: (s[0], s[1]))
    if st.correction_requested:
        steps.append((st.correction_requested, -1, "correction", None))
    if st.corrected:
        steps.append((st.corrected, -1, "corrected", None))
    steps.sort(key=lambda s: (s[0], s[1]))

    start = received
    ext_days = 0
    applied: list[_Pause] = []
    special: CaseEvent | None = None
    correcting = False

    def current_due() -> date:
        base = count_with_pauses(cal, start, REPLY_DAYS + ext_days, _excluded(applied, cal))
        return special.end if special is not None and special.end else base

    deferred: list[_Pause] = []  # letters sent while the applicant corrects

    def pause_line(pause: _Pause, prior: list[_Pause], during_correction: bool = False) -> ExplanationLine:
        """How one consultation or fee notice moves the due date (the days it excludes)."""
        before = _excluded(prior, cal)
        mine = _excluded([*prior, pause], cal)
        due_before = count_with_pauses(cal, start, REPLY_DAYS + ext_days, before)
        end = _pause_end(pause, cal)
        alone = _paused_working_days(cal, _excluded([pause], cal), start, end)
        newly = _paused_working_days(cal, mine, start, end) - _paused_working_days(
            cal, before, start, end)
        first = max(pause.sent, start) + timedelta(days=1)
        due = count_with_pauses(cal, start, REPLY_DAYS + ext_days, mine)
        if special is not None and special.end:
            due = special.end
        if pause.kind == "consultation":
            window_end = _consultation_window_end(pause, cal)
            if pause.end is None:
                what_text = (f"{_d(pause.sent)} 发出征求意见函，尚未收到意见，暂按 {pause.window} 个工作日的"
                             f"征求意见期限届满日 {_d(end)} 计算（收到意见后按实际日期重算）")
            elif pause.end > window_end:
                what_text = (f"{_d(pause.sent)} 发出征求意见函，{_d(pause.end)} 收到意见，晚于 {pause.window} 个工作日的"
                             f"征求意见期限（{_d(window_end)} 届满），期限届满后的日子照常计算")
            else:
                what_text = f"{_d(pause.sent)} 发出征求意见函，{_d(pause.end)} 收到意见"
            article = ART_CONSULT
        else:
            pay_due = _fee_payment_due(pause, cal)
            if pause.end is not None:
                what_text = f"{_d(pause.sent)} 发出收费通知，{_d(pause.end)} 缴费到账"
            else:
                basis = f"申请人 {_d(pause.received)} 收到通知" if pause.received else "未登记申请人收到通知的日期，暂按发出日"
                what_text = (f"{_d(pause.sent)} 发出收费通知，尚未缴费；{basis}，缴费期限至 {_d(pay_due)}，"
                             f"暂按该日计算")
            article = f"{ART_FEE}；平台规则"
        if during_correction:
            what_text += f"（发出时计时已因补正停止，按 {_d(start)} 收到补正申请后重新计算的期间扣除）"
        overlap = "（与其他暂停期间重叠的日子只扣除一次）" if newly < alone else ""
        if due_before < first:
            span = f"发出时答复期限 {_d(due_before)} 已届满，不再顺延"
        elif end >= first:
            span = f"{_d(first)} 至 {_d(end)} 中的 {newly} 个工作日不计入答复期限{overlap}"
        else:
            span = "当日即有结果，不扣除工作日"
        return ExplanationLine(article, f"{what_text}；{span}，期限为 {_d(due)}。", (pause.sent, end, due))

    for on, _, what, obj in steps:
        if what == "received":
            continue
        if what == "correction":
            correcting = True
            late = "，晚于法定期限" if on > notice_due else ""
            period = f"，补正期限至 {_d(st.correction_period_end)}" if st.correction_period_end else ""
            lines.append(ExplanationLine(
                ART_CORRECTION,
                f"补正告知应在收到申请后 {CORRECTION_NOTICE_DAYS} 个工作日内（{_d(notice_due)} 前）发出；"
                f"{_d(on)} 一次性告知申请人补正{late}{period}"
                f"{f'（{st.correction_note}）' if st.correction_note else ''}，答复期限停止计算。",
                (notice_due, on),
            ))
        elif what == "corrected":
            correcting = False
            start = on
            plain = cal.add_working_days(on, REPLY_DAYS).date
            lines.append(ExplanationLine(
                ART_CORRECTION,
                f"{_d(on)} 收到补正后的申请，答复期限自该日起重新计算：第 {REPLY_DAYS} 个工作日为 {_d(plain)}。",
                (on, plain),
            ))
            for pause in deferred:
                prior = [p for p in applied if p is not pause and p.sent <= pause.sent]
                lines.append(pause_line(pause, prior, during_correction=True))
            deferred.clear()
        elif what == "pause":
            pause = obj
            assert isinstance(pause, _Pause)
            prior = list(applied)
            applied.append(pause)
            if correcting:
                deferred.append(pause)  # explained once the period restarts
                continue
            lines.append(pause_line(pause, prior))
        elif what == "extension":
            ev = obj
            assert isinstance(ev, CaseEvent)
            ext_days = MAX_EXTENSION_DAYS if ev.days is None else ev.days
            due = current_due()
            lines.append(ExplanationLine(
                ART_REPLY,
                f"{_d(ev.on)} 经政府信息公开工作机构负责人同意并告知申请人，延长答复期限 {ext_days} 个工作日，"
                f"期限延至 {_d(due)}{f'（{ev.note.strip()}）' if ev.note.strip() else ''}。",
                (ev.on, due),
            ))
        elif what == "special":
            ev = obj
            assert isinstance(ev, CaseEvent) and ev.end is not None
            special = ev
            lines.append(ExplanationLine(
                ART_SPECIAL,
                f"{_d(ev.on)} 因申请数量、频次明显超过合理范围，另行确定答复期限为 {_d(ev.end)}，理由：{ev.note.strip()}。",
                (ev.on, ev.end),
            ))

    for pause in deferred:  # the corrected application never arrived
        kind_text = "征求意见函" if pause.kind == "consultation" else "收费通知"
        lines.append(ExplanationLine(
            ART_CONSULT if pause.kind == "consultation" else ART_FEE,
            f"{_d(pause.sent)} 发出{kind_text}时计时已因补正停止，尚未收到补正申请，不另扣除。", (pause.sent,)))
    due: date | None = None if st.correction_requested and st.corrected is None else current_due()
    if due is not None and special is None:
        prov.update(cal.provisional_span(start, due))
    excluded = _excluded(applied, cal)
    paused = _paused_working_days(cal, excluded, start, due) if due else 0

    # Fee payment deadline of an unpaid notice.
    unpaid = [p for p in st.pauses if p.kind == "fee" and p.end is None]
    fee_due = _fee_payment_due(unpaid[-1], cal) if unpaid else None
    if fee_due is not None:
        prov.update(cal.provisional_span(unpaid[-1].received or unpaid[-1].sent, fee_due))

    closed = st.closed_on
    on_time = None if st.decided is None or due is None else st.decided <= due
    if closed is not None:
        state = "closed"
        if st.withdrawn == closed:
            article, reason = ART_REPLY, f"申请人于 {_d(closed)} 撤回申请。"
        elif st.correction_expired == closed:
            article = ART_CORRECTION
            reason = f"申请人无正当理由逾期未补正，视为放弃申请，{_d(closed)} 起不再处理。"
        elif st.decided == closed:
            timing = "" if on_time is None else ("，在答复期限内" if on_time else "，已超过答复期限")
            article, reason = ART_REPLY, f"已于 {_d(closed)} 作出答复{timing}。"
            if st.delivered:
                reason += f"{_d(st.delivered)} 送达。"
        else:
            article = ART_FEE
            reason = f"申请人逾期未缴纳信息处理费，{_d(closed)} 起不再处理。"
        lines.append(ExplanationLine(article, reason, (closed,)))
    elif st.awaiting_correction:
        state = "stopped"
        period = f"（补正期限至 {_d(st.correction_period_end)}）" if st.correction_period_end else ""
        reason = f"等待申请人补正{period}；收到补正申请后重新计算 {REPLY_DAYS} 个工作日（{ART_CORRECTION}）。"
    elif fee_due is not None and today is not None and today > fee_due:
        state = "stopped"
        reason = (f"缴费期限 {_d(fee_due)} 已过仍未缴费：应登记“逾期未缴费”，不再处理该申请（{ART_FEE}）。")
    else:
        if today is None:
            pending = [p for p in applied if p.end is None]
        else:
            pending = [p for p in applied if p.sent < today <= _pause_end(p, cal)]
        if pending:
            state = "stopped"
            parts = []
            if any(p.kind == "consultation" for p in pending):
                parts.append(f"征求意见中，所需时间不计入答复期限（{ART_CONSULT}）")
            if any(p.kind == "fee" for p in pending):
                parts.append(f"等待缴纳信息处理费，缴费期限至 {_d(fee_due)}" if fee_due else "等待缴纳信息处理费")
            reason = "；".join(parts) + "。"
        else:
            state = "running"
            reason = f"计时中，答复期限为 {_d(due)}。" if due else "计时中。"

    days_left = None
    if state != "closed" and due is not None and today is not None:
        if today < due:
            days_left = cal.working_days_between(today, due) - _paused_working_days(cal, excluded, today, due)
        else:
            days_left = -cal.working_days_between(due, today)
    if prov:
        years = "、".join(str(y) for y in sorted(prov))
        lines.append(ExplanationLine(
            ART_CALENDAR,
            f"暂定：{years} 年放假安排尚未载入，相关日期按法定节日推算（未含调休），通知载入后将重新计算。",
        ))
    if warnings:
        for w in warnings:
            lines.append(ExplanationLine("注意", w))
    return ClockResult(
        due=due,
        correction_notice_due=notice_due,
        state=state,
        state_reason=reason,
        days_left=days_left,
        provisional=bool(prov),
        explanation=tuple(lines),
        provisional_years=tuple(sorted(prov)),
        start=start if not st.awaiting_correction else None,
        extension_days=ext_days,
        paused_days=paused,
        fee_payment_due=fee_due,
        on_time=on_time,
        warnings=tuple(warnings),
    )
