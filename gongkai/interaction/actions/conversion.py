"""Conversion between messages and information applications (《条例》第三十九条), both directions.

- `message_convert_to_application`: a message that really asks for government information
  is registered as an application (through the applications app's own action) and closed.
- `message_create_from_application`: an application closed as a petition or complaint
  (report row （五）1) goes on as a message. The applications app knows nothing of
  messages; its case page offers this step through the `applications_case_actions` hook.
"""

from __future__ import annotations

from datetime import date

from gongkai.agencies.access import can_change
from gongkai.applications.actions import application_register
from gongkai.law.replies import PETITION as PETITION_OUTCOME
from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models import Category, Channel, Message, Outcome, ReplyStatus, Status
from ..selectors import working_reply
from ._common import _require_handler
from .messages import message_register

ART39_DEFAULT_REASON = (
    "该申请实为信访、投诉、举报，依《中华人民共和国政府信息公开条例》第三十九条第一款，"
    "不作为政府信息公开申请处理，转为留言办理。"
)


@action("interaction.message_convert")
def message_convert_to_application(
    message: Message, *, actor, reason: str, applicant: dict | None = None, confirmed_on: date | None = None,
):
    """A message that really asks for government information becomes an application.

    The application is registered through the applications app's own action (with the
    writer as applicant; identity details staff obtained are passed in `applicant`);
    the message is closed with outcome "converted" and the legal reason recorded.
    """
    message = lock(message)
    _require_handler(actor, message.agency)
    require_status(message, (Status.RECEIVED, Status.IN_PROGRESS), "转为政府信息公开申请")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请写明转为政府信息公开申请的理由和法律依据。", field="reason")
    if working_reply(message) is not None and working_reply(message).status == ReplyStatus.PENDING:
        raise DomainError("答复已提交审批，不能再转为申请；如确需转换，请先由审批人退回答复。")
    person = {"kind": "natural_person", "id_type": "resident_id", "name": message.writer_name,
              "phone": message.writer_phone, "email": message.writer_email}
    person.update({k: v for k, v in (applicant or {}).items() if v not in (None, "")})
    channel = "online" if message.channel == Channel.WEBSITE else "other"
    application = application_register(
        agency=message.agency, actor=actor, applicant=person, channel=channel,
        submitted_on=message.received_on, confirmed_on=confirmed_on or clock.today(),
        subject=message.title, description=message.content,
    )
    old_status = message.status
    message.status = Status.CLOSED
    message.outcome = Outcome.CONVERTED
    message.conversion_reason = reason
    message.converted_application = application
    message.save(update_fields=["status", "outcome", "conversion_reason", "converted_application"])
    record("interaction.message_convert", actor=actor, agency=message.agency, subject=message,
           old={"status": old_status},
           new={"status": message.status, "outcome": message.outcome, "application": application.number,
                "reason": reason})
    return application


@action("interaction.message_from_application")
def message_create_from_application(application, *, actor, reason: str = ART39_DEFAULT_REASON,
                                    category: str = Category.COMPLAINT) -> Message:
    """An application that is really a petition or complaint is handled as a message (第三十九条第一款).

    Only an application closed as such (report row （五）1) can be converted, once; it
    keeps its outcome, so the annual report still counts it under （五）1. The writer is
    the applicant, the content is the application's description, the message is received
    on the application's receipt date and links back to it.
    """
    application = lock(application)
    if application.outcome != PETITION_OUTCOME:
        raise DomainError("只有按“信访举报投诉类申请”不予处理的申请才能转为留言办理；请先作出该答复。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请写明转为留言办理的理由和法律依据（《条例》第三十九条）。", field="reason")
    if Message.objects.filter(source_application=application).exists():
        raise DomainError("该申请已经转为留言办理，不能重复转换。")
    if actor is not None and not can_change(actor, application.agency):
        raise DomainError("您没有办理该机关事务的权限。")
    applicant = application.applicant
    return message_register(
        application.agency, actor=actor, check_role=False, category=category,
        channel=Channel.OTHER, title=(application.subject or "")[:100], content=application.description,
        writer_name=applicant.name, writer_phone=applicant.phone, writer_email=applicant.email,
        wants_public=False, received_on=application.received_on, source_application_id=application.pk,
        conversion_reason=reason, audit_code="interaction.message_from_application",
    )
