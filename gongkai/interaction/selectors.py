"""Reads: message lists, the overdue board, the public list, query-code look-up.

Every function takes the agencies to read (`agency=` or `agency_ids=`), never "all".
Deadlines are computed here from the stored facts with one calendar per call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from gongkai.agencies.access import visible_agency_ids
from gongkai.calendars.services import current_calendar
from gongkai.core import querycodes
from gongkai.core.fields import normalise_phone, phone_hash
from gongkai.core import clock
from gongkai.law.masking import ALL_KINDS, REPLY_KINDS, find_personal_data, mask_personal_data
from gongkai.law.messages import DEFAULT_TIME_LIMITS, MessageDeadline
from gongkai.law.replies import PETITION

from .deadlines import message_deadline
from .models import (
    OPEN_STATUSES, Category, Channel, Message, MessageSettings, Reply, ReplyStatus, Status,
)
from .permissions import can_see_personal_data


def agency_ids_for(user) -> set[int]:
    """Agencies whose messages this user may read (own; supervised ones for 政务公开办)."""
    return visible_agency_ids(user)


def message_list(
    *, agency_ids, status: str = "", category: str = "", channel: str = "", department_id: int | None = None,
    q: str = "", state: str = "",
) -> QuerySet[Message]:
    qs = Message.objects.filter(agency_id__in=agency_ids).select_related("agency", "department")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if category in Category.values:
        qs = qs.filter(category=category)
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if state == "published":
        qs = qs.filter(published_at__isnull=False)
    elif state == "to_publish":
        qs = qs.filter(outcome="replied", wants_public=True, published_at__isnull=True)
    q = (q or "").strip()
    if q:
        found = Q(title__icontains=q) | Q(content__icontains=q) | Q(ticket_number__icontains=q)
        if len(normalise_phone(q)) >= 7:  # the phone column is encrypted: exact match by keyed hash
            found |= Q(writer_phone_hash=phone_hash(q))
        qs = qs.filter(found)
    return qs.order_by("-received_on", "-id")


@dataclass
class Row:
    """A message as staff see it in lists: deadline computed, personal data only if allowed."""

    message: Message
    deadline: MessageDeadline
    show_personal: bool

    @property
    def title(self) -> str:
        if self.show_personal:
            return self.message.title
        return masked_text(self.message, self.message.title)

    @property
    def writer(self) -> str:
        if self.show_personal:
            return self.message.writer_name or "（未留姓名）"
        return "（个人信息不显示）"


def masked_text(message: Message, text: str, *, reply: bool = False) -> str:
    names = [message.writer_name] if message.writer_name else []
    return mask_personal_data(text, names=names, kinds=REPLY_KINDS if reply else ALL_KINDS).text


def rows_for(user, messages, *, on: date | None = None) -> list[Row]:
    calendar = current_calendar()
    on = on or clock.today()
    allowed: dict[int, bool] = {}
    rows = []
    for message in messages:
        if message.agency_id not in allowed:
            allowed[message.agency_id] = can_see_personal_data(user, message.agency)
        rows.append(Row(message, message_deadline(message, on=on, calendar=calendar), allowed[message.agency_id]))
    return rows


@dataclass
class Board:
    veto: list[Row] = field(default_factory=list)  # open > 3 months: fails the national inspection
    overdue: list[Row] = field(default_factory=list)
    due_soon: list[Row] = field(default_factory=list)
    pending_approval: list[Row] = field(default_factory=list)
    untriaged: list[Row] = field(default_factory=list)
    open_count: int = 0


def remind_before_days(agency_ids) -> dict[int, int]:
    found = dict(MessageSettings.objects.filter(agency_id__in=agency_ids).values_list("agency_id", "remind_before_days"))
    return {pk: found.get(pk, 2) for pk in agency_ids}


def overdue_board(user, *, agency_ids, on: date | None = None) -> Board:
    """Open messages sorted into what needs attention first."""
    on = on or clock.today()
    open_messages = (
        Message.objects.filter(agency_id__in=agency_ids, status__in=OPEN_STATUSES)
        .select_related("agency", "department").order_by("received_on", "id")
    )
    lead = remind_before_days(agency_ids)
    board = Board()
    for row in rows_for(user, open_messages, on=on):
        board.open_count += 1
        d = row.deadline
        if d.veto:
            board.veto.append(row)
        elif d.overdue:
            board.overdue.append(row)
        elif d.remaining <= lead[row.message.agency_id]:
            board.due_soon.append(row)
        if row.message.status == Status.PENDING_APPROVAL:
            board.pending_approval.append(row)
        elif row.message.status == Status.RECEIVED:
            board.untriaged.append(row)
    return board


def case(message_id: int, *, agency_ids) -> Message | None:
    return (
        Message.objects.filter(pk=message_id, agency_id__in=agency_ids)
        .select_related("agency", "department", "import_batch")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("department", "drafted_by", "reviewed_by")),
            "routings__from_department", "routings__to_department", "routings__routed_by",
        )
        .first()
    )


# ---------------------------------------------------------------------------------------
# public


def published_messages(*, agency_ids=None, q: str = "", category: str = "") -> QuerySet[Message]:
    """Replied messages the writer allowed to publish and staff published (masked texts only)."""
    qs = Message.objects.filter(published_at__isnull=False, outcome="replied", wants_public=True)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if category in Category.values:
        qs = qs.filter(category=category)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(public_title__icontains=q) | Q(public_content__icontains=q) | Q(public_reply__icontains=q))
    return (
        qs.select_related("agency")
        .prefetch_related(Prefetch(
            "replies", queryset=Reply.objects.filter(status=ReplyStatus.APPROVED).select_related("department"),
        ))
        .order_by("-replied_on", "-id")
    )


def by_query_code(code: str) -> Message | None:
    code = querycodes.normalise(code)
    if not code:
        return None
    return (
        Message.objects.filter(query_code=code).select_related("agency", "department")
        .prefetch_related(Prefetch(
            "replies", queryset=Reply.objects.filter(status=ReplyStatus.APPROVED).select_related("department"),
        ))
        .first()
    )


# ---------------------------------------------------------------------------------------
# what the actions read


def time_limits(agency) -> dict[str, int]:
    """Working days per category for this agency (its settings, or the defaults)."""
    row = MessageSettings.objects.filter(agency=agency).first()
    if row is None:
        return dict(DEFAULT_TIME_LIMITS)
    return {c.value: row.time_limit(c) for c in Category}


def working_reply(message: Message) -> Reply | None:
    return message.replies.filter(
        status__in=[ReplyStatus.DRAFT, ReplyStatus.PENDING, ReplyStatus.RETURNED]
    ).first()


def public_text_problems(message: Message, public_title: str, public_content: str, public_reply: str) -> dict:
    """Field -> Chinese message for personal data still present in the texts to publish."""
    names = [message.writer_name] if message.writer_name else []
    problems = {}
    for field, text, kinds in (
        ("public_title", public_title, ALL_KINDS),
        ("public_content", public_content, ALL_KINDS),
        ("public_reply", public_reply, REPLY_KINDS),
    ):
        found = find_personal_data(text, names=names, kinds=kinds)
        if found:
            kinds_found = "、".join(dict.fromkeys(f.kind for f in found))
            problems[field] = f"仍含有个人信息（{kinds_found}），请遮盖后再公开。"
    return problems


def application_convertible(application) -> bool:
    """An application closed as a petition or complaint (（五）1) and not yet turned into a message."""
    return (application.outcome == PETITION
            and not Message.objects.filter(source_application=application).exists())


def failed_imports(agency_ids, *, days: int = 14) -> list:
    """Ticket imports of these agencies in the last `days` that failed or whose file was refused, unless the same
    file was imported successfully afterwards (今日待办)."""
    from datetime import timedelta

    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from .models import TicketImportJob

    Status = TicketImportJob.Status
    later_success = TicketImportJob.objects.filter(agency_id=OuterRef("agency_id"), filename=OuterRef("filename"),
                                                   created_at__gt=OuterRef("created_at"), status=Status.DONE, ok=True,
                                                   dry_run=False)
    return list(TicketImportJob.objects.filter(agency_id__in=agency_ids, created_at__gte=timezone.now() - timedelta(days=days))
                .filter(Q(status=Status.FAILED) | Q(status=Status.DONE, ok=False))
                .exclude(Exists(later_success)).select_related("agency").order_by("-created_at"))
