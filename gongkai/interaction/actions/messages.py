"""Messages: registration, triage (分办), routing (转办), invalidity, publication, the writer's details."""

from __future__ import annotations

import os
import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core import querycodes
from gongkai.core.domain import DomainError, action, lock, require_status

from .. import notify, spam
from ..models import Category, Channel, Department, Message, Outcome, Reply, ReplyStatus, Routing, Status
from ..permissions import handles_messages
from ..selectors import public_text_problems, time_limits
from ._common import _check_day, _department, _dept_name, _require_handler

HOTLINE_CHANNELS = (Channel.POLICE_110, Channel.HOTLINE_12345)


@action("interaction.message_register")
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
        raise DomainError("请选择留言类别（咨询、建议、投诉或局长信箱）。", field="category")
    if channel not in Channel.values:
        raise DomainError("请选择渠道（网站留言、110联动、12345 或 其他）。", field="channel")
    content = (content or "").strip()
    if not content:
        raise DomainError("请填写留言内容。", field="content")
    title = (title or "").strip() or content.replace("\n", " ")[:30]
    if len(title) > 100:
        raise DomainError("标题不能超过100个字。", field="title")
    ticket_number = (ticket_number or "").strip()
    if ticket_number and channel not in HOTLINE_CHANNELS:
        raise DomainError("只有110联动和12345工单才有工单编号。", field="ticket_number")
    if ticket_number and Message.objects.filter(agency=agency, ticket_number=ticket_number).exists():
        raise DomainError(f"工单编号 {ticket_number} 已经登记过，不能重复登记。", field="ticket_number")
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
        message.query_code = querycodes.new_message_code()
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
    ext = os.path.splitext(name or "")[1].lower()
    return ext if ext in (".pdf", ".jpg", ".jpeg", ".png", ".docx") else ""


@action("interaction.message_triage")
def message_triage(message: Message, *, actor, category: str, department: Department, note: str = "") -> Message:
    """分办: confirm the category (which sets the time limit) and the handling department."""
    message = lock(message)
    _require_handler(actor, message.agency)
    require_status(message, (Status.RECEIVED, Status.IN_PROGRESS), "分办")
    if category not in Category.values:
        raise DomainError("请选择留言类别。", field="category")
    if department is None:
        raise DomainError("请选择办理部门。", field="department")
    department = _department(message.agency, department)
    if message.department_id and message.department_id != department.pk:
        raise DomainError("该留言已分办给其他部门；如需改由其他部门办理，请使用“转办”并写明理由。", field="department")
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
        raise DomainError("类别和办理部门都没有变化，无需重新分办。")
    message.save(update_fields=["category", "department", "time_limit_days", "status"])
    diff_old = {k: v for k, v in old.items() if new[k] != v}
    diff_new = {k: new[k] for k in diff_old}
    if note.strip():
        diff_new["note"] = note.strip()
    record("interaction.message_triage", actor=actor, agency=message.agency, subject=message,
           old=diff_old, new=diff_new)
    return message


@action("interaction.message_route")
def message_route(message: Message, *, actor, department: Department, note: str) -> Routing:
    """转办: hand the message to another department, with the reason."""
    message = lock(message)
    _require_handler(actor, message.agency)
    require_status(message, (Status.IN_PROGRESS,), "转办")
    if department is None:
        raise DomainError("请选择转至的部门。", field="department")
    department = _department(message.agency, department)
    if department.pk == message.department_id:
        raise DomainError(f"该留言已由“{department.name}”办理，请选择其他部门。", field="department")
    note = (note or "").strip()
    if not note:
        raise DomainError("请写明转办理由，便于接办部门了解情况。", field="note")
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


@action("interaction.writer_reveal")
def message_reveal_writer(message: Message, *, actor) -> Message:
    """A handler sees the writer's full phone and e-mail (masked by default); every view is audited.

    The audit row names what was shown, never the values; the supervising office and
    other agencies never see them (`permissions.can_see_personal_data`).
    """
    if actor is None or not handles_messages(actor, message.agency):
        raise DomainError("只有本机关的留言办理人员可以查看写信人的完整联系方式。")
    record("interaction.writer_reveal", actor=actor, agency=message.agency, subject=message,
           new={"fields": ["writer_phone", "writer_email"]})
    return message


@action("interaction.message_mark_invalid")
def message_mark_invalid(message: Message, *, actor, reason: str) -> Message:
    """Close a message that needs no reply (spam, abuse, empty, a duplicate of another)."""
    message = lock(message)
    _require_handler(actor, message.agency)
    require_status(message, (Status.RECEIVED, Status.IN_PROGRESS), "认定为无效留言")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请写明认定为无效留言的理由（例如：重复留言、内容与本机关职责无关且无法联系等）。", field="reason")
    old_status = message.status
    message.status = Status.CLOSED
    message.outcome = Outcome.INVALID
    message.outcome_note = reason
    message.save(update_fields=["status", "outcome", "outcome_note"])
    record("interaction.message_mark_invalid", actor=actor, agency=message.agency, subject=message,
           old={"status": old_status}, new={"status": message.status, "outcome": message.outcome, "reason": reason})
    return message


@action("interaction.message_publish")
def message_publish(message: Message, *, actor, public_title: str, public_content: str, public_reply: str) -> Message:
    """Publish a replied message the writer allowed to publish, with personal data masked."""
    message = lock(message)
    _require_handler(actor, message.agency)
    if message.outcome != Outcome.REPLIED:
        raise DomainError("只有已答复的留言才能公开。")
    if not message.wants_public:
        raise DomainError("写信人未同意公开该留言，不能公开。")
    if message.published_at is not None:
        raise DomainError("该留言已经公开。")
    texts = {"public_title": (public_title or "").strip(), "public_content": (public_content or "").strip(),
             "public_reply": (public_reply or "").strip()}
    for field, label in (("public_title", "公开标题"), ("public_content", "公开的留言内容"),
                         ("public_reply", "公开的答复内容")):
        if not texts[field]:
            raise DomainError(f"请填写{label}。", field=field)
    if len(texts["public_title"]) > 100:
        raise DomainError("公开标题不能超过100个字。", field="public_title")
    problems = public_text_problems(message, **texts)
    if problems:
        field, text = next(iter(problems.items()))
        raise DomainError(text, field=field)
    for field, value in texts.items():
        setattr(message, field, value)
    message.published_at = timezone.now()
    message.save(update_fields=[*texts, "published_at"])
    record("interaction.message_publish", actor=actor, agency=message.agency, subject=message,
           new={"published_at": message.published_at.isoformat(), "title": texts["public_title"]})
    return message


@action("interaction.message_unpublish")
def message_unpublish(message: Message, *, actor, reason: str) -> Message:
    message = lock(message)
    _require_handler(actor, message.agency)
    if message.published_at is None:
        raise DomainError("该留言没有公开，无需撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请写明撤回公开的理由。", field="reason")
    old = message.published_at.isoformat()
    message.published_at = None
    message.save(update_fields=["published_at"])
    record("interaction.message_unpublish", actor=actor, agency=message.agency, subject=message,
           old={"published_at": old}, new={"published_at": None, "reason": reason})
    return message
