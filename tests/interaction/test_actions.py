"""Every state change of a message writes exactly the audit rows asserted here."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core import querycodes
from gongkai.core.domain import DomainError
from gongkai.interaction import actions
from gongkai.interaction.models import (
    Message, MessageSettings, Outcome, Reply, ReplyStatus, Routing, Status,
)
from tests.factories import make_user

from .conftest import make_message

pytestmark = pytest.mark.django_db


def rows(**filters):
    return [
        (e.action, e.actor_label, e.subject_type, e.old, e.new)
        for e in AuditEvent.objects.filter(action__startswith="interaction.", **filters).order_by("id")
    ]


def test_register_writes_one_event_without_personal_data(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.message_register(
            agency, actor=None, category="consult", channel="website", title="优待证咨询",
            content="请问优待证在哪里办理？我的电话13812345678", writer_name="张三", writer_phone="13812345678",
            writer_email="zs@example.invalid", wants_public=True, received_on=date(2026, 3, 2),
        )
    assert message.status == Status.RECEIVED and message.outcome == ""
    assert message.time_limit_days == 5
    assert len(message.query_code) == 12
    assert rows() == [(
        "interaction.message_register", "", "interaction.message", None,
        {"category": "consult", "channel": "website", "received_on": "2026-03-02", "department": None,
         "wants_public": True, "time_limit_days": 5, "status": "received"},
    )]
    event = AuditEvent.objects.get(action="interaction.message_register")
    assert event.agency == agency and event.subject_id == str(message.pk)
    assert "张三" not in event.subject_label and "138" not in event.subject_label
    assert len(mail.outbox) == 1 and querycodes.display(message.query_code) in mail.outbox[0].body


def test_register_refuses_bad_input_and_stores_nothing(agency):
    with pytest.raises(DomainError, match="请填写留言内容"):
        actions.message_register(agency, actor=None, category="consult", channel="website", title="x", content=" ")
    with pytest.raises(DomainError, match="留言类别"):
        actions.message_register(agency, actor=None, category="other", channel="website", title="x", content="y")
    with pytest.raises(DomainError, match="只有110联动和12345工单"):
        actions.message_register(agency, actor=None, category="consult", channel="website", title="x",
                                 content="y", ticket_number="T1")
    with pytest.raises(DomainError, match="不能晚于今天"):
        actions.message_register(agency, actor=None, category="consult", channel="website", title="x",
                                 content="y", received_on=date(2099, 1, 1))
    assert not Message.objects.exists() and not AuditEvent.objects.filter(action__startswith="interaction.").exists()


def test_ticket_number_is_unique_per_agency(agency, other_agency):
    make_message(agency, channel="police_110", ticket_number="LY110-0001")
    with pytest.raises(DomainError, match="已经登记过"):
        make_message(agency, channel="police_110", ticket_number="LY110-0001")
    make_message(other_agency, channel="police_110", ticket_number="LY110-0001")  # other agency: fine
    assert Message.objects.filter(ticket_number="LY110-0001").count() == 2


def test_full_workflow_audit_rows(agency, handler, head, department, department2, django_capture_on_commit_callbacks):
    message = make_message(agency, category="suggestion")
    start = AuditEvent.objects.order_by("-id").first().id

    actions.message_triage(message, actor=handler, category="consult", department=department, note="按咨询办理")
    actions.message_route(message, actor=handler, department=department2, note="属安置政策，转安置科")
    reply = actions.reply_draft(message, actor=handler, text="您好，优待证可在各县区退役军人服务站办理。")
    actions.reply_submit(reply, actor=handler)
    actions.reply_return(reply, actor=head, note="请补充办理时间")
    reply = actions.reply_draft(message, actor=handler, text="您好，优待证可在各县区退役军人服务站办理，工作日9:00-17:00。")
    actions.reply_submit(reply, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_approve(reply, actor=head, on=date(2026, 3, 5))
    actions.message_publish(
        message, actor=handler, public_title="关于优待证办理的咨询", public_content="请问优待证在哪里办理？",
        public_reply="您好，优待证可在各县区退役军人服务站办理，工作日9:00-17:00。",
    )
    actions.message_unpublish(message, actor=handler, reason="写信人要求撤回")

    got = rows(id__gt=start)
    assert got == [
        ("interaction.message_triage", "handler", "interaction.message",
         {"category": "suggestion", "department": None, "time_limit_days": 15, "status": "received"},
         {"category": "consult", "department": "优抚科", "time_limit_days": 5, "status": "in_progress",
          "note": "按咨询办理"}),
        ("interaction.message_route", "handler", "interaction.message",
         {"department": "优抚科"}, {"department": "安置科", "note": "属安置政策，转安置科"}),
        ("interaction.reply_draft", "handler", "interaction.reply", None,
         {"status": "draft", "length": 21, "department": "安置科"}),
        ("interaction.reply_submit", "handler", "interaction.reply", {"status": "draft"}, {"status": "pending"}),
        ("interaction.reply_return", "head", "interaction.reply", {"status": "pending"},
         {"status": "returned", "note": "请补充办理时间"}),
        ("interaction.reply_draft", "handler", "interaction.reply", {"status": "returned", "length": 21},
         {"status": "draft", "length": 35, "department": "安置科"}),
        ("interaction.reply_submit", "handler", "interaction.reply", {"status": "draft"}, {"status": "pending"}),
        ("interaction.reply_approve", "head", "interaction.reply", {"status": "pending"},
         {"status": "approved", "replied_on": "2026-03-05", "message_status": "closed"}),
        ("interaction.message_publish", "handler", "interaction.message", None,
         {"published_at": got[8][4]["published_at"], "title": "关于优待证办理的咨询"}),
        ("interaction.message_unpublish", "handler", "interaction.message",
         {"published_at": got[8][4]["published_at"]}, {"published_at": None, "reason": "写信人要求撤回"}),
    ]
    message.refresh_from_db()
    assert (message.status, message.outcome, message.replied_on) == (Status.CLOSED, Outcome.REPLIED, date(2026, 3, 5))
    assert message.published_at is None and message.department.name == "安置科"
    assert Routing.objects.get().from_department == department
    assert list(Reply.objects.values_list("status", flat=True)) == [ReplyStatus.APPROVED]
    assert message.approved_reply.department.name == "安置科"
    # The writer got one mail: the reply notice (never the approver's name).
    assert [m.subject for m in mail.outbox] == [f"【{agency.name}】您的留言已答复"]


def test_actions_refuse_wrong_status_and_change_nothing(agency, handler, head, department):
    message = make_message(agency)
    with pytest.raises(DomainError, match="请先分办"):
        actions.reply_draft(message, actor=handler, text="答复")
    with pytest.raises(DomainError, match="不能转办"):
        actions.message_route(message, actor=handler, department=department, note="x")
    with pytest.raises(DomainError, match="只有已答复的留言才能公开"):
        actions.message_publish(message, actor=handler, public_title="a", public_content="b", public_reply="c")
    actions.message_triage(message, actor=handler, category="consult", department=department)
    reply = actions.reply_draft(message, actor=handler, text="答复")
    with pytest.raises(DomainError, match="只有待审批的答复才能审批"):
        actions.reply_approve(reply, actor=head)
    actions.reply_submit(reply, actor=handler)
    with pytest.raises(DomainError, match="审批前不能修改"):
        actions.reply_draft(message, actor=handler, text="改")
    with pytest.raises(DomainError, match="请写明退回修改的意见"):
        actions.reply_return(reply, actor=head, note="")
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="不能晚于今天"):
        actions.reply_approve(reply, actor=head, on=date(2099, 1, 1))
    with pytest.raises(DomainError, match="不能早于受理日期"):
        actions.reply_approve(reply, actor=head, on=date(2026, 3, 1))
    assert AuditEvent.objects.count() == before
    message.refresh_from_db()
    assert message.status == Status.PENDING_APPROVAL


def test_only_office_head_or_configured_approver_approves_and_never_their_own_draft(agency, handler, head, department):
    message = make_message(agency)
    actions.message_triage(message, actor=handler, category="consult", department=department)
    reply = actions.reply_submit(actions.reply_draft(message, actor=handler, text="答复内容"), actor=handler)
    other_handler = make_user("handler2", agency=agency, role=Role.MESSAGE_HANDLER)
    with pytest.raises(DomainError, match="只有公开工作机构负责人或指定审批人"):
        actions.reply_approve(reply, actor=other_handler)
    actions.message_settings_update(agency, actor=head, approver=other_handler)
    fresh = type(other_handler).objects.get(pk=other_handler.pk)
    actions.reply_approve(reply, actor=fresh)
    assert Reply.objects.get(pk=reply.pk).reviewed_by == other_handler

    m2 = make_message(agency)
    actions.message_triage(m2, actor=head, category="consult", department=department)
    r2 = actions.reply_submit(actions.reply_draft(m2, actor=head, text="负责人自己起草"), actor=head)
    with pytest.raises(DomainError, match="不能审批自己起草的答复"):
        actions.reply_approve(r2, actor=head)


def test_staff_of_other_roles_or_agencies_cannot_handle(agency, other_agency, department):
    message = make_message(agency)
    outsider = make_user("outsider", agency=other_agency, role=Role.MESSAGE_HANDLER)
    editor = make_user("editor", agency=agency, role=Role.EDITOR)
    for actor in (outsider, editor):
        with pytest.raises(DomainError, match="不是本机关的留言办理人员"):
            actions.message_triage(message, actor=actor, category="consult", department=department)


def test_publish_refuses_without_consent_or_with_personal_data(agency, handler, head, department):
    def replied(**kw):
        m = make_message(agency, **kw)
        actions.message_triage(m, actor=handler, category="consult", department=department)
        r = actions.reply_submit(actions.reply_draft(m, actor=handler, text="答复"), actor=handler)
        actions.reply_approve(r, actor=head)
        return m

    private = replied(wants_public=False)
    with pytest.raises(DomainError, match="未同意公开"):
        actions.message_publish(private, actor=handler, public_title="t", public_content="c", public_reply="r")
    public = replied(writer_name="李建国")
    with pytest.raises(DomainError, match="手机号") as exc:
        actions.message_publish(public, actor=handler, public_title="咨询", public_content="电话13812345678",
                                public_reply="答复")
    assert exc.value.field == "public_content"
    with pytest.raises(DomainError, match="姓名"):
        actions.message_publish(public, actor=handler, public_title="咨询", public_content="我是李建国",
                                public_reply="答复")
    before = AuditEvent.objects.count()
    actions.message_publish(public, actor=handler, public_title="咨询", public_content="我是李某某",
                            public_reply="请致电0379-63912345")  # the office's landline may stay in a reply
    assert AuditEvent.objects.count() == before + 1
    with pytest.raises(DomainError, match="已经公开"):
        actions.message_publish(public, actor=handler, public_title="咨询", public_content="x", public_reply="y")


def test_mark_invalid_closes_with_reason(agency, handler):
    message = make_message(agency)
    with pytest.raises(DomainError, match="理由"):
        actions.message_mark_invalid(message, actor=handler, reason="")
    actions.message_mark_invalid(message, actor=handler, reason="重复留言，同一事项已于3月1日答复")
    assert rows(action="interaction.message_mark_invalid") == [(
        "interaction.message_mark_invalid", "handler", "interaction.message", {"status": "received"},
        {"status": "closed", "outcome": "invalid", "reason": "重复留言，同一事项已于3月1日答复"},
    )]
    message.refresh_from_db()
    assert message.status == Status.CLOSED and message.outcome == Outcome.INVALID


def test_triage_recomputes_time_limit_only_when_category_changes(agency, head, handler, department):
    actions.message_settings_update(agency, actor=head, consult_days=3, complaint_days=20)
    assert rows(action="interaction.settings_update")[-1][4] == {
        "consult_days": 3, "suggestion_days": 15, "complaint_days": 20, "director_mailbox_days": 15,
        "remind_before_days": 2, "approver": None,
    }
    message = make_message(agency, category="complaint")
    assert message.time_limit_days == 20
    actions.message_triage(message, actor=handler, category="complaint", department=department)
    message.refresh_from_db()
    assert message.time_limit_days == 20
    with pytest.raises(DomainError, match="使用“转办”"):
        actions.message_triage(message, actor=handler, category="consult",
                               department=type(department).objects.create(agency=agency, name="其他科"))
    actions.message_settings_update(agency, actor=head, consult_days=4)
    assert rows(action="interaction.settings_update")[-1][3:] == ({"consult_days": 3}, {"consult_days": 4})
    actions.message_settings_update(agency, actor=head, consult_days=4)  # no change, no event
    assert len(rows(action="interaction.settings_update")) == 2


def test_settings_refuse_bad_values_and_non_heads(agency, head, handler, other_agency):
    with pytest.raises(DomainError, match="1至60"):
        actions.message_settings_update(agency, actor=head, consult_days=0)
    with pytest.raises(DomainError, match="只有公开工作机构负责人"):
        actions.message_settings_update(agency, actor=handler, consult_days=4)
    stranger = make_user("stranger", agency=other_agency, role=Role.MESSAGE_HANDLER)
    with pytest.raises(DomainError, match="须为本机关的工作人员"):
        actions.message_settings_update(agency, actor=head, approver=stranger)
    assert not MessageSettings.objects.exists()


def test_departments_create_rename_deactivate(agency, handler, department):
    created = actions.department_create(agency, actor=handler, name="权益维护科")
    with pytest.raises(DomainError, match="已有名为"):
        actions.department_create(agency, actor=handler, name="权益维护科")
    actions.department_update(created, actor=handler, name="权益维护和法规科")
    message = make_message(agency)
    actions.message_triage(message, actor=handler, category="consult", department=created)
    with pytest.raises(DomainError, match="未办结的留言"):
        actions.department_update(created, actor=handler, is_active=False)
    assert rows(subject_type="interaction.department") == [
        ("interaction.department_create", "handler", "interaction.department", None, {"name": "权益维护科"}),
        ("interaction.department_update", "handler", "interaction.department",
         {"name": "权益维护科"}, {"name": "权益维护和法规科"}),
    ]
