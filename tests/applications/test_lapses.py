"""The daily duty: a consultation nobody answered and a fee nobody paid move the case on by themselves.

Real calendar: the consultation of 24 September 2026 runs over 中秋 and 国庆 (window to 22
October); the fee notice received on 30 January 2026 runs over 春节 (pay by 5 March).
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.applications import actions
from gongkai.applications.models import Application, ApplicationEvent, CaseNotice, Consultation, Status
from gongkai.audit.models import AuditEvent
from gongkai.core import schedule

from .helpers import register

pytestmark = pytest.mark.django_db


def run(dry_run=False) -> str:
    out = io.StringIO()
    call_command("lapse_windows", *(["--dry-run"] if dry_run else []), stdout=out, stderr=out)
    return out.getvalue()


def snapshot():
    return (ApplicationEvent.objects.count(), AuditEvent.objects.count(), CaseNotice.objects.count())


@pytest.fixture
def consulted(agency, officer, fixed_today):
    fixed_today(date(2026, 9, 24))
    app = register(agency, officer, received=date(2026, 9, 22))
    c = actions.application_consult(app, actor=officer, on=date(2026, 9, 24), party_kind="third_party",
                                    party_name="洛阳某商贸公司", matter="该公司的中标价格")
    return Application.objects.get(pk=app.pk), c


def test_an_unanswered_consultation_is_recorded_the_day_after_its_window_and_only_then(consulted, fixed_today):
    app, c = consulted
    due_while_open = app.due_on
    fixed_today(date(2026, 10, 22))  # the window's last day
    before = snapshot()
    assert "已登记 0 项" in run()
    assert snapshot() == before
    fixed_today(date(2026, 10, 23))
    assert "将登记 1 项" in run(dry_run=True) and snapshot() == before  # dry run: nothing written
    out = run()
    assert "已登记 1 项" in out and app.number in out
    c.refresh_from_db()
    app.refresh_from_db()
    assert (c.answer, c.answered_on) == ("no_answer", date(2026, 10, 22))
    assert app.due_on == due_while_open and app.clock_state == "running" and app.status == Status.PROCESSING
    answered = ApplicationEvent.objects.get(application=app, kind="consultation_answered")
    assert answered.actor is None and answered.actor_label == "系统自动" and "逾期未答复" in answered.note
    audit = AuditEvent.objects.get(action="applications.consultation_answer")
    assert audit.actor is None and audit.actor_label == "系统自动" and audit.new["answer"] == "no_answer"
    notice = CaseNotice.objects.get(application=app)
    assert notice.kind == "consultation_lapsed" and notice.seen_at is None and "第三十二条" in notice.text
    # Idempotent: a second run (same day or later) adds nothing.
    after = snapshot()
    assert "已登记 0 项" in run()
    fixed_today(date(2026, 11, 30))
    run()
    assert snapshot() == after


def test_an_answered_consultation_is_left_alone(consulted, officer, fixed_today):
    app, c = consulted
    fixed_today(date(2026, 10, 9))
    actions.application_record_consultation_answer(c, actor=officer, on=date(2026, 10, 9), answer="consent")
    fixed_today(date(2026, 12, 1))
    before = snapshot()
    run()
    assert snapshot() == before
    c.refresh_from_db()
    assert c.answer == "consent"


def _fee_case(agency, officer, fixed_today, *, received_on=date(2026, 1, 30)):
    fixed_today(date(2026, 1, 30))
    app = register(agency, officer, received=date(2026, 1, 20))
    actions.application_fee_notice(app, actor=officer, on=date(2026, 1, 29), method="by_pages", pages=100)
    if received_on:
        actions.application_fee_notice_received(app, actor=officer, on=received_on)
    return app


def test_an_unpaid_fee_closes_the_case_the_day_after_its_window(agency, officer, fixed_today):
    app = _fee_case(agency, officer, fixed_today)
    fixed_today(date(2026, 3, 5))  # last day to pay
    run()
    assert Application.objects.get(pk=app.pk).status == Status.AWAITING_FEE
    fixed_today(date(2026, 3, 6))
    run()
    app.refresh_from_db()
    assert (app.status, app.outcome, app.decided_on) == (Status.CLOSED, "result.other.fee_unpaid", date(2026, 3, 6))
    assert app.fee.expired_on == date(2026, 3, 6)
    audit = AuditEvent.objects.get(action="applications.fee_expired")
    assert audit.actor_label == "系统自动" and audit.new["outcome"] == "result.other.fee_unpaid"
    assert ApplicationEvent.objects.get(application=app, kind="fee_expired").actor_label == "系统自动"
    assert CaseNotice.objects.get(application=app).kind == "fee_lapsed"
    before = snapshot()
    run()
    assert snapshot() == before


def test_a_paid_fee_is_left_alone(agency, officer, fixed_today):
    app = _fee_case(agency, officer, fixed_today)
    fixed_today(date(2026, 3, 2))
    actions.application_fee_paid(app, actor=officer, on=date(2026, 3, 2))
    fixed_today(date(2026, 6, 1))
    before = snapshot()
    run()
    assert snapshot() == before and Application.objects.get(pk=app.pk).status == Status.PROCESSING


def test_without_the_date_the_applicant_received_the_notice_nothing_expires_and_the_case_page_says_why(
        client, agency, officer, fixed_today):
    app = _fee_case(agency, officer, fixed_today, received_on=None)
    fixed_today(date(2026, 9, 1))
    run()
    assert Application.objects.get(pk=app.pk).status == Status.AWAITING_FEE
    client.force_login(officer)
    html = client.get(f"/admin/applications/{app.pk}/").content.decode()
    assert "不会自动处理" in html and "未登记申请人收到收费通知的日期" in html


def test_the_clerk_is_told_on_the_start_page_the_case_page_and_by_mail_until_read(client, consulted, officer,
                                                                                 fixed_today):
    app, _c = consulted
    officer.email = "officer1@example.invalid"
    officer.save()
    fixed_today(date(2026, 10, 23))
    run()
    client.force_login(officer)
    home = client.get("/admin/").content.decode()
    panel = re.search(r'<section class="w-panel todo-panel" id="todo-applications".*?</section>', home, re.S).group(0)
    assert f"申请 {app.number}：系统自动处理 — 征求意见逾期未答复" in panel
    assert f"/admin/applications/{app.pk}/#auto" in panel
    page = client.get(f"/admin/applications/{app.pk}/").content.decode()
    assert 'data-testid="notice"' in page and "系统自动" in page
    history = re.search(r'id="history".*?</section>', page, re.S).group(0)
    assert "系统自动" in history
    call_command("send_deadline_reminders", stdout=io.StringIO())
    [message] = mail.outbox
    assert "系统自动处理待知悉" in message.subject and app.number in message.body and "逾期未答复" in message.body
    notice = CaseNotice.objects.get(application=app)
    response = client.post(f"/admin/applications/{app.pk}/", {"notice_seen": str(notice.pk)})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.seen_by == officer and notice.seen_at is not None
    assert AuditEvent.objects.get(action="applications.notice_seen").actor == officer
    home = client.get("/admin/").content.decode()
    assert "系统自动处理" not in home
    assert 'data-testid="notice"' not in client.get(f"/admin/applications/{app.pk}/").content.decode()


def test_another_agency_cannot_mark_a_notice_read(client, consulted, other_agency, staff_factory, fixed_today):
    app, _c = consulted
    fixed_today(date(2026, 10, 23))
    run()
    notice = CaseNotice.objects.get(application=app)
    client.force_login(staff_factory(other_agency, username="stranger"))
    assert client.post(f"/admin/applications/{app.pk}/", {"notice_seen": str(notice.pk)}).status_code == 404
    notice.refresh_from_db()
    assert notice.seen_at is None


def test_the_duty_is_on_the_daily_schedule_before_the_reminders():
    entry = next(e for e in schedule.SCHEDULE if e.command == "lapse_windows")
    reminders = next(e for e in schedule.SCHEDULE if e.command == "send_deadline_reminders")
    assert entry.working_days is False and entry.at < reminders.at


def test_a_refused_case_does_not_stop_the_others(agency, officer, fixed_today, consulted):
    """Two cases lapse the same day; the action refuses one (its consultation record went missing): the other goes on."""
    app, c = consulted
    other = register(agency, officer, received=date(2026, 9, 22), description="另一份文件")
    actions.application_consult(other, actor=officer, on=date(2026, 9, 24), party_kind="co_maker",
                                party_name="洛阳市财政局", matter="联合发文")
    fixed_today(date(2026, 10, 23))
    actions.application_consult(app, actor=officer, on=date(2026, 10, 23), party_kind="co_maker",
                                party_name="洛阳市财政局", matter="另一事项")  # keeps the case a candidate
    Consultation.objects.filter(pk=c.pk).update(application=other)  # the lapsed letter's record is not this case's
    out = run()
    assert f"申请 {app.number}：未能自动登记：找不到编号为 c{c.pk} 的征求意见记录" in out and "已登记 1 项" in out
    assert not CaseNotice.objects.filter(application=app).exists()
    assert CaseNotice.objects.filter(application=other).count() == 1
