"""Windows that end by themselves: a consultation nobody answered, a fee nobody paid.

《条例》第三十二条、第三十四条 give the consulted party 15 working days; 国办函〔2020〕109号
gives the applicant 20 working days from the day after receiving the fee notice. When such a
window has passed with nothing recorded, the case moves on without anyone deciding it:
the consultation counts as unanswered (逾期未答复; the clock resumes), the unpaid fee closes
the application (report row （六）2). This module says, from a case's events and a date,
which windows have lapsed, on which date the system records it, and — where a window
cannot lapse by itself — why.

The windows are those of `gongkai.law.clock` (decisions.md §6, §8), so the date a lapse is
recorded on and the due date the clock computes always agree:

- consultation: the window ends on the ``days``-th working day after the letter was sent
  (the platform counts from the day after sending, decisions.md §6); it has lapsed on the
  day after that last day, and the answer “逾期未答复” is recorded **on the window's last
  day**, so the excluded days are exactly the window, as the clock assumed while it was open.
- fee: the payment window ends on the 20th working day after the day the applicant
  received the notice; the application is closed **on the day after** that last day. If the
  date of receipt is not recorded, the window has no legal start and nothing lapses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.law.calendar import Calendar, default_calendar
from gongkai.law.clock import ART_FEE, FEE_PAYMENT_DAYS, CaseEvent, _consultation_window_end, _fee_payment_due, _replay

__all__ = ["ART_CONSULT_WINDOW", "Lapse", "LapseCheck", "lapsed_windows"]

ART_CONSULT_WINDOW = "《条例》第三十二条、第三十四条"


@dataclass(frozen=True)
class Lapse:
    """One window that has ended with nothing recorded.

    ``kind`` is ``"consultation"`` (``ref`` = the consultation's ref) or ``"fee"``;
    ``window_end`` its last day; ``on`` the date the system records the step on.
    """

    kind: str
    ref: str
    window_end: date
    on: date
    article: str
    text: str


@dataclass(frozen=True)
class Pending:
    """A window still running (``lapses_on`` = the first day it will have lapsed) or held."""

    kind: str
    ref: str
    window_end: date | None
    lapses_on: date | None
    text: str


@dataclass(frozen=True)
class LapseCheck:
    lapses: tuple[Lapse, ...]
    pending: tuple[Pending, ...]

    @property
    def held(self) -> tuple[Pending, ...]:
        """Windows that will not lapse by themselves (a date is missing)."""
        return tuple(p for p in self.pending if p.lapses_on is None)


def _d(x: date) -> str:
    return x.isoformat()


def lapsed_windows(events: Sequence[CaseEvent], calendar: Calendar | None = None, *,
                   today: date) -> LapseCheck:
    """The windows of an open case that have lapsed by ``today``, and those still open.

    A closed case has none. Irregular histories are replayed leniently, as by
    `gongkai.law.clock.compute_clock`.
    """
    cal = calendar or default_calendar()
    st = _replay(events, cal, strict=False, warnings=[])
    lapses: list[Lapse] = []
    pending: list[Pending] = []
    if st.closed_on is not None:
        return LapseCheck((), ())
    for pause in st.pauses:
        if pause.end is not None or pause.expired is not None:
            continue
        if pause.kind == "consultation":
            end = _consultation_window_end(pause, cal)
            if today > end:
                lapses.append(Lapse(
                    "consultation", pause.ref, end, end, ART_CONSULT_WINDOW,
                    f"{_d(pause.sent)} 发出的征求意见函，{pause.window} 个工作日的答复期限已于 {_d(end)} 届满，"
                    f"未收到意见，系统自动登记为“逾期未答复”，答复期限恢复计算。"))
            else:
                pending.append(Pending(
                    "consultation", pause.ref, end, end + timedelta(days=1),
                    f"征求意见答复期限至 {_d(end)}；届满仍未登记答复的，系统于 {_d(end + timedelta(days=1))} "
                    f"自动登记为“逾期未答复”。"))
        else:
            if pause.received is None:
                pending.append(Pending(
                    "fee", pause.ref, None, None,
                    f"未登记申请人收到收费通知的日期：缴费期限自收到通知次日起算（{ART_FEE}），"
                    f"起算日不明，系统不会自动登记逾期未缴费。请登记“收到收费通知”的日期。"))
                continue
            end = _fee_payment_due(pause, cal)
            first_late = end + timedelta(days=1)
            if today > end:
                lapses.append(Lapse(
                    "fee", pause.ref, end, first_late, ART_FEE,
                    f"申请人 {_d(pause.received)} 收到收费通知，自次日起 {FEE_PAYMENT_DAYS} 个工作日的缴费期限已于 "
                    f"{_d(end)} 届满仍未缴费，系统于 {_d(first_late)} 自动登记逾期未缴费，不再处理该申请。"))
            else:
                pending.append(Pending(
                    "fee", pause.ref, end, first_late,
                    f"缴费期限至 {_d(end)}；届满仍未缴费的，系统于 {_d(first_late)} 自动登记逾期未缴费，"
                    f"不再处理该申请。"))
    # An unpaid fee closes the case on its lapse date; a consultation window ending on or
    # after that day no longer matters (a closed case has no open pauses).
    closing = min((x.on for x in lapses if x.kind == "fee"), default=None)
    if closing is not None:
        lapses = [x for x in lapses if x.kind == "fee" or x.on < closing]
        pending = [p for p in pending if p.kind == "fee"]
    return LapseCheck(tuple(sorted(lapses, key=lambda x: (x.on, x.kind != "consultation"))), tuple(pending))
