"""Timeliness of 主动公开 (proactive disclosure): 《条例》第二十六条.

《条例》第二十六条: information within the scope of proactive disclosure shall be disclosed
within 20 working days from the day it is formed or changed. The day of forming is not
counted (decisions.md §1), so an item formed on day F is on time when it is published by
the 20th working day after F. Holidays come from the calendar in force, so a Spring
Festival between forming and publishing gives the agency its rest days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.law.calendar import Calendar, default_calendar

ART26 = "《条例》第二十六条"
PUBLISH_WITHIN_DAYS = 20  # 《条例》第二十六条: 自该政府信息形成或者变更之日起20个工作日内


@dataclass(frozen=True)
class PublicationTimeliness:
    """Whether an item was published within the 20 working days of 《条例》第二十六条, and why."""

    formed_on: date
    published_on: date
    due_on: date  # the 20th working day after forming
    working_days: int  # working days after forming up to and including publication
    provisional: bool  # a holiday year on the way was not yet published

    @property
    def late_days(self) -> int:
        """Working days past the limit (0 when on time)."""
        return max(0, self.working_days - PUBLISH_WITHIN_DAYS)

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def explanation(self) -> str:
        text = (f"{self.formed_on:%Y年%-m月%-d日}形成或变更，依据{ART26}应在{PUBLISH_WITHIN_DAYS}个工作日内"
                f"（形成当日不计），即{self.due_on:%Y年%-m月%-d日}前公开；"
                f"{self.published_on:%Y年%-m月%-d日}公开，")
        if self.late:
            text += f"超期{self.late_days}个工作日"
        else:
            text += "按期公开"
        if self.provisional:
            text += "（该年度放假安排尚未公布，暂按法定节假日推算）"
        return text + "。"


def publication_timeliness(formed_on: date, published_on: date,
                           calendar: Calendar | None = None) -> PublicationTimeliness:
    """Judge one publication against 《条例》第二十六条 (20 working days from forming or change)."""
    calendar = calendar or default_calendar()
    due = calendar.add_working_days(formed_on, PUBLISH_WITHIN_DAYS)
    days = calendar.working_days_between(formed_on, published_on)
    provisional = due.provisional or bool(calendar.provisional_span(formed_on, published_on))
    return PublicationTimeliness(formed_on=formed_on, published_on=published_on, due_on=due.date,
                                 working_days=days, provisional=provisional)
