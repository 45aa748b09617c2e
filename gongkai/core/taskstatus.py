"""The state of the background work, for /healthz and the administrators' 后台任务 page: one place."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from gongkai.core import clock
from gongkai.core.models import ScheduledRun, WorkerBeat, dead_after


def queue_status() -> tuple[dict, list[str]]:
    """(facts, problems in Chinese) about the engine, its backlog and the live workers."""
    now = clock.now()
    info: dict = {"engine": settings.GONGKAI_TASKS}
    problems: list[str] = []
    if settings.GONGKAI_TASKS == "database":
        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        info.update({
            "backlog": waiting.count(),
            "oldest_waiting_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
            "running": DBTaskResult.objects.running().count(),
            "failed": DBTaskResult.objects.failed().count(),
        })
    elif settings.GONGKAI_TASKS == "celery":
        try:
            info["backlog"] = default_task_backend.backlog()
        except Exception as exc:  # noqa: BLE001 — any broker failure is reported, never raised
            info["backlog"] = None
            problems.append(f"无法连接任务队列（GONGKAI_CELERY_BROKER）：{exc.__class__.__name__}")
    else:
        return info, problems
    alive_since = now - dead_after()
    workers = [{"id": w.worker_id, "host": w.host, "pid": w.pid, "beat_seconds_ago": round((now - w.beat_at).total_seconds(), 1)}
               for w in WorkerBeat.objects.filter(beat_at__gte=alive_since).order_by("worker_id")]
    info.update({"workers_alive": len(workers), "workers": workers})
    last = ScheduledRun.objects.order_by("-enqueued_at", "-pk").first()  # the schedule's last sign of life
    info["schedule_last_run"] = None if last is None else {
        "name": last.name, "slot": last.slot.isoformat(), "enqueued_seconds_ago": round((now - last.enqueued_at).total_seconds()),
        "finished": last.finished_at is not None, "failed": last.failed}
    failed_runs = ScheduledRun.objects.filter(failed=True, slot__gte=now - timedelta(days=1)).values_list("name", flat=True)
    for name in failed_runs:
        problems.append(f"定时任务“{name}”最近一次运行失败，详见管理后台“后台任务”。")
    if not workers:
        problems.append("没有正在运行的后台工作进程：发布、导入和提醒不会执行。请运行 manage.py gongkai_worker。")
    return info, problems
