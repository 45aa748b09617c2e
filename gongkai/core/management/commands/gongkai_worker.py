"""The background worker of the database task engine, with a heartbeat for /healthz.

    manage.py gongkai_worker            # every queue, until stopped (make run starts one)
    manage.py gongkai_worker --batch    # run what is queued, then exit

It is django-tasks-db's `db_worker` (every queue by default) plus a thread that writes the
worker's `WorkerBeat` every `WORKER_BEAT_SECONDS`, so the health check can tell a live
worker from a dead one, and puts back in the queue the jobs of workers that died mid-job.
"""

from __future__ import annotations

import os
import socket
import sys
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

from gongkai.core import clock
from gongkai.core.models import WorkerBeat, dead_after


def beat(worker_id: str, started_at) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                  "beat_at": clock.now()})


def requeue_orphans(restarted: str | None = None) -> int:
    """Jobs left running by a worker that died (no beat for three periods) go back in the queue.

    Every task is written to be run again safely (idempotent), so a job interrupted by a
    killed worker is simply done again by another. A worker that starts under the id of one
    that died (a systemd restart) passes its id as `restarted`: nothing of it runs yet.
    Returns how many were requeued.
    """
    alive = set(WorkerBeat.objects.filter(beat_at__gte=clock.now() - dead_after()).values_list("worker_id", flat=True))
    alive.discard(restarted)
    orphans = [r.pk for r in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
               if not (set(r.worker_ids[-1:]) & alive)]
    return DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None)


def _beat_forever(worker_id: str, started_at, stop: threading.Event) -> None:
    while not stop.wait(settings.WORKER_BEAT_SECONDS):
        try:
            beat(worker_id, started_at)
            requeue_orphans()
        except OperationalError:  # a busy SQLite file: the next beat will do
            pass
        finally:
            close_old_connections()


class Command(DbWorkerCommand):
    help = "运行后台任务工作进程（数据库任务引擎），并写入心跳供 /healthz 检查。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)  # the reloader would run the worker in a child process

    def run_from_argv(self, argv):
        if settings.GONGKAI_TASKS != "database":  # before the parser refuses the backend in English
            sys.stderr.write(f"GONGKAI_TASKS={settings.GONGKAI_TASKS}：只有数据库任务引擎（database）需要本工作进程。\n")
            raise SystemExit(2)
        return super().run_from_argv(argv)

    def handle(self, *args, **options):
        worker_id = options.get("worker_id") or f"{socket.gethostname()}-{os.getpid()}"
        options["worker_id"] = worker_id[:64]
        started_at = clock.now()
        requeue_orphans(restarted=options["worker_id"])
        beat(options["worker_id"], started_at)
        stop = threading.Event()
        thread = threading.Thread(target=_beat_forever, args=(options["worker_id"], started_at, stop), daemon=True)
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=settings.WORKER_BEAT_SECONDS + 5)  # its last beat must not outlive the row
            WorkerBeat.objects.filter(worker_id=options["worker_id"]).delete()
