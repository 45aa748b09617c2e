"""After a holiday year changes, a background job recomputes the open cases; the calendar page shows its state."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications import tasks
from gongkai.applications.models import Application, ApplicationEvent, RecomputeJob
from gongkai.applications.recompute import apply_recompute, plan_recompute
from gongkai.audit.models import AuditEvent
from gongkai.calendars.actions import calendar_year_load
from tests.factories import make_user
from tests.helpers.workers import start_worker

from .helpers import register
from .test_recompute import YEAR_2027

CALENDAR_URL = "/admin/snippets/calendars/calendaryear/"


@pytest.fixture
def database_engine(settings):
    """Jobs wait in the database for a worker (the immediate engine of the test suite would run them at once)."""
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}


@pytest.fixture
def sysadmin_client(client, db):
    from django_otp.plugins.otp_static.models import StaticDevice

    admin = make_user("cal_jobs_admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    device = StaticDevice.objects.create(user=admin, name="x")
    device.token_set.create(token="11112222")
    client.post("/accounts/2fa/", {"token": "11112222"})
    client.user = admin
    return client


def _open_case(agency, officer, fixed_today, **kwargs):
    fixed_today(date(2026, 12, 18))
    case = register(agency, officer, received=date(2026, 12, 17), **kwargs)
    case.refresh_from_db()
    assert case.due_on == date(2027, 1, 15) and case.due_provisional  # provisional 2027: only 元旦
    return case


@pytest.mark.django_db(transaction=True)
def test_the_load_queues_a_job_the_page_follows_it_and_a_second_run_does_nothing(
        sysadmin_client, agency, officer, fixed_today, database_engine):
    case = _open_case(agency, officer, fixed_today)
    response = sysadmin_client.post(f"{CALENDAR_URL}add/", {"yaml_text": YEAR_2027})
    assert response.status_code == 302
    job = RecomputeJob.objects.get()
    assert job.status == RecomputeJob.Status.QUEUED and job.year == 2027 and job.requested_by == sysadmin_client.user
    case.refresh_from_db()
    assert case.due_on == date(2027, 1, 15), "the request itself recomputes nothing"
    page = sysadmin_client.get(CALENDAR_URL).content.decode()
    assert "正在排队等待重算在办申请的答复期限" in page and 'http-equiv="refresh"' in page

    assert tasks.run_recompute.call(job.pk) == "done"
    job.refresh_from_db()
    case.refresh_from_db()
    assert job.status == RecomputeJob.Status.DONE and job.due_changed == 1 and job.cases_done == job.cases_total == 1
    assert job.started_at and job.finished_at and job.stats["due_changed"] == 1
    assert case.due_on == date(2027, 1, 18) and not case.due_provisional
    page = sysadmin_client.get(CALENDAR_URL).content.decode()
    assert "已重算：2027年放假安排变化后，1 件在办申请中 1 件期限改变。" in page and 'http-equiv="refresh"' not in page
    audit = AuditEvent.objects.get(action="applications.recompute")
    assert audit.actor == sysadmin_client.user

    # Run again (the engine handed it out twice): nothing more is written.
    assert tasks.run_recompute.call(job.pk) == "skipped"
    assert case.events.filter(kind="due_changed").count() == 1
    assert AuditEvent.objects.filter(action="applications.recompute").count() == 1
    assert tasks.run_recompute.call(987654) == "skipped"  # a job that does not exist (deleted)


@pytest.mark.django_db
def test_a_job_left_running_by_a_dead_worker_is_run_again_without_doubling(agency, officer, fixed_today,
                                                                           database_engine):
    case = _open_case(agency, officer, fixed_today)
    calendar_year_load(YEAR_2027, actor=None)  # in a test transaction: the signal waits for a commit that never comes
    job = RecomputeJob.objects.create(year=2027, status=RecomputeJob.Status.RUNNING, cases_done=1, cases_total=1)
    assert tasks.run_recompute.call(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == RecomputeJob.Status.DONE and job.due_changed == 1
    # A second job for the same year (loaded twice, or the first's write landed before its worker died): no change.
    again = tasks.submit_recompute(year=2027)
    assert tasks.run_recompute.call(again.pk) == "done"
    again.refresh_from_db()
    assert again.due_changed == 0 and again.stats["open"] == 1
    assert case.events.filter(kind="due_changed").count() == 1


@pytest.mark.django_db
def test_progress_is_reported_every_batch_and_shown_as_numbers(agency, officer, fixed_today):
    for i in range(5):
        _open_case(agency, officer, fixed_today, description=f"第{i}份文件（编号{i * 7919}）")
    seen = []
    plan = plan_recompute(year=2027, batch=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert len(plan.changed_due) == 0  # no year loaded: nothing moves
    job = RecomputeJob(year=2027, status=RecomputeJob.Status.RUNNING, cases_done=1234, cases_total=5000)
    assert job.summary == "正在重算 1,234 / 5,000 件在办申请的答复期限（2027年放假安排）…"


@pytest.mark.django_db
def test_a_case_changed_while_the_job_computed_is_left_to_its_own_step(agency, officer, fixed_today):
    quiet = _open_case(agency, officer, fixed_today, description="甲文件")
    busy = _open_case(agency, officer, fixed_today, description="乙文件的通知")
    from gongkai.calendars.models import CalendarYear

    CalendarYear.objects.create(year=2027, yaml_text=YEAR_2027, notice="测试")
    plan = plan_recompute(year=2027)
    assert {pk for pk, _old, _new in plan.changed_due} == {quiet.pk, busy.pk}
    from gongkai.applications import actions

    actions.application_add_note(busy, actor=officer, note="电话联系申请人")  # a step taken meanwhile
    stats = apply_recompute(plan)
    assert stats["due_changed"] == 1
    assert quiet.events.filter(kind="due_changed").exists() and not busy.events.filter(kind="due_changed").exists()


@pytest.mark.django_db
def test_a_job_that_breaks_shows_the_reason_in_chinese_and_changes_nothing(
        sysadmin_client, agency, officer, fixed_today, monkeypatch):
    case = _open_case(agency, officer, fixed_today)

    def broken(**kwargs):
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "plan_recompute", broken)
    calendar_year_load(YEAR_2027, actor=None)
    job = tasks.submit_recompute(year=2027, actor=sysadmin_client.user)
    assert tasks.run_recompute.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == RecomputeJob.Status.FAILED and job.finished_at
    assert job.error == "处理时出现内部错误（RuntimeError），请联系系统管理员；各申请的答复期限未作更改"
    page = sysadmin_client.get(CALENDAR_URL).content.decode()
    assert "重算答复期限失败：处理时出现内部错误（RuntimeError）" in page and "server closed" not in page
    assert 'http-equiv="refresh"' not in page
    case.refresh_from_db()
    assert case.due_on == date(2027, 1, 15) and not ApplicationEvent.objects.filter(kind="due_changed").exists()
    assert tasks.run_recompute.call(job.pk) == "skipped"  # a failed job stays failed; loading again starts a new one


@pytest.mark.django_db
def test_a_bad_year_file_queues_no_job(sysadmin_client):
    response = sysadmin_client.post(f"{CALENDAR_URL}add/", {"yaml_text": "year: 2027\nworking_days: [2027-02-10]\n"})
    assert response.status_code == 200 and "星期六、星期日" in response.content.decode()
    assert not RecomputeJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_after_the_admin_loads_a_year(sysadmin_client, agency, officer, fixed_today,
                                                               database_engine):
    cases = [_open_case(agency, officer, fixed_today, description=f"第{i}份文件（编号{i * 7919}）") for i in range(3)]
    assert sysadmin_client.post(f"{CALENDAR_URL}add/", {"yaml_text": YEAR_2027}).status_code == 302
    job = RecomputeJob.objects.get()
    assert job.pending
    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, output[-3000:]
    job.refresh_from_db()
    assert job.status == RecomputeJob.Status.DONE, (job.error, output[-3000:])
    assert job.due_changed == 3 and job.cases_total == 3
    assert set(Application.objects.filter(pk__in=[c.pk for c in cases]).values_list("due_on", flat=True)) == {
        date(2027, 1, 18)}
    page = sysadmin_client.get(CALENDAR_URL).content.decode()
    assert "3 件期限改变" in page and 'http-equiv="refresh"' not in page


@pytest.mark.django_db(transaction=True)
def test_the_command_line_waits_for_the_recompute_and_the_queued_copy_is_skipped(
        tmp_path, capsys, agency, officer, fixed_today, database_engine):
    from django_tasks_db.models import DBTaskResult

    from gongkai.cli import main

    _open_case(agency, officer, fixed_today)
    path = tmp_path / "2027.yaml"
    path.write_text(YEAR_2027, encoding="utf-8")
    assert main(["calendar", "load", str(path)]) == 0
    assert "未办结案件的期限已按新安排重算：1 件在办申请，1 件期限改变。" in capsys.readouterr().out
    job = RecomputeJob.objects.get()
    assert job.status == RecomputeJob.Status.DONE and job.requested_by is None
    assert DBTaskResult.objects.filter(task_path="gongkai.applications.tasks.run_recompute").count() == 1  # queued too
    assert tasks.run_recompute.call(job.pk) == "skipped"
