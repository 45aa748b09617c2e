"""Periodic work, in the code: the reminders run on a schedule kept here, not in cron.

Each entry names a management command and the time of day (China time) it runs; entries
marked `working_days` run only on working days of the calendar in force (holidays and
adjusted working weekends included). Every background worker — database or Celery engine —
calls `enqueue_due()` with each heartbeat: the first worker to record a run of an entry
for its slot enqueues it, the others see the record and do nothing, so a run happens once
however many workers there are. A worker that was down at the hour catches up with the
day's run when it starts (only the latest slot: a week offline does not send a week of mail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from io import StringIO

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from gongkai.calendars.services import current_calendar
from gongkai.core import clock

from .models import ScheduledRun


@dataclass(frozen=True)
class Periodic:
    name: str  # what the run is called in the admin and in the ScheduledRun records
    command: str  # the management command the run calls
    at: time  # time of day, China time
    working_days: bool = True


SCHEDULE = (
    # Every day (a window can end before a weekend), before the reminders so they mention it.
    Periodic("征求意见、缴费期限届满处理", "lapse_windows", time(8, 15), working_days=False),
    Periodic("答复期限提醒", "send_deadline_reminders", time(8, 30)),
    Periodic("留言办理提醒", "interaction_remind", time(8, 40)),
    Periodic("年度报告公开提醒", "annual_report_remind", time(8, 50), working_days=False),  # daily from 1 January
    # Website self-inspection: the link check of every site at night, the 政务新媒体 feeds, then the
    # day's inspection (the availability probe runs every 30 minutes as a beat duty below).
    Periodic("网站链接检查", "inspection_crawl", time(3, 30), working_days=False),
    Periodic("读取政务新媒体更新日期", "inspection_read_feeds", time(6, 0), working_days=False),
    Periodic("网站每日自查", "inspection_daily", time(7, 0), working_days=False),
)


# Work every worker does with each heartbeat (dotted paths: the apps above core provide them).
BEAT_DUTIES = (
    "gongkai.portal.tasks.resume_rebuilds",  # re-queue rebuild chunks whose job was lost; top up the window
    "gongkai.inspection.tasks.probe_when_due",  # availability probes of every site, every 30 minutes
)


def beat_duties() -> None:
    for path in BEAT_DUTIES:
        import_string(path)()


def latest_slot(entry: Periodic, now: datetime) -> datetime | None:
    """The most recent moment at or before `now` when the entry was due, within the last day."""
    local = timezone.localtime(now)
    slot = local.replace(hour=entry.at.hour, minute=entry.at.minute, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    if entry.working_days and not current_calendar().is_working_day(slot.date()):
        return None
    return slot


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every entry whose latest slot has no run yet; returns the names enqueued."""
    now = now or clock.now()
    enqueued = []
    for entry in SCHEDULE:
        slot = latest_slot(entry, now)
        if slot is None or ScheduledRun.objects.filter(name=entry.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.name, command=entry.command, slot=slot)
        except IntegrityError:  # another worker took this slot a moment ago
            continue
        transaction.on_commit(lambda e=entry, s=slot: run_scheduled.enqueue(e.name, s.isoformat()))
        enqueued.append(entry.name)
    return enqueued


@task()
def run_scheduled(name: str, slot: str) -> str:
    """Run one periodic entry (by a worker) and record its output on the run."""
    entry = next(e for e in SCHEDULE if e.name == name)
    run = ScheduledRun.objects.get(name=name, slot=datetime.fromisoformat(slot))
    if run.finished_at is not None:  # run twice (a worker died after it finished): once is enough
        return run.output
    out = StringIO()
    try:
        call_command(entry.command, stdout=out, stderr=out)
    except Exception as exc:  # noqa: BLE001 — recorded on the run for the administrator
        out.write(f"\n失败：{type(exc).__name__}: {exc}")
        ScheduledRun.objects.filter(pk=run.pk).update(output=out.getvalue()[-4000:], failed=True,
                                                      finished_at=clock.now())
        raise
    ScheduledRun.objects.filter(pk=run.pk).update(output=out.getvalue()[-4000:], finished_at=clock.now())
    return out.getvalue()[-4000:]
