"""One place to turn user input (query parameters, form fields, file cells) into ids, numbers and dates.

Why: `int(request.GET["agency"])` accepts 20 digits that overflow the database, `"²".isdigit()`
is true but `int("²")` raises, and a date in year 1 or 9999 breaks working-day arithmetic.
Every public query parameter and every staff date goes through these helpers or the form
fields below, which refuse such input with a Chinese message instead of a server error.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import forms

# Primary keys are 64-bit (BigAutoField); SQLite and PostgreSQL both overflow beyond this.
MAX_ID = 2**63 - 1
# Dates a person may type into any form: wide enough for every real case, narrow enough for
# the working-day calendars (chinesecalendar and the year files) and date arithmetic.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
MAX_INT_DIGITS = 18

_ASCII_INT = re.compile(r"[+-]?[0-9]{1,%d}" % MAX_INT_DIGITS)
_ASCII_ID = re.compile(r"[0-9]{1,19}")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_id(value) -> int | None:
    """A database id from a query parameter or form value; None for anything else (never raises)."""
    if value is None:
        return None
    text = str(value).strip()
    if not _ASCII_ID.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_int(value, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
    """An integer written with ASCII digits (at most 18), within the bounds; None otherwise."""
    if value is None:
        return None
    text = str(value).strip()
    if not _ASCII_INT.fullmatch(text):
        return None
    number = int(text)
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        return None
    return number


SEARCH_MAX = 100


def search_text(value, max_length: int = SEARCH_MAX) -> str:
    """A search box's words, stripped and cut to `max_length` (SQLite refuses LIKE patterns over 50,000 bytes)."""
    return str(value or "").strip()[:max_length]


def in_date_range(day: date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


def parse_date(value) -> date | None:
    """YYYY-MM-DD within DATE_MIN..DATE_MAX; None for anything else (never raises)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if in_date_range(value) else None
    if value is None:
        return None
    match = _ISO_DATE.fullmatch(str(value).strip())
    if not match:
        return None
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return day if in_date_range(day) else None


def date_range_text() -> str:
    return f"{DATE_MIN.year}年至{DATE_MAX.year}年"


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside DATE_MIN..DATE_MAX with a Chinese message.

    The browser sees the bounds too (`min`/`max` on the date input), so a person learns the
    range before typing.
    """

    def __init__(self, *, label: str = "日期", min_date: date = DATE_MIN, max_date: date = DATE_MAX, **kwargs):
        self.min_date, self.max_date = min_date, max_date
        messages = {"invalid": "请按 YYYY-MM-DD 填写日期，例如 2026-03-02。", "required": f"请填写{label}。"}
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(label=label, error_messages=messages, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(min=self.min_date.isoformat(), max=self.max_date.isoformat())
        return attrs

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 40:  # no date is that long; do not parse megabytes
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and not (self.min_date <= value <= self.max_date):
            raise forms.ValidationError(
                f"{self.label}“{value.isoformat()}”超出允许的范围，请填写{self.min_date.year}年至{self.max_date.year}年之间的日期。",
                code="date_range",
            )


def bounded_date_field(label: str, *, required: bool = True, help_text: str = "", **kwargs) -> BoundedDateField:
    """The house date input: `<input type=date min max>`, Chinese messages, 1900–2100."""
    kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return BoundedDateField(label=label, required=required, help_text=help_text, **kwargs)


def option_date(value, default: date) -> date:
    """A management command's ``--date`` (YYYY-MM-DD), or `default` when not given.

    Anything else is a CommandError in Chinese naming what was typed.
    """
    from django.core.management.base import CommandError

    if not value:
        return default
    day = parse_date(value)
    if day is None:
        raise CommandError(f"日期“{value}”无效，请按 YYYY-MM-DD 填写，如 2026-01-05（{date_range_text()}）。")
    return day
