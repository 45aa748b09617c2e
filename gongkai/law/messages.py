"""Time limits of citizens' messages (留言) and the three-month veto of the national inspection.

Two rules:

- the local time limit (办理时限) in working days per category: 5 for a consultation, 15
  for a suggestion, a complaint or the director's mailbox by default; an agency may set
  its own between 1 and 60. Day 1 is the first working day after receipt (decisions.md §1).
- 国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决: a message left unanswered for
  more than 3 months fails the inspection (互动回应差). "3 months" is calendar months: the
  same day of the month three months later, or that month's last day when it is shorter
  (30 November → 28 February, 29 February in a leap year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from gongkai.law.calendar import Calendar, default_calendar

VETO_SOURCE = "国办秘函〔2019〕19号"
VETO_MONTHS = 3

#: Default time limits in working days, by category (local rules).
DEFAULT_TIME_LIMITS = {"consult": 5, "suggestion": 15, "complaint": 15, "director_mailbox": 15}
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 60


def veto_date(received_on: date) -> date:
    """The last day a message may stay unanswered before the 单项否决 of 国办秘函〔2019〕19号.

    Three calendar months after receipt; a day that the month lacks becomes its last day.
    """
    return received_on + relativedelta(months=VETO_MONTHS)


@dataclass(frozen=True)
class MessageDeadline:
    """When a message is due and where it stands; carries its own explanation."""

    received_on: date
    time_limit_days: int
    due_on: date
    provisional: bool
    replied_on: date | None
    today: date
    remaining: int  # working days left (negative: working days overdue)
    veto_on: date  # the day after which it fails the national inspection
    closed: bool = False  # closed without a reply (converted, invalid): no deadline runs

    @property
    def is_open(self) -> bool:
        return self.replied_on is None and not self.closed

    @property
    def overdue(self) -> bool:
        if self.replied_on is not None:
            return self.replied_on > self.due_on
        return self.is_open and self.today > self.due_on

    @property
    def veto(self) -> bool:
        """Open for more than 3 months (互动回应差, 单项否决 of 国办秘函〔2019〕19号)."""
        return self.is_open and self.today > self.veto_on

    @property
    def explanation(self) -> str:
        text = (
            f"{self.received_on:%Y年%-m月%-d日}受理，办理时限{self.time_limit_days}个工作日"
            f"（受理当日不计），应于{self.due_on:%Y年%-m月%-d日}前答复"
        )
        if self.provisional:
            text += "（该年度放假安排尚未公布，期限暂按法定节假日推算，公布后自动重算）"
        return text + "。"

    @property
    def state_label(self) -> str:
        if self.replied_on is not None:
            return "超期答复" if self.overdue else "按期答复"
        if self.closed:
            return "已办结"
        if self.veto:
            return "超过3个月未答复"
        if self.overdue:
            return f"已超期{max(1, -self.remaining)}个工作日"
        if self.remaining == 0:
            return "今日到期"
        return f"剩余{self.remaining}个工作日"


def message_deadline(received_on: date, time_limit_days: int, *, on: date, replied_on: date | None = None,
                     closed: bool = False, calendar: Calendar | None = None) -> MessageDeadline:
    """The due date of a message: the ``time_limit_days``-th working day after receipt.

    ``on`` is the day the state is judged on (today); ``closed`` means closed without a
    reply, so no deadline runs.
    """
    calendar = calendar or default_calendar()
    result = calendar.add_working_days(received_on, time_limit_days)
    remaining = calendar.working_days_between(replied_on or on, result.date)
    return MessageDeadline(
        received_on=received_on, time_limit_days=time_limit_days, due_on=result.date,
        provisional=result.provisional, replied_on=replied_on, today=on, remaining=remaining,
        veto_on=veto_date(received_on), closed=closed and replied_on is None,
    )
