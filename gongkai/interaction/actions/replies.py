"""Replies: drafting by the handling department, approval by the office head or appointed approver."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core.domain import DomainError, action, lock, require_status, unchanged

from .. import notify
from ..models import Message, Outcome, Reply, ReplyStatus, Status
from ..permissions import can_approve
from ..selectors import working_reply
from ._common import _check_day, _dept_name, _require_handler


@action("interaction.reply_draft")
def reply_draft(message: Message, *, actor, text: str) -> Reply:
    """Write or revise the reply of the handling department (before approval)."""
    message = lock(message)
    _require_handler(actor, message.agency)
    if message.status == Status.PENDING_APPROVAL:
        raise DomainError("答复已提交审批，审批前不能修改。")
    require_status(message, (Status.IN_PROGRESS,), "起草答复（请先分办）")
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写答复内容。", field="text")
    reply = working_reply(message)
    if reply is not None and reply.status == ReplyStatus.PENDING:
        raise DomainError("答复已提交审批，审批前不能修改。")
    old = None
    if reply is None:
        reply = Reply(agency=message.agency, message=message, department=message.department, text=text,
                      drafted_by=actor if getattr(actor, "is_authenticated", False) else None)
    else:
        if reply.text == text and reply.status == ReplyStatus.DRAFT:
            unchanged()  # the same draft saved again
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


@action("interaction.reply_submit")
def reply_submit(reply: Reply, *, actor) -> Reply:
    reply = lock(reply)
    message = lock(reply.message)
    _require_handler(actor, message.agency)
    if reply.status != ReplyStatus.DRAFT:
        raise DomainError(f"答复当前为“{reply.get_status_display()}”，只有草稿才能提交审批。")
    require_status(message, (Status.IN_PROGRESS,), "提交答复审批")
    reply.status = ReplyStatus.PENDING
    reply.submitted_at = timezone.now()
    reply.save(update_fields=["status", "submitted_at"])
    message.status = Status.PENDING_APPROVAL
    message.save(update_fields=["status"])
    record("interaction.reply_submit", actor=actor, agency=message.agency, subject=reply,
           old={"status": ReplyStatus.DRAFT}, new={"status": reply.status})
    notify.later(lambda: notify.approval_requested(message))
    return reply


@action("interaction.reply_approve")
def reply_approve(reply: Reply, *, actor, on: date | None = None, note: str = "") -> Reply:
    """The approver signs the reply off; the message is answered on `on` (default today)."""
    reply = lock(reply)
    message = lock(reply.message)
    if actor is not None and not can_approve(actor, message.agency):
        raise DomainError("只有公开工作机构负责人或指定审批人才能审批答复。")
    if actor is not None and reply.drafted_by_id == getattr(actor, "pk", None):
        raise DomainError("不能审批自己起草的答复，请由另一位审批人审批。")
    if reply.status != ReplyStatus.PENDING:
        raise DomainError(f"答复当前为“{reply.get_status_display()}”，只有待审批的答复才能审批。")
    require_status(message, (Status.PENDING_APPROVAL,), "审批答复")
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


@action("interaction.reply_return")
def reply_return(reply: Reply, *, actor, note: str) -> Reply:
    reply = lock(reply)
    message = lock(reply.message)
    if actor is not None and not can_approve(actor, message.agency):
        raise DomainError("只有公开工作机构负责人或指定审批人才能退回答复。")
    if reply.status != ReplyStatus.PENDING:
        raise DomainError(f"答复当前为“{reply.get_status_display()}”，只有待审批的答复才能退回。")
    note = (note or "").strip()
    if not note:
        raise DomainError("请写明退回修改的意见。", field="note")
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
