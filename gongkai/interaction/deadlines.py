"""Due dates of messages, derived from the stored facts and the calendar in force.

Due date = the `time_limit_days`-th working day after `received_on` (decisions.md §1: the
day of receipt is not counted). It is computed on every read, so loading a new holiday
year or correcting one moves every due date without touching the messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from gongkai.calendars.services import current_calendar
from gongkai.law.calendar import Calendar

# 国办秘函〔2019〕19号 单项否决: a consultation left unanswered for more than 3 months.
VETO_MONTHS = 3


def today() -> date:
    return timezone.localdate()


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    day = d.day
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


@dataclass(frozen=True)
class Deadline:
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
        """Open for more than 3 months (互动回应差, 单项否决)."""
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


def deadline_for(
    received_on: date, time_limit_days: int, *, replied_on: date | None = None, closed: bool = False,
    on: date | None = None, calendar: Calendar | None = None,
) -> Deadline:
    calendar = calendar or current_calendar()
    on = on or today()
    result = calendar.add_working_days(received_on, time_limit_days)
    end = replied_on or on
    remaining = calendar.working_days_between(end, result.date)
    return Deadline(
        received_on=received_on, time_limit_days=time_limit_days, due_on=result.date,
        provisional=result.provisional, replied_on=replied_on, today=on, remaining=remaining,
        veto_on=add_months(received_on, VETO_MONTHS), closed=closed and replied_on is None,
    )


def message_deadline(message, *, on: date | None = None, calendar: Calendar | None = None) -> Deadline:
    return deadline_for(
        message.received_on, message.time_limit_days, replied_on=message.replied_on,
        closed=message.status == "closed", on=on, calendar=calendar,
    )
