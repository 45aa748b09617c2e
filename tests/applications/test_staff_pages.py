"""The staff case pages: register, case page with clock and explanation, actions, letters, isolation."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.agencies.roles import Role
from gongkai.applications.models import Application, Applicant, Litigation, Reconsideration
from gongkai.audit.models import AuditEvent
from tests.helpers.isolation import assert_agency_isolation

from .helpers import register

pytestmark = pytest.mark.django_db

REGISTER_POST = {
    "kind": "natural_person", "name": "王小明", "id_type": "resident_id", "id_number": "410302199001011235",
    "phone": "13912345678", "channel": "registered_mail", "submitted_on": "2026-02-25", "signed_for_on": "2026-02-27",
    "subject": "优抚资金", "description": "请公开2025年优抚资金发放明细", "form_wanted": "paper", "delivery_wanted": "post",
}


def test_register_page_creates_case_and_bad_input_keeps_what_was_typed(client, agency, officer, fixed_today):
    client.force_login(officer)
    url = reverse("applications_admin:register")
    assert client.get(url).status_code == 200
    bad = client.post(url, {**REGISTER_POST, "id_number": "410302199001011234"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "校验位不正确" in body and "请公开2025年优抚资金发放明细" in body and "410302199001011234" in body
    assert not Application.objects.exists()
    missing = client.post(url, {**REGISTER_POST, "signed_for_on": ""})
    assert "请填写签收日期" in missing.content.decode() and not Application.objects.exists()
    ok = client.post(url, REGISTER_POST)
    app = Application.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("applications_admin:case", args=[app.pk])
    assert app.received_on == date(2026, 2, 27) and app.channel == "registered_mail"


def test_case_page_shows_clock_explanation_next_step_and_buttons(client, agency, officer, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    client.force_login(officer)
    body = client.get(reverse("applications_admin:case", args=[app.pk])).content.decode()
    assert "2026-03-30" in body and "《条例》第三十三条第一款" in body and "《条例》第三十一条" in body
    assert "2026-03-11 前一次性告知申请人补正" in body  # 7 working days after 03-02
    assert "作出答复" in body and "告知补正" in body and "征求意见" in body
    assert "批准延期</a>" not in body and "须由公开工作机构负责人批准" in body  # officer: no extend button
    assert "1101**********002X" in body  # masked ID number


def test_action_post_refusal_keeps_input_and_success_redirects(client, agency, officer, head, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    client.force_login(officer)
    url = reverse("applications_admin:action", args=[app.pk, "decide"])
    r = client.post(url, {"on": "2026-03-02", "outcome": "result.granted", "basis": "", **_parts()})
    assert r.status_code == 200 and "请写明答复的法律依据" in r.content.decode()
    app.refresh_from_db()
    assert app.status == "processing"
    r = client.post(reverse("applications_admin:action", args=[app.pk, "extend"]),
                    {"on": "2026-03-02", "days": "20", "reason": "需调档"})
    assert r.status_code == 200 and "公开工作机构负责人" in r.content.decode()
    client.force_login(head)
    r = client.post(reverse("applications_admin:action", args=[app.pk, "extend"]),
                    {"on": "2026-03-02", "days": "20", "reason": "需调档"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.due_on == date(2026, 4, 28)
    r = client.post(url, {"on": "2026-03-02", "outcome": "result.partial", "basis": "第三十七条",
                          **_parts(("表一", "1", "", ""), ("表二", "0", "result.denied.third_party", "个人隐私"))})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.outcome == "result.partial" and app.parts.count() == 2
    again = client.get(url)  # no second decision: back to the case with a message
    assert again.status_code == 302 and again["Location"] == reverse("applications_admin:case", args=[app.pk])


def _parts(*rows):
    data = {"parts-TOTAL_FORMS": "3", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0", "parts-MAX_NUM_FORMS": "20"}
    for i, (d, disclosed, reason, basis) in enumerate(rows):
        data.update({f"parts-{i}-description": d, f"parts-{i}-disclosed": disclosed, f"parts-{i}-reason": reason,
                     f"parts-{i}-basis": basis})
    return data


def test_letters_download_as_pdf_and_docx(client, agency, officer, fixed_today):
    app = register(agency, officer)
    client.force_login(officer)
    pdf = client.get(reverse("applications_admin:letter", args=[app.pk, "receipt", "pdf"]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    docx = client.get(reverse("applications_admin:letter", args=[app.pk, "receipt", "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    r = client.get(reverse("applications_admin:letter", args=[app.pk, "extension", "pdf"]))
    assert r.status_code == 302  # no extension yet: back to the case with a message


def test_board_lists_overdue_and_due_soon(client, agency, officer, fixed_today):
    overdue = register(agency, officer, received=date(2026, 1, 5), description="甲文件")
    soon = register(agency, officer, received=date(2026, 1, 30), description="乙文件的批复")
    later = register(agency, officer, received=date(2026, 3, 2), description="丙文件的通知")
    client.force_login(officer)
    body = client.get(reverse("applications_admin:board")).content.decode()
    over = body.split('id="overdue"')[1].split('id="due-soon"')[0]
    due = body.split('id="due-soon"')[1].split('id="provisional"')[0]
    assert overdue.number in over and soon.number not in over
    assert soon.number in due and later.number not in due


def test_staff_of_another_agency_cannot_see_or_change_the_case(client, agency, other_agency, staff_factory, officer,
                                                               fixed_today, monkeypatch):
    app = register(agency, officer)
    stranger = staff_factory(other_agency, Role.APPLICATION_OFFICER, "stranger")
    client.force_login(stranger)
    assert app.number not in client.get(reverse("applications_admin:list")).content.decode()
    assert client.get(reverse("applications_admin:case", args=[app.pk])).status_code == 404
    for verb in ("decide", "withdraw", "note"):
        assert client.get(reverse("applications_admin:action", args=[app.pk, verb])).status_code == 404
    before = AuditEvent.objects.filter(action__startswith="applications.").count()
    r = client.post(reverse("applications_admin:action", args=[app.pk, "withdraw"]), {"on": "2026-03-02"})
    assert r.status_code == 404
    assert client.get(reverse("applications_admin:letter", args=[app.pk, "receipt", "pdf"])).status_code == 404
    app.refresh_from_db()
    assert app.status == "processing" and AuditEvent.objects.filter(action__startswith="applications.").count() == before
    # the supervising office reads but cannot act
    from tests.factories import make_agency

    sup_agency = make_agency("测试市政府办")
    agency.supervisor = sup_agency
    agency.save()
    supervisor = staff_factory(sup_agency, Role.SUPERVISOR, "sup")
    monkeypatch.setattr("gongkai.accounts.middleware.two_factor_required", lambda user: False)
    client.force_login(supervisor)
    assert client.get(reverse("applications_admin:case", args=[app.pk])).status_code == 200
    r = client.post(reverse("applications_admin:action", args=[app.pk, "withdraw"]), {"on": "2026-03-02"})
    assert r.status_code in (302, 403) and r.get("Location", "/admin/") == "/admin/"  # Wagtail: refused, back home
    app.refresh_from_db()
    assert app.status == "processing" and AuditEvent.objects.filter(action__startswith="applications.").count() == before


def _closed_app(agency):
    from gongkai.applications import actions

    app = register(agency, None, description=f"某文件 {Application.objects.count()}")
    return actions.application_decide(app, actor=None, on=app.received_on, outcome="result.granted", basis="x")


def _isolation_cases():
    from gongkai.applications import actions
    from gongkai.applications.models import ApplicationEvent, Consultation, DecisionPart, Fee

    def partial(a):
        return actions.application_decide(
            register(a, None), actor=None, on=date(2026, 3, 2), outcome="result.partial", basis="x",
            parts=[{"description": "甲", "disclosed": True},
                   {"description": "乙", "disclosed": False, "reason": "result.denied.third_party", "basis": "隐私"}],
        ).parts.first()

    return {
        "application": dict(model=Application, make=lambda a: register(a, None, description=f"文件{a.pk}")),
        "applicant": dict(model=Applicant, make=lambda a: register(a, None).applicant,
                          admin_prefix="/admin/snippets/applications/applicant/", own_view="inspect",
                          label=lambda o: f"/applicant/inspect/{o.pk}/"),
        "event": dict(model=ApplicationEvent, make=lambda a: register(a, None).events.first()),
        "consultation": dict(model=Consultation, make=lambda a: actions.application_consult(
            register(a, None), actor=None, on=date(2026, 3, 2), party_kind="third_party", party_name="某公司",
            matter="合同")),
        "fee": dict(model=Fee, make=lambda a: actions.application_fee_notice(
            register(a, None), actor=None, on=date(2026, 3, 2), method="by_pages", pages=40)),
        "part": dict(model=DecisionPart, make=partial),
        "reconsideration": dict(model=Reconsideration, make=lambda a: actions.reconsideration_record(
            _closed_app(a), actor=None, body="市政府", filed_on=date(2026, 3, 2)),
            admin_prefix="/admin/snippets/applications/reconsideration/", own_view="inspect",
            label=lambda o: f"/reconsideration/inspect/{o.pk}/"),
        "litigation": dict(model=Litigation, make=lambda a: actions.litigation_record(
            _closed_app(a), actor=None, route="direct", court="某法院", filed_on=date(2026, 3, 2)),
            admin_prefix="/admin/snippets/applications/litigation/", own_view="inspect",
            label=lambda o: f"/litigation/inspect/{o.pk}/"),
    }


@pytest.mark.parametrize("name", ["application", "applicant", "event", "consultation", "fee", "part",
                                  "reconsideration", "litigation"])
def test_isolation_of_every_agency_owned_model(client, fixed_today, name):
    assert_agency_isolation(client, **_isolation_cases()[name])


def test_case_list_queries_do_not_grow_with_the_number_of_cases(client, agency, officer, fixed_today,
                                                                django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("applications_admin:list")
    register(agency, officer, description="第一份文件")
    client.get(url)  # warm caches (menus, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        register(agency, officer, description=f"另一份文件 编号{i * 7919}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count("/admin/applications/") >= 7
    assert len(many) == len(few)
