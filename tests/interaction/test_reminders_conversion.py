"""Reminders to staff, and conversion between messages and applications (《条例》第三十九条)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.interaction import actions
from gongkai.interaction.models import Outcome, Status
from tests.factories import make_user

from .conftest import make_message

pytestmark = pytest.mark.django_db


def test_reminder_digest_once_a_day_to_handlers_and_head_when_overdue(agency, handler, head, department,
                                                                     django_capture_on_commit_callbacks):
    today = date.today()
    overdue = make_message(agency, title="超期未办的咨询", received_on=today - timedelta(days=20),
                           writer_name="钱多多", writer_phone="13512345678")
    make_message(agency, title="刚收到的建议", category="suggestion", received_on=today)  # not due soon
    with django_capture_on_commit_callbacks(execute=True):
        call_command("interaction_remind")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == ["handler@example.invalid", "head@example.invalid"]
    assert str(overdue) in sent.body and f"/admin/interaction/messages/edit/{overdue.pk}/" in sent.body
    assert "刚收到的建议" not in sent.body and "钱多多" not in sent.body and "13512345678" not in sent.body
    event = AuditEvent.objects.get(action="interaction.reminder_send")
    assert event.new == {"on": today.isoformat(), "veto": 0, "overdue": 1, "due_soon": 0, "recipients": 2}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("interaction_remind")  # the same day: nothing more
    assert len(mail.outbox) == 1
    actions.message_mark_invalid(overdue, actor=handler, reason="测试")
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.reminders_send(agency, actor=None, force=True) == 0


def _application(agency, officer):
    from gongkai.applications.actions import application_register

    return application_register(
        agency=agency, actor=officer, channel="in_person", submitted_on=date(2026, 3, 2),
        applicant={"kind": "natural_person", "name": "孙丽", "id_type": "resident_id",
                   "id_number": "11010519491231002X", "phone": "13700001111", "email": "sl@example.invalid"},
        subject="反映某单位拖欠安置补助", description="我要投诉某单位拖欠我的安置补助，请求查处。",
    )


def _close_as_petition(application, officer):
    from gongkai.applications.actions import application_decide

    return application_decide(application, actor=officer, on=date(2026, 3, 2),
                              outcome="result.not_processed.petition", basis="《条例》第三十九条第一款")


def test_application_that_is_a_complaint_becomes_a_message(agency, other_agency, handler):
    officer = make_user("officer", agency=agency, role=Role.APPLICATION_OFFICER)
    application = _application(agency, officer)
    with pytest.raises(DomainError, match="信访举报投诉类"):
        actions.message_create_from_application(application, actor=officer)  # not yet closed as （五）1
    _close_as_petition(application, officer)
    message = actions.message_create_from_application(application, actor=officer)
    assert (message.channel, message.category, message.status) == ("other", "complaint", Status.RECEIVED)
    assert message.writer_name == "孙丽" and message.received_on == date(2026, 3, 2)
    assert message.source_application == application and "第三十九条" in message.conversion_reason
    event = AuditEvent.objects.get(action="interaction.message_from_application")
    assert event.actor == officer and event.new["source_application"] == application.pk
    assert "第三十九条" in event.new["reason"]
    with pytest.raises(DomainError, match="不能重复转换"):
        actions.message_create_from_application(application, actor=officer)
    outsider = make_user("outsider", agency=other_agency, role=Role.APPLICATION_OFFICER)
    second = _close_as_petition(_application(agency, officer), officer)
    with pytest.raises(DomainError, match="没有办理该机关事务的权限"):
        actions.message_create_from_application(second, actor=outsider)


def test_message_that_asks_for_information_becomes_an_application(agency, handler, department):
    from gongkai.applications.models import Application

    message = make_message(agency, title="申请公开2025年优抚资金分配文件",
                           content="请公开2025年度我市优抚资金分配方案的文件。", writer_name="周明")
    with pytest.raises(DomainError, match="证件号码"):
        actions.message_convert_to_application(message, actor=handler, reason="实为信息公开申请",
                                               applicant={"id_number": ""})
    assert not Application.objects.exists()
    application = actions.message_convert_to_application(
        message, actor=handler, reason="实为申请获取政府信息（《条例》第二十七条）",
        applicant={"id_number": "11010519491231002X"}, confirmed_on=date(2026, 3, 3),
    )
    message.refresh_from_db()
    assert (message.status, message.outcome) == (Status.CLOSED, Outcome.CONVERTED)
    assert message.converted_application == application
    assert application.applicant.name == "周明" and application.channel == "online"
    assert application.received_on == date(2026, 3, 3) and application.description == message.content
    event = AuditEvent.objects.get(action="interaction.message_convert")
    assert event.new == {"status": "closed", "outcome": "converted", "application": application.number,
                         "reason": "实为申请获取政府信息（《条例》第二十七条）"}
    assert AuditEvent.objects.filter(action="applications.register").count() == 1
    with pytest.raises(DomainError, match="不能转为政府信息公开申请"):
        actions.message_convert_to_application(message, actor=handler, reason="再转一次")
