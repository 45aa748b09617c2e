"""The background worker, for either engine, with a heartbeat for /healthz and the schedule.

    manage.py gongkai_worker            # every queue, until stopped (make run starts one)
    manage.py gongkai_worker --batch    # database engine: run what is queued, then exit (no schedule)

With the database engine (GONGKAI_TASKS=database) it is django-tasks-db's `db_worker`
(every queue by default); with the Celery engine (GONGKAI_TASKS=celery) it is a Celery
worker of `gongkai.core.celery_engine` taking one job at a time from the broker. Either
way a thread writes the worker's `WorkerBeat` every `WORKER_BEAT_SECONDS`, so the health
check can tell a live worker from a dead one, and enqueues the periodic work that is due
(`gongkai.core.schedule`). The database engine's thread also puts back in the queue the
jobs of workers that died mid-job (the Celery broker does that itself).
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

from gongkai.core import celery_engine, clock, schedule
from gongkai.core.models import WorkerBeat, dead_after

log = logging.getLogger(__name__)


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


def _beat_forever(worker_id: str, started_at, stop: threading.Event, scheduling: bool) -> None:
    while not stop.wait(settings.WORKER_BEAT_SECONDS):
        try:
            beat(worker_id, started_at)
            if settings.GONGKAI_TASKS == "database":
                requeue_orphans()
            if scheduling:
                schedule.enqueue_due()
                schedule.beat_duties()
        except OperationalError:  # a busy SQLite file: the next beat will do
            pass
        except Exception:  # the heartbeat must outlive any failure of the schedule
            log.exception("worker %s: heartbeat or schedule failed; trying again at the next beat", worker_id)
        finally:
            close_old_connections()


class Command(DbWorkerCommand):
    help = "运行后台任务工作进程（数据库任务引擎），并写入心跳供 /healthz 检查。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)  # the reloader would run the worker in a child process
        if settings.GONGKAI_TASKS == "celery":  # --backend must name a database backend only for db_worker itself
            for argument in parser._actions:
                if argument.dest == "backend_name":
                    argument.type = str

    def run_from_argv(self, argv):
        if settings.GONGKAI_TASKS not in ("database", "celery"):  # before the parser refuses the backend in English
            sys.stderr.write(f"GONGKAI_TASKS={settings.GONGKAI_TASKS}：任务在发起的进程里立即执行，不需要工作进程；"
                             "只有数据库任务引擎（database）和 Celery 引擎（celery）需要本工作进程。\n")
            raise SystemExit(2)
        return super().run_from_argv(argv)

    def handle(self, *args, **options):
        worker_id = options.get("worker_id") or f"{socket.gethostname()}-{os.getpid()}"
        options["worker_id"] = worker_id[:64]
        started_at = clock.now()
        if settings.GONGKAI_TASKS == "database":
            requeue_orphans(restarted=options["worker_id"])
        beat(options["worker_id"], started_at)
        stop = threading.Event()
        scheduling = not options.get("batch")  # a batch runs what is queued and leaves: it enqueues nothing new
        thread = threading.Thread(target=_beat_forever, args=(options["worker_id"], started_at, stop, scheduling),
                                  daemon=True)
        thread.start()
        try:
            if settings.GONGKAI_TASKS == "celery":
                return _celery_worker(options["worker_id"], options["verbosity"])
            return super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=settings.WORKER_BEAT_SECONDS + 5)  # its last beat must not outlive the row
            WorkerBeat.objects.filter(worker_id=options["worker_id"]).delete()


def _celery_worker(worker_id: str, verbosity: int) -> None:
    """Run a Celery worker in this process: one job at a time, until SIGTERM (then it finishes the job)."""
    celery_engine.app.worker_main(["worker", "--pool", "solo", "--hostname", f"{worker_id}@%h",
                                   "--loglevel", "INFO" if verbosity > 1 else "WARNING",
                                   "--without-gossip", "--without-mingle"])
