"""Statistics of messages for any period, and the summary the annual report quotes.

Cohort: the messages *received* in the period (received_on between start and end,
inclusive). Messages staff marked invalid (无效留言) are counted apart and not in
"received". For the rest: received = replied + open + converted, replied = on time + late
(a reply is on time when given on or before the due date, decisions.md §1). Open
messages are judged against `on` (default today). Average working days to reply counts
the working days after the receipt day up to and including the reply day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gongkai.calendars.services import current_calendar
from gongkai.core import clock

from .deadlines import message_deadline
from .models import Category, Channel, Message, Outcome

# 百姓呼声 is the agency's own online message board; the other channels get their own words.
SENTENCE_WORDS = {
    Channel.POLICE_110: "110联动受理单",
    Channel.WEBSITE: "百姓呼声",
    Channel.HOTLINE_12345: "12345热线工单",
    Channel.OTHER: "其他渠道留言",
}
ALWAYS_IN_SENTENCE = (Channel.POLICE_110, Channel.WEBSITE)


@dataclass
class Bucket:
    received: int = 0
    replied: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    open_overdue: int = 0
    converted: int = 0
    invalid: int = 0
    reply_working_days: int = 0

    @property
    def average_working_days(self) -> float | None:
        return round(self.reply_working_days / self.replied, 1) if self.replied else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.replied, 1) if self.replied else None

    def as_dict(self) -> dict:
        return {
            "received": self.received, "replied": self.replied, "replied_on_time": self.on_time,
            "replied_late": self.late, "open": self.open, "open_overdue": self.open_overdue,
            "converted": self.converted, "invalid": self.invalid,
            "average_working_days": self.average_working_days,
        }


@dataclass
class Statistics:
    start: date
    end: date
    on: date
    total: Bucket = field(default_factory=Bucket)
    by_category: dict[str, Bucket] = field(default_factory=lambda: {c.value: Bucket() for c in Category})
    by_channel: dict[str, Bucket] = field(default_factory=lambda: {c.value: Bucket() for c in Channel})
    matrix: dict[tuple[str, str], int] = field(default_factory=dict)  # (category, channel) -> received

    def sentence(self) -> str:
        parts = []
        for channel, words in SENTENCE_WORDS.items():
            n = self.by_channel[channel.value].received
            if n or channel in ALWAYS_IN_SENTENCE:
                parts.append(f"{words}{n}件")
        return "，".join(parts)


def message_statistics(agency, start: date, end: date, *, on: date | None = None) -> Statistics:
    """Counts for the messages of `agency` received from `start` to `end` (both included)."""
    if start > end:
        raise ValueError("起始日期不能晚于截止日期。")
    on = on or clock.today()
    calendar = current_calendar()
    stats = Statistics(start=start, end=end, on=on)
    rows = Message.objects.filter(agency=agency, received_on__gte=start, received_on__lte=end).only(
        "category", "channel", "received_on", "time_limit_days", "replied_on", "status", "outcome",
    )
    for m in rows.iterator(chunk_size=2000):
        buckets = (stats.total, stats.by_category[m.category], stats.by_channel[m.channel])
        if m.outcome == Outcome.INVALID:
            for b in buckets:
                b.invalid += 1
            continue
        stats.matrix[(m.category, m.channel)] = stats.matrix.get((m.category, m.channel), 0) + 1
        deadline = message_deadline(m, on=on, calendar=calendar)
        for b in buckets:
            b.received += 1
            if m.outcome == Outcome.REPLIED:
                b.replied += 1
                b.reply_working_days += calendar.working_days_between(m.received_on, m.replied_on)
                if deadline.overdue:
                    b.late += 1
                else:
                    b.on_time += 1
            elif m.outcome == Outcome.CONVERTED:
                b.converted += 1
            else:
                b.open += 1
                if deadline.overdue:
                    b.open_overdue += 1
    return stats


def interaction_summary(agency, start: date, end: date, *, on: date | None = None) -> dict:
    """The figures the annual report's 总体情况 quotes, as plain data (see README.md)."""
    stats = message_statistics(agency, start, end, on=on)
    channel = {c.value: stats.by_channel[c.value].received for c in Channel}
    return {
        "agency": agency.name,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "as_of": stats.on.isoformat(),
        **stats.total.as_dict(),
        "police_110": channel[Channel.POLICE_110],
        "citizen_messages": channel[Channel.WEBSITE],
        "hotline_12345": channel[Channel.HOTLINE_12345],
        "other": channel[Channel.OTHER],
        "by_channel": {c.value: stats.by_channel[c.value].as_dict() for c in Channel},
        "by_category": {c.value: stats.by_category[c.value].as_dict() for c in Category},
        "sentence": stats.sentence(),
    }
