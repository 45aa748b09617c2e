"""Staff pages: the case page runs the workflow, readers see masked texts, lists are cheap."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.interaction import actions
from gongkai.interaction.models import Department, Message, MessageSettings, Status
from tests.factories import make_agency, make_user

from .conftest import make_message
from .helpers import login_verified

pytestmark = pytest.mark.django_db


def case_url(message):
    return f"/admin/interaction/messages/edit/{message.pk}/"


def test_handler_and_head_run_the_workflow_from_the_case_page(client, agency, handler, head, department, department2):
    message = make_message(agency, content="我叫张三，电话13812345678，请问优待证在哪里办理？")
    client.force_login(handler)
    page = client.get(case_url(message)).content.decode()
    assert "13812345678" in page and "分办" in page  # the handler sees personal data

    assert client.post(case_url(message), {"action": "triage", "category": "consult",
                                           "department": department.pk}).status_code == 302
    # A route without a reason is refused; the chosen department stays selected.
    refused = client.post(case_url(message), {"action": "route", "department": department2.pk, "note": ""})
    html = refused.content.decode()
    assert refused.status_code == 400 and "请写明转办理由" in html
    assert f'<option value="{department2.pk}" selected>' in html
    assert client.post(case_url(message), {"action": "route", "department": department2.pk,
                                           "note": "安置政策由安置科答复"}).status_code == 302
    assert client.post(case_url(message), {"action": "draft", "text": "您好，优待证可在县区服务站办理。"}).status_code == 302
    assert client.post(case_url(message), {"action": "submit"}).status_code == 302
    # The handler may not approve.
    client.post(case_url(message), {"action": "approve", "note": ""})
    assert Message.objects.get(pk=message.pk).status == Status.PENDING_APPROVAL

    client.force_login(head)
    assert client.post(case_url(message), {"action": "approve", "note": "同意"}).status_code == 302
    message.refresh_from_db()
    assert message.status == Status.CLOSED and message.replied_on == date.today()

    client.force_login(handler)
    page = client.get(case_url(message)).content.decode()
    # The publish form is pre-filled with masked texts.
    assert "我叫张某，电话138****5678" in page
    leaky = client.post(case_url(message), {"action": "publish", "public_title": "优待证咨询",
                                            "public_content": "电话13812345678", "public_reply": "答复"})
    assert leaky.status_code == 400 and "仍含有个人信息（手机号）" in leaky.content.decode()
    assert "电话13812345678" in leaky.content.decode()  # what was typed is kept
    ok = client.post(case_url(message), {"action": "publish", "public_title": "优待证咨询",
                                         "public_content": "我叫张某，请问优待证在哪里办理？",
                                         "public_reply": "您好，优待证可在县区服务站办理。"})
    assert ok.status_code == 302
    assert Message.objects.get(pk=message.pk).published_at is not None
    assert "优待证咨询" in client.get("/hudong/").content.decode()


def test_supervising_office_reads_masked_texts_and_changes_nothing(client, agency, department):
    office = make_agency("洛阳市人民政府办公室（测试）")
    agency.supervisor = office
    agency.save()
    message = make_message(agency, content="我是李四，身份证410303198506121234，电话13912345678。请问抚恤标准？",
                           writer_name="李四")
    inspector = make_user("inspector", agency=office, role=Role.SUPERVISOR)
    login_verified(client, inspector)
    listing = client.get("/admin/interaction/messages/").content.decode()
    assert message.title in listing and "李四" not in listing and "个人信息不显示" in listing
    page = client.get(case_url(message)).content.decode()
    assert "13912345678" not in page and "410303198506121234" not in page and "李四" not in page
    assert "139****5678" in page and "仅向本机关留言办理人员显示" in page
    assert 'name="action"' not in page  # no action forms
    before = AuditEvent.objects.count()
    response = client.post(case_url(message), {"action": "invalid", "reason": "越权"})
    assert response.status_code in (302, 403)
    assert Message.objects.get(pk=message.pk).status == Status.RECEIVED
    assert AuditEvent.objects.count() == before


def test_message_list_queries_do_not_grow_with_rows(client, agency, handler, department):
    client.force_login(handler)
    make_message(agency)
    client.get("/admin/interaction/messages/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/interaction/messages/")
    for _ in range(5):
        m = make_message(agency)
        actions.message_triage(m, actor=handler, category="complaint", department=department)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/admin/interaction/messages/")
    assert response.status_code == 200
    assert len(more) == len(few)


def test_board_sorts_veto_overdue_and_due_soon(client, agency, handler, department):
    today = date.today()
    from gongkai.calendars.services import current_calendar

    cal = current_calendar()

    def received(working_days_ago):
        d = today
        n = 0
        while n < working_days_ago:
            d = date.fromordinal(d.toordinal() - 1)
            n += cal.is_working_day(d)
        return d

    veto = make_message(agency, title="四个月前的留言", received_on=date.fromordinal(today.toordinal() - 120))
    overdue = make_message(agency, title="超期的咨询", received_on=received(8))
    soon = make_message(agency, title="快到期的咨询", received_on=received(4))
    fresh = make_message(agency, title="新建议", category="suggestion", received_on=today)
    client.force_login(handler)
    html = client.get("/admin/interaction/board/").content.decode()
    sections = html.split("<section")
    veto_section = next(s for s in sections if "超过3个月未答复（" in s)
    overdue_section = next(s for s in sections if "已超期（" in s)
    soon_section = next(s for s in sections if "即将到期（" in s)
    assert veto.title in veto_section and overdue.title not in veto_section
    assert overdue.title in overdue_section and soon.title not in overdue_section
    assert soon.title in soon_section and fresh.title not in soon_section


def test_staff_register_form_keeps_input_on_error(client, agency, handler):
    client.force_login(handler)
    bad = client.post("/admin/interaction/messages/new/", {
        "agency": agency.pk, "channel": "other", "category": "consult", "ticket_number": "T-1",
        "received_on": "2026-03-02", "title": "来电咨询", "content": "来电询问优待证办理", "writer_phone": "abc",
    })
    html = bad.content.decode()
    assert bad.status_code == 400 and "只有110联动和12345工单才有工单编号" in html and "联系电话格式不对" in html
    assert "来电询问优待证办理" in html
    ok = client.post("/admin/interaction/messages/new/", {
        "agency": agency.pk, "channel": "hotline_12345", "category": "complaint", "ticket_number": "12345-001",
        "received_on": "2026-03-02", "title": "", "content": "市民反映优抚金未到账", "writer_phone": "0379-63912345",
    })
    assert ok.status_code == 302
    message = Message.objects.get()
    assert message.title == "市民反映优抚金未到账" and message.ticket_number == "12345-001"


def test_department_and_settings_snippets_go_through_actions(client, agency, handler, head):
    client.force_login(handler)
    response = client.post("/admin/snippets/interaction/department/add/", {"agency": agency.pk, "name": "优抚科",
                                                                          "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert AuditEvent.objects.filter(action="interaction.department_create").count() == 1
    dup = client.post("/admin/snippets/interaction/department/add/", {"agency": agency.pk, "name": "优抚科",
                                                                     "is_active": "on"})
    assert "本机关已有同名的部门" in dup.content.decode()
    # Only the office head may change the time limits.
    assert client.post("/admin/snippets/interaction/messagesettings/add/", {
        "agency": agency.pk, "consult_days": "3", "suggestion_days": "15", "complaint_days": "15",
        "director_mailbox_days": "15", "remind_before_days": "2"}).status_code in (302, 403)
    assert not MessageSettings.objects.exists()
    client.force_login(head)
    response = client.post("/admin/snippets/interaction/messagesettings/add/", {
        "agency": agency.pk, "consult_days": "3", "suggestion_days": "15", "complaint_days": "15",
        "director_mailbox_days": "15", "remind_before_days": "2"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert MessageSettings.objects.get().consult_days == 3
    assert AuditEvent.objects.filter(action="interaction.settings_update").count() == 1
    assert make_message(agency).time_limit_days == 3
    Department.objects.get(name="优抚科")
