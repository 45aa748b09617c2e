"""State changes of messages, replies, departments and settings: one function per verb.

Each action is atomic, locks what it changes, checks the current status, raises
`MessageError` (Chinese message, optional form field) when the step is not allowed and
writes exactly one audit event. Mail to writers and staff is sent after commit.
Staff actions check the actor's role when an actor is given; `actor=None` is the
system itself (the public form, the command line, the demo loader).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.models import Membership
from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.law.masking import ALL_KINDS, REPLY_KINDS, find_personal_data
from gongkai.law.messages import DEFAULT_TIME_LIMITS, MAX_TIME_LIMIT, MIN_TIME_LIMIT

from . import notify, spam
from .models import (
    OPEN_STATUSES, Category, Channel, Department, Message, MessageSettings,
    Outcome, Reply, ReplyStatus, Routing, Status,
)
from .permissions import can_approve, can_configure, handles_messages

QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 12
HOTLINE_CHANNELS = (Channel.POLICE_110, Channel.HOTLINE_12345)


class MessageError(ValueError):
    """A refused step; the message (Chinese) says what is wrong and what to do."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------------------------------
# helpers


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalise_query_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def format_query_code(code: str) -> str:
    return "-".join(code[i: i + 4] for i in range(0, len(code), 4))


def time_limits(agency) -> dict[str, int]:
    """Working days per category for this agency (its settings, or the defaults)."""
    row = MessageSettings.objects.filter(agency=agency).first()
    if row is None:
        return dict(DEFAULT_TIME_LIMITS)
    return {c.value: row.time_limit(c) for c in Category}


def _require_handler(actor, agency) -> None:
    if actor is not None and not handles_messages(actor, agency):
        raise MessageError("您不是本机关的留言办理人员（留言办理或公开工作机构负责人），不能办理该留言。")


def _lock(message: Message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


def _require_status(message: Message, allowed, doing: str) -> None:
    if message.status not in allowed:
        raise MessageError(f"该留言当前状态为“{message.get_status_display()}”，不能{doing}。")


def _department(agency, department) -> Department | None:
    if department is None:
        return None
    if department.agency_id != agency.pk:
        raise MessageError("办理部门不属于本机关，请重新选择。", "department")
    if not department.is_active:
        raise MessageError(f"办理部门“{department.name}”已停用，请选择其他部门。", "department")
    return department


def _check_day(on: date, message: Message | None = None, what: str = "日期") -> date:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise MessageError(f"请填写{what}（格式 YYYY-MM-DD）。")
    if on > clock.today():
        raise MessageError(f"{what}不能晚于今天。")
    if message is not None and on < message.received_on:
        raise MessageError(f"{what}不能早于受理日期 {message.received_on:%Y-%m-%d}。")
    return on


def _dept_name(department) -> str | None:
    return department.name if department is not None else None


# ---------------------------------------------------------------------------------------
# messages


@transaction.atomic
def message_register(
    agency, *, actor, category: str, channel: str, title: str, content: str, writer_name: str = "",
    writer_phone: str = "", writer_email: str = "", wants_public: bool = False, received_on: date | None = None,
    received_at: datetime | None = None, ticket_number: str = "", department: Department | None = None,
    attachment=None, attachment_name: str = "", source_application_id: int | None = None,
    conversion_reason: str = "", audit_code: str = "interaction.message_register", check_role: bool = True,
) -> Message:
    """Register a message from the public form, a staff entry or another channel."""
    if check_role:
        _require_handler(actor, agency)
    if category not in Category.values:
        raise MessageError("请选择留言类别（咨询、建议、投诉或局长信箱）。", "category")
    if channel not in Channel.values:
        raise MessageError("请选择渠道（网站留言、110联动、12345 或 其他）。", "channel")
    content = (content or "").strip()
    if not content:
        raise MessageError("请填写留言内容。", "content")
    title = (title or "").strip() or content.replace("\n", " ")[:30]
    if len(title) > 100:
        raise MessageError("标题不能超过100个字。", "title")
    ticket_number = (ticket_number or "").strip()
    if ticket_number and channel not in HOTLINE_CHANNELS:
        raise MessageError("只有110联动和12345工单才有工单编号。", "ticket_number")
    if ticket_number and Message.objects.filter(agency=agency, ticket_number=ticket_number).exists():
        raise MessageError(f"工单编号 {ticket_number} 已经登记过，不能重复登记。", "ticket_number")
    received_on = _check_day(received_on or clock.today(), what="受理日期")
    department = _department(agency, department)
    message = Message(
        agency=agency, category=category, channel=channel, ticket_number=ticket_number, title=title,
        content=content, writer_name=(writer_name or "").strip(), writer_phone=(writer_phone or "").strip(),
        writer_email=(writer_email or "").strip(), wants_public=bool(wants_public), received_on=received_on,
        received_at=received_at, time_limit_days=time_limits(agency)[category], department=department,
        status=Status.IN_PROGRESS if department else Status.RECEIVED,
        content_fingerprint=spam.fingerprint(content), attachment_name=(attachment_name or "")[:120],
        source_application_id=source_application_id, conversion_reason=conversion_reason,
    )
    if attachment is not None:
        message.attachment.save(f"{secrets.token_hex(12)}{_ext(attachment_name)}", attachment, save=False)
    for _attempt in range(5):
        message.query_code = new_query_code()
        try:
            with transaction.atomic():
                message.save()
            break
        except IntegrityError:
            if Message.objects.filter(query_code=message.query_code).exists():
                continue
            raise
    new = {
        "category": category, "channel": channel, "received_on": received_on.isoformat(),
        "department": _dept_name(department), "wants_public": message.wants_public,
        "time_limit_days": message.time_limit_days, "status": message.status,
    }
    if ticket_number:
        new["ticket_number"] = ticket_number
    if attachment is not None:
        new["attachment"] = True
    if source_application_id is not None:
        new["source_application"] = source_application_id
        new["reason"] = conversion_reason
    record(audit_code, actor=actor, agency=agency, subject=message, new=new)
    if message.writer_email and channel == Channel.WEBSITE:
        notify.later(lambda: notify.receipt_to_writer(message))
    return message


def _ext(name: str) -> str:
    import os

    ext = os.path.splitext(name or "")[1].lower()
    return ext if ext in (".pdf", ".jpg", ".jpeg", ".png", ".docx") else ""


@transaction.atomic
def message_triage(message: Message, *, actor, category: str, department: Department, note: str = "") -> Message:
    """分办: confirm the category (which sets the time limit) and the handling department."""
    message = _lock(message)
    _require_handler(actor, message.agency)
    _require_status(message, (Status.RECEIVED, Status.IN_PROGRESS), "分办")
    if category not in Category.values:
        raise MessageError("请选择留言类别。", "category")
    if department is None:
        raise MessageError("请选择办理部门。", "department")
    department = _department(message.agency, department)
    if message.department_id and message.department_id != department.pk:
        raise MessageError("该留言已分办给其他部门；如需改由其他部门办理，请使用“转办”并写明理由。", "department")
    old = {"category": message.category, "department": _dept_name(message.department),
           "time_limit_days": message.time_limit_days, "status": message.status}
    message.category = category
    message.department = department
    message.time_limit_days = time_limits(message.agency)[category] if category != old["category"] else \
        message.time_limit_days
    message.status = Status.IN_PROGRESS
    new = {"category": message.category, "department": department.name,
           "time_limit_days": message.time_limit_days, "status": message.status}
    if new == old:
        raise MessageError("类别和办理部门都没有变化，无需重新分办。")
    message.save(update_fields=["category", "department", "time_limit_days", "status"])
    diff_old = {k: v for k, v in old.items() if new[k] != v}
    diff_new = {k: new[k] for k in diff_old}
    if note.strip():
        diff_new["note"] = note.strip()
    record("interaction.message_triage", actor=actor, agency=message.agency, subject=message,
           old=diff_old, new=diff_new)
    return message


@transaction.atomic
def message_route(message: Message, *, actor, department: Department, note: str) -> Routing:
    """转办: hand the message to another department, with the reason."""
    message = _lock(message)
    _require_handler(actor, message.agency)
    _require_status(message, (Status.IN_PROGRESS,), "转办")
    if department is None:
        raise MessageError("请选择转至的部门。", "department")
    department = _department(message.agency, department)
    if department.pk == message.department_id:
        raise MessageError(f"该留言已由“{department.name}”办理，请选择其他部门。", "department")
    note = (note or "").strip()
    if not note:
        raise MessageError("请写明转办理由，便于接办部门了解情况。", "note")
    previous = message.department
    routing = Routing.objects.create(
        agency=message.agency, message=message, from_department=previous, to_department=department, note=note,
        routed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    message.department = department
    message.save(update_fields=["department"])
    Reply.objects.filter(message=message, status__in=[ReplyStatus.DRAFT, ReplyStatus.RETURNED]).update(
        department=department
    )
    record("interaction.message_route", actor=actor, agency=message.agency, subject=message,
           old={"department": _dept_name(previous)}, new={"department": department.name, "note": note})
    notify.later(lambda: notify.routed_to_department(message, routing))
    return routing


@transaction.atomic
def message_reveal_writer(message: Message, *, actor) -> Message:
    """A handler sees the writer's full phone and e-mail (masked by default); every view is audited.

    The audit row names what was shown, never the values; the supervising office and
    other agencies never see them (`permissions.can_see_personal_data`).
    """
    if actor is None or not handles_messages(actor, message.agency):
        raise MessageError("只有本机关的留言办理人员可以查看写信人的完整联系方式。")
    record("interaction.writer_reveal", actor=actor, agency=message.agency, subject=message,
           new={"fields": ["writer_phone", "writer_email"]})
    return message


@transaction.atomic
def message_mark_invalid(message: Message, *, actor, reason: str) -> Message:
    """Close a message that needs no reply (spam, abuse, empty, a duplicate of another)."""
    message = _lock(message)
    _require_handler(actor, message.agency)
    _require_status(message, (Status.RECEIVED, Status.IN_PROGRESS), "认定为无效留言")
    reason = (reason or "").strip()
    if not reason:
        raise MessageError("请写明认定为无效留言的理由（例如：重复留言、内容与本机关职责无关且无法联系等）。", "reason")
    old_status = message.status
    message.status = Status.CLOSED
    message.outcome = Outcome.INVALID
    message.outcome_note = reason
    message.save(update_fields=["status", "outcome", "outcome_note"])
    record("interaction.message_mark_invalid", actor=actor, agency=message.agency, subject=message,
           old={"status": old_status}, new={"status": message.status, "outcome": message.outcome, "reason": reason})
    return message


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


@transaction.atomic
def message_publish(message: Message, *, actor, public_title: str, public_content: str, public_reply: str) -> Message:
    """Publish a replied message the writer allowed to publish, with personal data masked."""
    message = _lock(message)
    _require_handler(actor, message.agency)
    if message.outcome != Outcome.REPLIED:
        raise MessageError("只有已答复的留言才能公开。")
    if not message.wants_public:
        raise MessageError("写信人未同意公开该留言，不能公开。")
    if message.published_at is not None:
        raise MessageError("该留言已经公开。")
    texts = {"public_title": (public_title or "").strip(), "public_content": (public_content or "").strip(),
             "public_reply": (public_reply or "").strip()}
    for field, label in (("public_title", "公开标题"), ("public_content", "公开的留言内容"),
                         ("public_reply", "公开的答复内容")):
        if not texts[field]:
            raise MessageError(f"请填写{label}。", field)
    if len(texts["public_title"]) > 100:
        raise MessageError("公开标题不能超过100个字。", "public_title")
    problems = public_text_problems(message, **texts)
    if problems:
        field, text = next(iter(problems.items()))
        raise MessageError(text, field)
    for field, value in texts.items():
        setattr(message, field, value)
    message.published_at = timezone.now()
    message.save(update_fields=[*texts, "published_at"])
    record("interaction.message_publish", actor=actor, agency=message.agency, subject=message,
           new={"published_at": message.published_at.isoformat(), "title": texts["public_title"]})
    return message


@transaction.atomic
def message_unpublish(message: Message, *, actor, reason: str) -> Message:
    message = _lock(message)
    _require_handler(actor, message.agency)
    if message.published_at is None:
        raise MessageError("该留言没有公开，无需撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise MessageError("请写明撤回公开的理由。", "reason")
    old = message.published_at.isoformat()
    message.published_at = None
    message.save(update_fields=["published_at"])
    record("interaction.message_unpublish", actor=actor, agency=message.agency, subject=message,
           old={"published_at": old}, new={"published_at": None, "reason": reason})
    return message


# ---------------------------------------------------------------------------------------
# replies


def working_reply(message: Message) -> Reply | None:
    return message.replies.filter(
        status__in=[ReplyStatus.DRAFT, ReplyStatus.PENDING, ReplyStatus.RETURNED]
    ).first()


@transaction.atomic
def reply_draft(message: Message, *, actor, text: str) -> Reply:
    """Write or revise the reply of the handling department (before approval)."""
    message = _lock(message)
    _require_handler(actor, message.agency)
    if message.status == Status.PENDING_APPROVAL:
        raise MessageError("答复已提交审批，审批前不能修改。")
    _require_status(message, (Status.IN_PROGRESS,), "起草答复（请先分办）")
    text = (text or "").strip()
    if not text:
        raise MessageError("请填写答复内容。", "text")
    reply = working_reply(message)
    if reply is not None and reply.status == ReplyStatus.PENDING:
        raise MessageError("答复已提交审批，审批前不能修改。")
    old = None
    if reply is None:
        reply = Reply(agency=message.agency, message=message, department=message.department, text=text,
                      drafted_by=actor if getattr(actor, "is_authenticated", False) else None)
    else:
        if reply.text == text and reply.status == ReplyStatus.DRAFT:
            return reply
        old = {"status": reply.status, "length": len(reply.text)}
        reply.text = text
        reply.status = ReplyStatus.DRAFT
        reply.department = message.department
        if getattr(actor, "is_authenticated", False):
            reply.drafted_by = actor
    reply.save()
    record("interaction.reply_draft", actor=actor, agency=message.agency, subject=reply, old=old,
           new={"status": reply.status, "length": len(text), "department": _dept_name(reply.department)})
    return reply


@transaction.atomic
def reply_submit(reply: Reply, *, actor) -> Reply:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    message = _lock(reply.message)
    _require_handler(actor, message.agency)
    if reply.status != ReplyStatus.DRAFT:
        raise MessageError(f"答复当前为“{reply.get_status_display()}”，只有草稿才能提交审批。")
    _require_status(message, (Status.IN_PROGRESS,), "提交答复审批")
    reply.status = ReplyStatus.PENDING
    reply.submitted_at = timezone.now()
    reply.save(update_fields=["status", "submitted_at"])
    message.status = Status.PENDING_APPROVAL
    message.save(update_fields=["status"])
    record("interaction.reply_submit", actor=actor, agency=message.agency, subject=reply,
           old={"status": ReplyStatus.DRAFT}, new={"status": reply.status})
    notify.later(lambda: notify.approval_requested(message))
    return reply


@transaction.atomic
def reply_approve(reply: Reply, *, actor, on: date | None = None, note: str = "") -> Reply:
    """The approver signs the reply off; the message is answered on `on` (default today)."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    message = _lock(reply.message)
    if actor is not None and not can_approve(actor, message.agency):
        raise MessageError("只有公开工作机构负责人或指定审批人才能审批答复。")
    if actor is not None and reply.drafted_by_id == getattr(actor, "pk", None):
        raise MessageError("不能审批自己起草的答复，请由另一位审批人审批。")
    if reply.status != ReplyStatus.PENDING:
        raise MessageError(f"答复当前为“{reply.get_status_display()}”，只有待审批的答复才能审批。")
    _require_status(message, (Status.PENDING_APPROVAL,), "审批答复")
    replied_on = _check_day(on or clock.today(), message, "答复日期")
    reply.status = ReplyStatus.APPROVED
    reply.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    reply.reviewed_at = timezone.now()
    reply.review_note = (note or "").strip()
    reply.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    message.status = Status.CLOSED
    message.outcome = Outcome.REPLIED
    message.replied_on = replied_on
    message.save(update_fields=["status", "outcome", "replied_on"])
    record("interaction.reply_approve", actor=actor, agency=message.agency, subject=reply,
           old={"status": ReplyStatus.PENDING},
           new={"status": reply.status, "replied_on": replied_on.isoformat(), "message_status": message.status})
    if message.writer_email:
        notify.later(lambda: notify.reply_to_writer(message))
    return reply


@transaction.atomic
def reply_return(reply: Reply, *, actor, note: str) -> Reply:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    message = _lock(reply.message)
    if actor is not None and not can_approve(actor, message.agency):
        raise MessageError("只有公开工作机构负责人或指定审批人才能退回答复。")
    if reply.status != ReplyStatus.PENDING:
        raise MessageError(f"答复当前为“{reply.get_status_display()}”，只有待审批的答复才能退回。")
    note = (note or "").strip()
    if not note:
        raise MessageError("请写明退回修改的意见。", "note")
    reply.status = ReplyStatus.RETURNED
    reply.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    reply.reviewed_at = timezone.now()
    reply.review_note = note
    reply.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    message.status = Status.IN_PROGRESS
    message.save(update_fields=["status"])
    record("interaction.reply_return", actor=actor, agency=message.agency, subject=reply,
           old={"status": ReplyStatus.PENDING}, new={"status": reply.status, "note": note})
    notify.later(lambda: notify.reply_returned(message, reply))
    return reply


# ---------------------------------------------------------------------------------------
# departments and settings


@transaction.atomic
def department_create(agency, *, actor, name: str) -> Department:
    _require_handler(actor, agency)
    name = (name or "").strip()
    if not name:
        raise MessageError("请填写部门名称。", "name")
    if Department.objects.filter(agency=agency, name=name).exists():
        raise MessageError(f"本机关已有名为“{name}”的部门。", "name")
    department = Department.objects.create(agency=agency, name=name)
    record("interaction.department_create", actor=actor, agency=agency, subject=department, new={"name": name})
    return department


@transaction.atomic
def department_update(department: Department, *, actor, name: str | None = None,
                      is_active: bool | None = None) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    _require_handler(actor, department.agency)
    old = {"name": department.name, "is_active": department.is_active}
    if name is not None:
        name = name.strip()
        if not name:
            raise MessageError("请填写部门名称。", "name")
        if Department.objects.filter(agency=department.agency, name=name).exclude(pk=department.pk).exists():
            raise MessageError(f"本机关已有名为“{name}”的部门。", "name")
        department.name = name
    if is_active is not None:
        if not is_active and department.messages.filter(status__in=OPEN_STATUSES).exists():
            raise MessageError("该部门还有未办结的留言，请先转办后再停用。", "is_active")
        department.is_active = is_active
    new = {"name": department.name, "is_active": department.is_active}
    if new == old:
        return department
    department.save()
    diff_old = {k: v for k, v in old.items() if new[k] != v}
    record("interaction.department_update", actor=actor, agency=department.agency, subject=department,
           old=diff_old, new={k: new[k] for k in diff_old})
    return department


SETTINGS_FIELDS = ("consult_days", "suggestion_days", "complaint_days", "director_mailbox_days",
                   "remind_before_days", "approver")


@transaction.atomic
def message_settings_update(agency, *, actor, **values) -> MessageSettings:
    """Change an agency's time limits, reminder lead time or approver.

    A new time limit applies to messages registered or re-classified afterwards; a
    message keeps the limit that applied when it was classified.
    """
    if actor is not None and not can_configure(actor, agency):
        raise MessageError("只有公开工作机构负责人才能修改留言办理设置。")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings {sorted(unknown)}")
    row = MessageSettings.objects.select_for_update().filter(agency=agency).first() or MessageSettings(agency=agency)

    def snap():
        return {f: (row.approver.get_username() if row.approver_id else None) if f == "approver"
                else getattr(row, f) for f in SETTINGS_FIELDS}

    old = snap() if row.pk else None
    for field, value in values.items():
        if field == "approver":
            if value is not None and not Membership.objects.filter(user=value, agency=agency).exists():
                raise MessageError("指定审批人须为本机关的工作人员。", "approver")
        elif field == "remind_before_days":
            if not isinstance(value, int) or not 0 <= value <= 20:
                raise MessageError("提前提醒天数应为0至20之间的整数。", field)
        elif not isinstance(value, int) or not MIN_TIME_LIMIT <= value <= MAX_TIME_LIMIT:
            raise MessageError(f"办理时限应为{MIN_TIME_LIMIT}至{MAX_TIME_LIMIT}之间的工作日数。", field)
        setattr(row, field, value)
    new = snap()
    if old == new:
        return row
    row.save()
    if old is None:
        record("interaction.settings_update", actor=actor, agency=agency, subject=row, new=new)
    else:
        diff_old = {k: v for k, v in old.items() if new[k] != v}
        record("interaction.settings_update", actor=actor, agency=agency, subject=row,
               old=diff_old, new={k: new[k] for k in diff_old})
    return row


# Batch work and conversions live in their own modules; they are re-exported here so that
# every state change can still be reached as `actions.<entity>_<verb>`.
from .actions_batch import reminders_send, tickets_import  # noqa: E402,F401
from .actions_conversion import (  # noqa: E402,F401
    ART39_DEFAULT_REASON, message_convert_to_application, message_create_from_application,
)
