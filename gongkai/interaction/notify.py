"""E-mails about messages (sent after commit by the actions; console backend by default).

Mail never carries a writer's personal data to anyone but the writer, and the writer's
mail never carries the reply's approver or internal notes.
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from gongkai.agencies.roles import Role
from gongkai.core import querycodes

from .models import MessageSettings

log = logging.getLogger(__name__)
_muted = contextvars.ContextVar("interaction_mail_muted", default=False)


def later(send) -> None:
    """Send after the transaction commits, unless mail is muted (the demo loader)."""
    if not _muted.get():
        transaction.on_commit(send)


@contextmanager
def muted():
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _base_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def _send(subject: str, body: str, recipients: list[str]) -> int:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return 0
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # noqa: BLE001 - a mail outage must not undo a committed action
        log.exception("sending mail %r failed", subject)
        return 0


def staff_emails(agency, roles) -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(memberships__agency=agency, memberships__role__in=[str(r) for r in roles], is_active=True)
        .exclude(email="").values_list("email", flat=True).distinct()
    )


def receipt_to_writer(message) -> int:

    body = (
        f"您好：\n\n{message.agency.name}已收到您的留言“{message.title}”，受理日期为"
        f"{message.received_on:%Y年%-m月%-d日}。\n\n查询码：{querycodes.display(message.query_code)}\n"
        f"请妥善保存查询码，凭此码可在 {_base_url()}/hudong/chaxun/ 查看办理进度和答复。\n\n（本邮件由系统自动发送，请勿回复。）"
    )
    return _send(f"【{message.agency.name}】留言受理回执", body, [message.writer_email])


def reply_to_writer(message) -> int:
    body = (
        f"您好：\n\n您于{message.received_on:%Y年%-m月%-d日}提交的留言“{message.title}”已答复。\n"
        f"请凭查询码在 {_base_url()}/hudong/chaxun/ 查看答复内容。\n\n（本邮件由系统自动发送，请勿回复。）"
    )
    return _send(f"【{message.agency.name}】您的留言已答复", body, [message.writer_email])


def routed_to_department(message, routing) -> int:
    body = (
        f"{message}已由“{routing.from_department or '未分办'}”转至“{routing.to_department}”办理。\n"
        f"转办理由：{routing.note}\n\n办理页面：{_base_url()}/admin/interaction/messages/edit/{message.pk}/"
    )
    return _send(f"留言转办：{message}", body, staff_emails(message.agency, [Role.MESSAGE_HANDLER]))


def approval_requested(message) -> int:
    recipients = staff_emails(message.agency, [Role.OFFICE_HEAD])
    row = MessageSettings.objects.filter(agency=message.agency).select_related("approver").first()
    if row is not None and row.approver is not None:
        recipients.append(row.approver.email)
    body = f"{message}的答复已提交审批。\n\n审批页面：{_base_url()}/admin/interaction/messages/edit/{message.pk}/"
    return _send(f"留言答复待审批：{message}", body, recipients)


def reply_returned(message, reply) -> int:
    recipients = [reply.drafted_by.email] if reply.drafted_by_id else []
    body = (
        f"{message}的答复被退回修改。\n审批意见：{reply.review_note}\n\n"
        f"办理页面：{_base_url()}/admin/interaction/messages/edit/{message.pk}/"
    )
    return _send(f"留言答复退回修改：{message}", body, recipients)


def reminder_digest(agency, board, recipients: list[str], on) -> int:
    def lines(rows):
        return [
            f"  · {row.message}｜{row.message.department or '未分办'}｜受理 {row.message.received_on:%Y-%m-%d}"
            f"｜到期 {row.deadline.due_on:%Y-%m-%d}｜{row.deadline.state_label}"
            f"｜{_base_url()}/admin/interaction/messages/edit/{row.message.pk}/"
            for row in rows
        ]

    body = [f"{agency.name}留言办理提醒（{on:%Y年%-m月%-d日}）", ""]
    for title, rows in (("超过3个月未答复（政府网站检查单项否决情形，请立即办理）", board.veto),
                        ("已超期", board.overdue), ("即将到期", board.due_soon)):
        if rows:
            body.append(f"{title}：{len(rows)}件")
            body += lines(rows)
            body.append("")
    body.append(f"超期看板：{_base_url()}/admin/interaction/board/")
    subject = f"【留言办理提醒】{agency.short_name or agency.name}：超期{len(board.veto) + len(board.overdue)}件，即将到期{len(board.due_soon)}件"
    return _send(subject, "\n".join(body), recipients)
