"""The Celery task engine: Django's Tasks API on RabbitMQ or Redis (GONGKAI_TASKS=celery).

Every task of the platform is an ordinary `django_tasks.task`; this backend hands each call
to Celery as one message (`gongkai.run`: the task's import path, its arguments and the
result id) on the broker named by `GONGKAI_CELERY_BROKER` — `amqp://…` for RabbitMQ,
`redis://…` for Redis. `manage.py gongkai_worker` starts a Celery worker for this app when
the engine is Celery (the same command, heartbeat and schedule as the database engine).

Nothing is lost when a worker dies mid-job: messages are acknowledged only after the task
returns (`acks_late`) and given back to the broker when the worker process is lost, so
another worker runs the job again — every task is written to be run twice safely.
"""

from __future__ import annotations

import os

from celery import Celery
from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.utils import get_random_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

app = Celery("gongkai")
app.conf.update(
    broker_url=settings.CELERY_BROKER_URL,
    task_default_queue=settings.CELERY_QUEUE,
    task_acks_late=True,  # a job is acknowledged when done, not when taken
    task_reject_on_worker_lost=True,  # a killed worker's job goes back to the broker
    worker_prefetch_multiplier=1,  # a worker holds one job at a time; the others stay free for other workers
    task_ignore_result=True,  # the platform records outcomes itself (PublishJob, audit events)
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    # Redis only: a job taken but not acknowledged (its worker died) is given out again after this long;
    # workers look for such jobs every few seconds (kombu's default would be every 100 s).
    broker_transport_options={"visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT,
                              "unacked_restore_interval": max(1, min(10, settings.CELERY_VISIBILITY_TIMEOUT // 2)),
                              "unacked_restore_throttle": 1},
)


@app.task(name="gongkai.run")
def run(task_path: str, args: list, kwargs: dict, result_id: str):
    """Run one Django task by its import path (what `CeleryBackend.enqueue` sent)."""
    django_task = import_string(task_path)
    if django_task.takes_context:
        result = TaskResult(task=django_task, id=result_id, status=TaskResultStatus.RUNNING, enqueued_at=None,
                            started_at=None, last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs,
                            backend="default", errors=[], worker_ids=[])
        return django_task.call(TaskContext(task_result=result), *args, **kwargs)
    return django_task.call(*args, **kwargs)


class CeleryBackend(BaseTaskBackend):
    """django-tasks backend that sends each task to Celery.

    OPTIONS may name another broker (`BROKER_URL`) and queue (`QUEUE`) than the settings';
    the tests give each test its own queue.
    """

    supports_defer = True  # run_after becomes the message's ETA

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.broker_url = self.options.get("BROKER_URL", settings.CELERY_BROKER_URL)
        self.queue = self.options.get("QUEUE", settings.CELERY_QUEUE)

    def backlog(self) -> int:
        """How many jobs wait in the queue (not those a worker holds)."""
        with app.connection_for_read(self.broker_url) as connection:
            try:
                return connection.default_channel.queue_declare(queue=self.queue, passive=True).message_count
            except connection.channel_errors:  # no such queue yet: nothing was ever sent to it
                return 0

    def delete_queue(self) -> None:
        """Remove the queue and its exchange from the broker (the tests' own queues)."""
        with app.connection_for_write(self.broker_url) as connection:
            connection.default_channel.queue_delete(self.queue)
            connection.default_channel.exchange_delete(self.queue)

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
                            started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
                            kwargs=dict(kwargs), backend=self.alias, errors=[], worker_ids=[])
        # One Celery queue for every task: a worker takes whatever comes next.
        with app.connection_for_write(self.broker_url) as connection:
            run.apply_async(args=[task.module_path, list(args), dict(kwargs), result.id], eta=task.run_after,
                            queue=self.queue, connection=connection)
        return result
