"""Every action: what it changes, the exact audit row it writes, and what it refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.applications import actions, selectors
from gongkai.applications.models import Application, ApplicationEvent, Consultation, Fee, Status
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError

from .helpers import COMPANY, person, register

pytestmark = pytest.mark.django_db


def audit_rows(app):
    return list(
        AuditEvent.objects.filter(subject_type="applications.application", subject_id=str(app.pk))
        .order_by("id").values_list("action", "agency_id", "actor_label", "old", "new")
    )


def snapshot(app):
    app.refresh_from_db()
    return (app.status, app.outcome, app.due_on, app.decided_on, app.applicant_kind,
            ApplicationEvent.objects.filter(application=app).count(), AuditEvent.objects.count())


def test_register_in_person_derives_receipt_and_due_and_audits(agency, officer, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    assert app.number == "2026-0001" and app.received_on == date(2026, 3, 2)
    # 20 working days after Mon 2026-03-02 (no holidays in March 2026): 2026-03-30.
    assert app.due_on == date(2026, 3, 30) and app.status == Status.PROCESSING and app.outcome == ""
    assert len(app.query_code) == 10
    assert audit_rows(app) == [("applications.register", agency.pk, "officer1", None, {
        "number": "2026-0001", "channel": "in_person", "received_on": "2026-03-02", "applicant_kind": "natural_person",
        "due_on": "2026-03-30", "repeat_of": None})]
    assert list(app.events.values_list("kind", "on")) == [("received", date(2026, 3, 2))]


@pytest.mark.parametrize("channel,field,date_kw", [
    ("registered_mail", "signed_for_on", "signed_for_on"),
    ("ordinary_mail", "confirmed_on", "confirmed_on"),
    ("online", "confirmed_on", "confirmed_on"),
    ("fax", "confirmed_on", "confirmed_on"),
])
def test_receipt_date_per_channel(agency, officer, fixed_today, channel, field, date_kw):
    app = actions.application_register(agency=agency, actor=officer, applicant=person(), channel=channel,
                                       submitted_on=date(2026, 2, 24), subject="", description="某文件",
                                       **{date_kw: date(2026, 2, 27)})
    assert app.received_on == date(2026, 2, 27)
    with pytest.raises(DomainError) as exc:
        actions.application_register(agency=agency, actor=officer, applicant=person(), channel=channel,
                                     submitted_on=date(2026, 2, 24), subject="", description="另一文件")
    assert exc.value.field == field and "《条例》第三十一条" in str(exc.value)


@pytest.mark.parametrize("kwargs,message", [
    ({"submitted_on": date(2026, 3, 3)}, "晚于今天"),
    ({"channel": "registered_mail", "submitted_on": date(2026, 2, 20), "signed_for_on": date(2026, 3, 5)}, "晚于今天"),
    ({"channel": "registered_mail", "submitted_on": date(2026, 2, 20), "signed_for_on": date(2026, 2, 19)}, "早于提交日期"),
    ({"applicant": person(id_number="110105194912310021")}, "校验位"),
    ({"applicant": person(phone="12345")}, "手机号"),
    ({"applicant": {**COMPANY, "contact_person": ""}}, "联系人"),
    ({"applicant": {**COMPANY, "id_type": "resident_id"}}, "统一社会信用代码"),
    ({"description": "  "}, "特征性描述"),
])
def test_register_refuses_bad_input_and_stores_nothing(agency, officer, fixed_today, kwargs, message):
    before = (Application.objects.count(), AuditEvent.objects.count())
    args = dict(agency=agency, actor=officer, applicant=person(), channel="in_person",
                submitted_on=date(2026, 3, 2), subject="", description="某文件")
    args.update(kwargs)
    with pytest.raises(DomainError, match=message):
        actions.application_register(**args)
    assert (Application.objects.count(), AuditEvent.objects.count()) == before


def test_same_identity_is_one_applicant_across_channels_and_repeat_is_flagged(agency, officer, fixed_today):
    first = register(agency, officer, description="请公开2025年度本局退役军人优抚资金发放汇总表。")
    second = register(agency, None, channel="online", applicant=person(phone="13900001111"),
                      description="请公开 2025 年度本局退役军人优抚资金发放汇总表")
    third = register(agency, officer, description="请公开本局2024年部门预算。")
    # Each application keeps what was given with it; the keyed hash says it is one person.
    assert len({first.applicant_id, second.applicant_id, third.applicant_id}) == 3
    assert first.applicant.identity_hash == second.applicant.identity_hash == third.applicant.identity_hash != ""
    assert first.applicant.phone == "13800138000" and second.applicant.phone == "13900001111"
    assert set(selectors.same_identity(agency.pk, first.applicant)) == {first, second, third}
    assert second.repeat_of_id == first.pk and second.repeat_score >= 0.8
    assert third.repeat_of_id is None
    flagged = second.events.get(kind="repeat_flagged")
    assert first.number in flagged.note and "第三十六条第（六）项" in flagged.note
    assert audit_rows(second)[0][4]["repeat_of"] == first.number
    # Another name with the same document: registered, and staff are told on the case.
    other = register(agency, officer, applicant=person(name="王五"))
    note = other.events.get(kind="note").note
    assert "张三" in note and "王五" in note and "核对身份证明" in note


def test_staff_may_register_for_an_existing_applicant_explicitly(agency, other_agency, officer, fixed_today):
    first = register(agency, officer)
    again = register(agency, officer, applicant=first.applicant, description="请公开本局2024年部门预算。")
    assert again.applicant_id == first.applicant_id
    with pytest.raises(DomainError, match="不属于本机关"):
        register(other_agency, None, applicant=first.applicant)


def test_correction_restarts_the_period(agency, officer, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    fixed_today(date(2026, 3, 4))
    actions.application_request_correction(app, actor=officer, on=date(2026, 3, 4),
                                           items=["请写明文件名称或文号", "请补充身份证明复印件"], period_end=date(2026, 3, 18))
    app.refresh_from_db()
    assert app.status == Status.AWAITING_CORRECTION and app.due_on is None and app.clock_state == "stopped"
    fixed_today(date(2026, 3, 10))
    actions.application_record_correction(app, actor=officer, on=date(2026, 3, 10))
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and app.due_on == date(2026, 4, 8)  # 20 wd from 03-10 (清明 04-06)
    assert audit_rows(app)[1:] == [
        ("applications.request_correction", agency.pk, "officer1", {"status": "processing"},
         {"status": "awaiting_correction", "on": "2026-03-04", "period_end": "2026-03-18",
          "items": ["请写明文件名称或文号", "请补充身份证明复印件"]}),
        ("applications.record_correction", agency.pk, "officer1", {"status": "awaiting_correction"},
         {"status": "processing", "on": "2026-03-10", "due_on": "2026-04-08"}),
    ]
    before = snapshot(app)
    with pytest.raises(DomainError, match="不能告知补正|一次性"):
        actions.application_request_correction(app, actor=officer, on=date(2026, 3, 10), items=["x"],
                                               period_end=date(2026, 3, 20))
    assert snapshot(app) == before


def test_correction_expired_closes_as_no_correction(agency, officer, fixed_today):
    app = register(agency, officer)
    actions.application_request_correction(app, actor=officer, on=date(2026, 3, 2), items=["写明文号"],
                                           period_end=date(2026, 3, 16))
    fixed_today(date(2026, 3, 16))
    with pytest.raises(DomainError, match="届满"):
        actions.application_correction_expired(app, actor=officer, on=date(2026, 3, 16))
    fixed_today(date(2026, 3, 17))
    actions.application_correction_expired(app, actor=officer, on=date(2026, 3, 17))
    app.refresh_from_db()
    assert (app.status, app.outcome, app.decided_on) == ("closed", "result.other.no_correction", date(2026, 3, 17))
    assert audit_rows(app)[-1] == ("applications.correction_expired", agency.pk, "officer1",
                                   {"status": "awaiting_correction"},
                                   {"status": "closed", "outcome": "result.other.no_correction", "decided_on": "2026-03-17"})


def test_consultation_pauses_the_clock(agency, officer, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    fixed_today(date(2026, 3, 5))
    c = actions.application_consult(app, actor=officer, on=date(2026, 3, 5), party_kind="third_party",
                                    party_name="洛阳示例科技有限公司", matter="拟公开贵公司的合同金额")
    from gongkai.applications.caseclock import clock_for

    assert clock_for(app, on=date(2026, 3, 6)).state == "stopped"  # the day after the letter left
    fixed_today(date(2026, 3, 12))
    actions.application_record_consultation_answer(c, actor=officer, on=date(2026, 3, 12), answer="object",
                                                   note="涉及商业秘密")
    app.refresh_from_db()
    # 03-06..03-12 = 5 working days not counted: 2026-03-30 + 5 wd = 2026-04-07 (清明 04-06 rest).
    assert app.due_on == date(2026, 4, 7)
    c.refresh_from_db()
    assert c.answer == "object" and c.answered_on == date(2026, 3, 12)
    assert [r[0] for r in audit_rows(app)] == ["applications.register", "applications.consult",
                                               "applications.consultation_answer"]
    assert audit_rows(app)[-1][4] == {"consultation": c.pk, "answered_on": "2026-03-12", "answer": "object",
                                      "due_on": "2026-04-07"}
    with pytest.raises(DomainError, match="重复登记"):
        actions.application_record_consultation_answer(c, actor=officer, on=date(2026, 3, 12), answer="consent")


def test_consultation_while_the_applicant_corrects_counts_after_the_restart(agency, officer, fixed_today):
    # Received 2025-03-03, correction 03-05, consultation 03-10, corrected 03-14, answer 03-21:
    # 20 working days from 03-14 end 04-14; 17–21 March are not counted → 2025-04-21.
    app = register(agency, officer, received=date(2025, 3, 3))
    fixed_today(date(2025, 3, 5))
    actions.application_request_correction(app, actor=officer, on=date(2025, 3, 5), items=["请写明所需信息的名称"],
                                           period_end=date(2025, 3, 20))
    fixed_today(date(2025, 3, 10))
    c = actions.application_consult(app, actor=officer, on=date(2025, 3, 10), party_kind="third_party",
                                    party_name="洛阳示例科技有限公司", matter="拟公开贵公司的合同金额")
    fixed_today(date(2025, 3, 14))
    actions.application_record_correction(app, actor=officer, on=date(2025, 3, 14))
    fixed_today(date(2025, 3, 21))
    actions.application_record_consultation_answer(c, actor=officer, on=date(2025, 3, 21), answer="consent")
    app.refresh_from_db()
    assert app.due_on == date(2025, 4, 21)


def test_extension_only_by_office_head_once_and_before_due(agency, officer, head, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    fixed_today(date(2026, 3, 20))
    before = snapshot(app)
    with pytest.raises(DomainError, match="公开工作机构负责人"):
        actions.application_extend(app, actor=officer, on=date(2026, 3, 20), reason="需调取档案")
    assert snapshot(app) == before
    actions.application_extend(app, actor=head, on=date(2026, 3, 20), reason="需调取档案")
    app.refresh_from_db()
    assert app.due_on == date(2026, 4, 28)  # 40 wd after 03-02, skipping 清明 04-06
    assert audit_rows(app)[-1] == ("applications.extend", agency.pk, "head1", {"due_on": "2026-03-30"},
                                   {"due_on": "2026-04-28", "days": 20, "on": "2026-03-20", "reason": "需调取档案"})
    before = snapshot(app)
    with pytest.raises(DomainError, match="只能延长一次"):
        actions.application_extend(app, actor=head, on=date(2026, 3, 20), reason="再延")
    assert snapshot(app) == before


def test_extension_after_due_is_refused(agency, officer, head, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2))
    fixed_today(date(2026, 3, 31))
    with pytest.raises(DomainError, match="届满前"):
        actions.application_extend(app, actor=head, on=date(2026, 3, 31), reason="太晚了")


def test_fee_by_count_free_band_refused_then_charged_from_the_eleventh(agency, officer, fixed_today):
    apps = [register(agency, officer, description=f"第{i}份文件：编号{i * 7919}的批复") for i in range(1, 12)]
    before = snapshot(apps[0])
    with pytest.raises(DomainError, match="免费范围"):
        actions.application_fee_notice(apps[0], actor=officer, on=date(2026, 3, 2), method="by_count")
    assert snapshot(apps[0]) == before and not Fee.objects.exists()
    fee = actions.application_fee_notice(apps[10], actor=officer, on=date(2026, 3, 2), method="by_count")
    assert fee.amount == Decimal("100") and fee.nth_in_month == 11
    app = apps[10]
    app.refresh_from_db()
    assert app.status == Status.AWAITING_FEE
    assert audit_rows(app)[-1] == ("applications.fee_notice", agency.pk, "officer1", {"status": "processing"},
                                   {"status": "awaiting_fee", "method": "by_count", "units": 11, "amount": "100",
                                    "on": "2026-03-02"})
    fixed_today(date(2026, 3, 9))
    with pytest.raises(DomainError, match="不一致"):
        actions.application_fee_paid(app, actor=officer, on=date(2026, 3, 9), amount_paid=Decimal("50"))
    actions.application_fee_paid(app, actor=officer, on=date(2026, 3, 9), receipt_no="豫财0001")
    app.refresh_from_db()
    # 03-03..03-09 (5 wd) paused: due 2026-03-30 + 5 wd → 2026-04-07.
    assert app.status == Status.PROCESSING and app.due_on == date(2026, 4, 7)


def test_fee_by_pages_and_expiry(agency, officer, fixed_today):
    app = register(agency, officer)
    fee = actions.application_fee_notice(app, actor=officer, on=date(2026, 3, 2), method="by_pages", pages=150)
    assert fee.amount == Decimal("1700")
    actions.application_fee_notice_received(app, actor=officer, on=date(2026, 3, 2))
    fixed_today(date(2026, 3, 30))
    with pytest.raises(DomainError, match="届满"):
        actions.application_fee_expired(app, actor=officer, on=date(2026, 3, 30))
    fixed_today(date(2026, 3, 31))
    actions.application_fee_expired(app, actor=officer, on=date(2026, 3, 31))
    app.refresh_from_db()
    assert (app.status, app.outcome) == ("closed", "result.other.fee_unpaid")
    assert audit_rows(app)[-1][0] == "applications.fee_expired"


@pytest.mark.parametrize("outcome", ["result.granted", "result.denied.state_secret", "result.unable.not_held",
                                     "result.not_processed.petition", "result.other.other"])
def test_decide_and_deliver(agency, officer, fixed_today, outcome):
    app = register(agency, officer)
    fixed_today(date(2026, 3, 20))
    actions.application_decide(app, actor=officer, on=date(2026, 3, 20), outcome=outcome, basis="依据……")
    app.refresh_from_db()
    assert (app.status, app.outcome, app.decided_on) == ("decided", outcome, date(2026, 3, 20))
    assert audit_rows(app)[-1] == ("applications.decide", agency.pk, "officer1", {"status": "processing"},
                                   {"status": "decided", "outcome": outcome, "decided_on": "2026-03-20",
                                    "basis": "依据……", "on_time": True, "parts": None})
    actions.application_deliver(app, actor=officer, on=date(2026, 3, 20), method="邮寄")
    app.refresh_from_db()
    assert app.status == "delivered" and app.delivered_on == date(2026, 3, 20)
    assert audit_rows(app)[-1] == ("applications.deliver", agency.pk, "officer1", {"status": "decided"},
                                   {"status": "delivered", "delivered_on": "2026-03-20", "method": "邮寄"})
    before = snapshot(app)
    with pytest.raises(DomainError, match="不能告知补正"):
        actions.application_request_correction(app, actor=officer, on=date(2026, 3, 20), items=["x"],
                                               period_end=date(2026, 3, 27))
    assert snapshot(app) == before


def test_decide_refuses_missing_basis_and_bad_partial(agency, officer, fixed_today):
    app = register(agency, officer)
    before = snapshot(app)
    with pytest.raises(DomainError, match="法律依据"):
        actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.granted", basis=" ")
    with pytest.raises(DomainError, match="至少一项"):
        actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.partial", basis="x",
                                   parts=[{"description": "表一", "disclosed": True}])
    with pytest.raises(DomainError, match="理由"):
        actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.partial", basis="x",
                                   parts=[{"description": "表一", "disclosed": True},
                                          {"description": "表二", "disclosed": False, "reason": "", "basis": ""}])
    with pytest.raises(DomainError, match="补正"):
        actions.application_decide(app, actor=officer, on=date(2026, 3, 2),
                                   outcome="result.unable.unclear_after_correction", basis="x")
    assert snapshot(app) == before
    actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.partial", basis="第三十七条",
                               parts=[{"description": "表一", "disclosed": True},
                                      {"description": "表二 身份证号", "disclosed": False,
                                       "reason": "result.denied.third_party", "basis": "个人隐私，第十五条"}])
    assert list(app.parts.values_list("position", "disclosed", "reason")) == [
        (1, True, ""), (2, False, "result.denied.third_party")]


def test_withdraw_and_change_applicant_kind(agency, officer, fixed_today):
    app = register(agency, officer)
    actions.application_change_applicant_kind(app, actor=officer, kind="research", reason="申请人系研究所，登记有误")
    app.refresh_from_db()
    assert app.applicant_kind == "research"
    assert audit_rows(app)[-1] == ("applications.change_applicant_kind", agency.pk, "officer1",
                                   {"applicant_kind": "natural_person"},
                                   {"applicant_kind": "research", "reason": "申请人系研究所，登记有误"})
    assert "自然人 → 科研机构" in app.events.get(kind="applicant_kind_changed").note
    actions.application_withdraw(app, actor=officer, on=date(2026, 3, 2), note="电话撤回")
    app.refresh_from_db()
    assert (app.status, app.outcome) == ("closed", "result.other.other")
    assert audit_rows(app)[-1] == ("applications.withdraw", agency.pk, "officer1", {"status": "processing"},
                                   {"status": "closed", "outcome": "result.other.other", "decided_on": "2026-03-02"})


def test_staff_of_another_agency_cannot_act(agency, other_agency, staff_factory, officer, fixed_today):
    app = register(agency, officer)
    stranger = staff_factory(other_agency)
    before = snapshot(app)
    with pytest.raises(DomainError, match="权限"):
        actions.application_decide(app, actor=stranger, on=date(2026, 3, 2), outcome="result.granted", basis="x")
    assert snapshot(app) == before


def test_reconsideration_and_litigation_records(agency, officer, fixed_today):
    app = register(agency, officer)
    with pytest.raises(DomainError, match="先办结"):
        actions.reconsideration_record(app, actor=officer, body="洛阳市人民政府", filed_on=date(2026, 3, 2))
    actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.denied.process_info",
                               basis="第十六条第二款")
    fixed_today(date(2026, 4, 1))
    review = actions.reconsideration_record(app, actor=officer, body="洛阳市人民政府", filed_on=date(2026, 3, 20))
    actions.reconsideration_conclude(review, actor=officer, result="maintained", concluded_on=date(2026, 4, 1))
    review.refresh_from_db()
    assert (review.result, review.concluded_on) == ("maintained", date(2026, 4, 1))
    lit = actions.litigation_record(app, actor=officer, route="after_review", court="洛阳市西工区人民法院",
                                    filed_on=date(2026, 4, 1))
    assert lit.result == "pending"
    with pytest.raises(DomainError, match="审结日期"):
        actions.litigation_record(app, actor=officer, route="direct", court="某法院", filed_on=date(2026, 4, 1),
                                  result="corrected")
    codes = [r[0] for r in audit_rows(app)]
    assert codes[-3:] == ["applications.review_record", "applications.review_conclude",
                          "applications.litigation_record"]


def test_consultation_event_rows_are_append_only(agency, officer, fixed_today):
    app = register(agency, officer)
    event = app.events.first()
    from gongkai.applications.models import ImmutableEventError

    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        app.events.all().delete()
    assert Consultation.objects.count() == 0
