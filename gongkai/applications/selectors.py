"""Reads: the case list, the deadlines board, a case with its clock. Always agency-scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from gongkai.agencies.access import visible_agency_ids
from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError
from gongkai.core.fields import identity_hash, normalise_phone, phone_hash
from gongkai.law.fees import compute_fee_by_count, compute_fee_by_pages

from . import caseclock
from .models import OPEN_STATUSES, Applicant, Application, FeeMethod, IdType

SOON_WORKING_DAYS = 3


def agency_ids_for(user) -> set[int]:
    return visible_agency_ids(user)


def case_list(*, agency_ids, status: str = "", q: str = "", open_only: bool = False):
    qs = Application.objects.filter(agency_id__in=agency_ids).select_related("applicant", "agency")
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(subject__icontains=q) | Q(applicant__name__icontains=q)
                       | _personal_data_match(q))
    return qs.order_by("-received_on", "-id")


def _personal_data_match(q: str) -> Q:
    """An exact ID number (any document type) or phone, found by keyed hash: the columns are encrypted."""
    hashes = {identity_hash(t, q) for t in IdType.values} - {""}
    condition = Q(applicant__identity_hash__in=hashes)
    if len(phone_digits := normalise_phone(q)) >= 7:
        condition |= Q(applicant__phone_hash=phone_hash(phone_digits))
    return condition


def case_for(*, agency_ids, pk: int) -> Application | None:
    return (Application.objects.filter(agency_id__in=agency_ids, pk=pk)
            .select_related("applicant", "agency").first())


def same_identity(agency_id: int, person: Applicant):
    """Applications of the same document holder in the agency (by keyed hash; staff use only)."""
    if person.identity_hash:
        return Application.objects.filter(agency_id=agency_id, applicant__identity_hash=person.identity_hash)
    return Application.objects.filter(agency_id=agency_id, applicant=person)


def nth_in_month(app: Application) -> int:
    """Which application of its applicant's calendar month this one is (by receipt date)."""
    month = app.received_on.replace(day=1)
    same = same_identity(app.agency_id, app.applicant).filter(received_on__gte=month, received_on__lte=app.received_on)
    earlier_same_day = same.filter(received_on=app.received_on, pk__lt=app.pk).count()
    return same.filter(received_on__lt=app.received_on).count() + earlier_same_day + 1


def compute_fee(app: Application, method: str, pages: int | None = None):
    """The fee this application would owe (国办函〔2020〕109号); DomainError for a bad method or page count."""
    if method == FeeMethod.BY_COUNT:
        return compute_fee_by_count(nth_in_month(app))
    if method == FeeMethod.BY_PAGES:
        if not isinstance(pages, int) or pages < 1:
            raise DomainError("按量计收请填写页数（正整数）。", field="pages")
        return compute_fee_by_pages(pages)
    raise DomainError("请选择计收方式：按件计收或按量计收。", field="method")


@dataclass
class BoardRow:
    application: Application
    due: date | None
    days_left: int | None
    state: str
    reason: str
    provisional: bool


@dataclass
class Board:
    overdue: list[BoardRow]
    due_soon: list[BoardRow]
    provisional: list[BoardRow]
    soon_limit: date


def deadlines_board(*, agency_ids, today: date | None = None) -> Board:
    """Open cases that are overdue, due within 3 working days, or have a provisional due date.

    The cached due date selects the candidates (it changes only with an event or a
    calendar change, both of which rewrite it); the live clock gives state and days left.
    """
    today = today or system_clock.today()
    calendar = current_calendar()
    limit = calendar.add_working_days(today, SOON_WORKING_DAYS).date
    candidates = list(
        Application.objects.filter(agency_id__in=agency_ids, status__in=OPEN_STATUSES)
        .filter(Q(due_on__lte=limit) | Q(due_provisional=True))
        .select_related("applicant", "agency").order_by("due_on", "id")
    )
    board = Board([], [], [], limit)
    for app in candidates:
        clock = caseclock.clock_for(app, on=today, calendar=calendar)
        row = BoardRow(app, clock.due, clock.days_left, clock.state, clock.state_reason, clock.provisional)
        if clock.due is not None and clock.due < today:
            board.overdue.append(row)
        elif clock.due is not None and clock.due <= limit:
            board.due_soon.append(row)
        if clock.provisional:
            board.provisional.append(row)
    return board


def reminder_rows(*, agency_ids, today: date | None = None) -> list[BoardRow]:
    board = deadlines_board(agency_ids=agency_ids, today=today)
    return board.overdue + board.due_soon


def find_by_query_code(query_code: str, phone_last4: str) -> Application | None:
    """The public status page's lookup: both the code and the phone's last 4 digits must match."""
    app = Application.objects.filter(query_code=query_code).select_related("applicant", "agency").first()
    if app is None or not app.applicant.phone.endswith(phone_last4):
        return None
    return app
