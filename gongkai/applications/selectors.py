"""Reads: the case list, the deadlines board, a case with its clock. Always agency-scoped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from gongkai.agencies.access import visible_agency_ids
from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError
from gongkai.core.fields import identity_hash, normalise_phone, phone_hash
from gongkai.law.fees import compute_fee_by_count, compute_fee_by_pages
from gongkai.law.sameinfo import Case, group_cases

from . import caseclock
from .models import OPEN_STATUSES, Applicant, Application, ApplicationEvent, EventKind, FeeMethod, IdType

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


# --------------------------------------------------------------------------------------
# 依申请转主动 (《条例》第四十四条): cases of several applicants asking for the same information


@dataclass
class SameInfoRow:
    """A computed group: its cases (oldest first), how many distinct applicants, and what was decided."""

    key: str  # "c<id of its first case>": what a decision row records
    cases: list[Application]
    applicants: int
    doc_numbers: list[str]
    score: float
    decision: object = None  # SameInfoGroup, when staff converted or dismissed it
    published: list[dict] = field(default_factory=list)  # pages that already carry the information

    @property
    def latest(self) -> date:
        return max(c.received_on for c in self.cases)

    @property
    def title(self) -> str:
        """The subject most cases share (the first case's, when all differ)."""
        subjects = [c.subject for c in self.cases]
        return max(subjects, key=lambda s: (subjects.count(s), -subjects.index(s)))

    @property
    def first(self) -> Application:
        return self.cases[0]


def same_info_candidates(*, agency, today: date | None = None, months: int | None = None) -> list[Case]:
    """The agency's cases of the last `months` months as the pure grouping sees them (one query)."""
    from django.conf import settings

    today = today or system_clock.today()
    months = settings.SAME_INFO_MONTHS if months is None else months
    first_month = today.year * 12 + today.month - 1 - months  # the 1st of the month `months` months back
    since = date(first_month // 12, first_month % 12 + 1, 1)
    rows = (Application.objects.filter(agency=agency, received_on__gte=since)
            .order_by("received_on", "id")
            .values_list("id", "applicant__identity_hash", "applicant_id", "document_number", "subject", "description"))
    return [Case(id=pk, applicant=identity or f"a{applicant_id}", doc_number=number,
                 text=f"{subject} {description}") for pk, identity, applicant_id, number, subject, description in rows]


def same_info_groups(*, agency, min_applicants: int | None = None, threshold: float | None = None,
                     today: date | None = None) -> list[SameInfoRow]:
    """Groups of the agency's cases asking for the same information, newest first (《条例》第四十四条).

    A group needs `min_applicants` distinct applicants (by document hash: one person applying
    three times counts once). Decided groups (converted or dismissed) are included with their
    decision; `published` lists the pages the replies pointed to (已主动公开); `suggest_published`
    adds what the portal's search finds, for the groups shown.
    """
    from django.conf import settings

    from .models import SameInfoGroup

    groups = group_cases(same_info_candidates(agency=agency, today=today),
                         threshold=settings.SAME_INFO_THRESHOLD if threshold is None else threshold,
                         min_applicants=settings.SAME_INFO_MIN_APPLICANTS if min_applicants is None else min_applicants)
    ids = [i for g in groups for i in g.ids]
    cases = Application.objects.filter(agency=agency, pk__in=ids).select_related("applicant").in_bulk()
    decided = {}
    for row in (SameInfoGroup.objects.filter(agency=agency, applications__in=ids).distinct()
                .select_related("decided_by").prefetch_related("applications")):
        for app in row.applications.all():
            decided[app.pk] = row
    replies = {}
    for app_id, data in ApplicationEvent.objects.filter(agency=agency, application_id__in=ids,
                                                        kind=EventKind.DECIDED).values_list("application_id", "data"):
        if (data or {}).get("published"):
            replies[app_id] = data["published"]
    out = []
    for g in groups:
        row = SameInfoRow(key=f"c{min(g.ids)}", cases=[cases[i] for i in g.ids], applicants=g.applicants,
                          doc_numbers=g.doc_numbers, score=g.score,
                          decision=next((decided[i] for i in g.ids if i in decided), None))
        seen = set()
        for i in g.ids:
            if i in replies and replies[i].get("page_id") not in seen:
                seen.add(replies[i].get("page_id"))
                row.published.append(replies[i])
        out.append(row)
    out.sort(key=lambda r: (r.latest, r.cases[-1].pk), reverse=True)
    return out


def suggest_published(rows, *, agency) -> None:
    """For undecided groups no reply pointed to a page: what the portal's search finds (one query a group)."""
    from .published import find_published

    for row in rows:
        if row.decision is None and not row.published:
            row.published = find_published(agency, row.title, limit=3)


def same_info_group_for(*, agency, application_id: int, **kwargs) -> SameInfoRow | None:
    """The computed group that contains this case, if any."""
    return next((g for g in same_info_groups(agency=agency, **kwargs)
                 if any(c.pk == application_id for c in g.cases)), None)
