"""Periodic work in the code: each reminder runs once per slot, on working days, by whichever worker comes first."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from gongkai.core import schedule
from gongkai.core.models import ScheduledRun
from tests.helpers.workers import start_worker, stop_worker, wait_for

DEADLINES = next(e for e in schedule.SCHEDULE if e.command == "send_deadline_reminders")
ANNUAL = next(e for e in schedule.SCHEDULE if e.command == "annual_report_remind")


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))  # China time (settings.TIME_ZONE)


@pytest.mark.django_db
def test_the_latest_slot_follows_the_clock_and_the_working_calendar():
    # Friday 2026-03-06: after 08:30 the slot is this morning's, before it the day before's.
    assert schedule.latest_slot(DEADLINES, at(2026, 3, 6, 9, 0)) == at(2026, 3, 6, 8, 30)
    assert schedule.latest_slot(DEADLINES, at(2026, 3, 6, 8, 0)) == at(2026, 3, 5, 8, 30)
    # National Day and a Sunday: no deadline reminders; the annual-report reminder runs every day.
    assert schedule.latest_slot(DEADLINES, at(2026, 10, 1, 9, 0)) is None
    assert schedule.latest_slot(DEADLINES, at(2026, 3, 8, 9, 0)) is None
    assert schedule.latest_slot(ANNUAL, at(2026, 3, 8, 9, 0)) == at(2026, 3, 8, 8, 50)
    # Monday before 08:30: Sunday's slot does not exist for working-day entries.
    assert schedule.latest_slot(DEADLINES, at(2026, 3, 9, 8, 0)) is None


@pytest.mark.django_db
def test_each_entry_runs_once_per_slot(agency, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the suite's engine runs them at once
        names = schedule.enqueue_due(at(2026, 3, 6, 9, 0))
    assert sorted(names) == sorted(e.name for e in schedule.SCHEDULE)
    runs = {r.command: r for r in ScheduledRun.objects.all()}
    assert set(runs) == {e.command for e in schedule.SCHEDULE}
    assert all(r.finished_at is not None and not r.failed for r in runs.values())
    assert "共发送" in runs["annual_report_remind"].output and "2025年度报告" in runs["annual_report_remind"].output
    assert "已发送" in runs["send_deadline_reminders"].output
    # A second worker, or the same one a beat later, finds the runs recorded and does nothing.
    assert schedule.enqueue_due(at(2026, 3, 6, 9, 0, 10)) == []
    assert ScheduledRun.objects.count() == len(schedule.SCHEDULE)
    # The next morning is a new slot.
    assert len(schedule.enqueue_due(at(2026, 3, 9, 9, 0))) == len(schedule.SCHEDULE)


@pytest.mark.django_db
def test_a_failing_run_is_recorded_with_its_reason(monkeypatch, django_capture_on_commit_callbacks):
    broken = schedule.Periodic("坏的任务", "no_such_command", ANNUAL.at, working_days=False)
    monkeypatch.setattr(schedule, "SCHEDULE", (broken,))
    with django_capture_on_commit_callbacks(execute=True):
        schedule.enqueue_due(at(2026, 3, 6, 9, 0))
    run = ScheduledRun.objects.get(name="坏的任务")
    assert run.failed and "no_such_command" in run.output and run.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_schedule_without_cron(agency, settings):
    worker = start_worker(GONGKAI_WORKER_BEAT_SECONDS="1")
    try:
        assert wait_for(lambda: ScheduledRun.objects.filter(command="annual_report_remind",
                                                            finished_at__isnull=False).exists(), 90), \
            "the worker did not run the daily annual-report reminder"
    finally:
        output = stop_worker(worker)
    run = ScheduledRun.objects.get(command="annual_report_remind")
    assert not run.failed and "共发送" in run.output, (run.output, output[-2000:])
    assert run.slot <= timezone.now()
