"""后台任务: the platform administrators' view of the background work (engine, workers, schedule, failures).

Only global administrators reach it: the admin guard refuses every view it does not list
as scoped, and this one is not, because it shows the whole installation.
"""

from __future__ import annotations

from django.conf import settings
from django.template.response import TemplateResponse
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun
from .schedule import SCHEDULE
from .taskstatus import queue_status


def task_queue(request):
    status, problems = queue_status()
    last_runs = {}
    for run in ScheduledRun.objects.filter(name__in=[e.name for e in SCHEDULE]).order_by("-slot")[:200]:
        last_runs.setdefault(run.name, run)
    failed = []
    if settings.GONGKAI_TASKS == "database":
        failed = list(DBTaskResult.objects.failed().order_by("-finished_at")[:20])
    return TemplateResponse(request, "core/admin/task_queue.html", {
        "status": status, "problems": problems,
        "schedule": [(entry, last_runs.get(entry.name)) for entry in SCHEDULE],
        "failed": [(r, (r.exception_class_path or "").rsplit(".", 1)[-1]) for r in failed],
    })
