"""Due dates of messages: the stored facts handed to the legal core (`gongkai.law.messages`).

Nothing here is stored: the due date is computed on every read with the calendar in
force, so loading a new holiday year or correcting one moves every due date without
touching the messages.
"""

from __future__ import annotations

from datetime import date

from gongkai.calendars.services import current_calendar
from gongkai.core import clock
from gongkai.law.calendar import Calendar
from gongkai.law.messages import MessageDeadline
from gongkai.law.messages import message_deadline as law_message_deadline


def message_deadline(message, *, on: date | None = None, calendar: Calendar | None = None) -> MessageDeadline:
    """A message's deadline today (or on ``on``); closed without a reply means no deadline runs."""
    return law_message_deadline(
        message.received_on, message.time_limit_days, replied_on=message.replied_on,
        closed=message.status == "closed", on=on or clock.today(), calendar=calendar or current_calendar(),
    )
