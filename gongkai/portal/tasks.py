"""Background jobs of the portal, through Django's Tasks API: static publishing.

`enqueue_publish` records a `PublishJob` and hands its id to the task engine when the
transaction that published the page commits; `run_publish_job` (run by a worker) writes
the files. A job that fails is tried again later (30 s, then 60 s, when the engine can
defer) and then shown as 发布失败 with its reason; staff retry it from 发布任务. Running a
job twice writes the same files: a job interrupted by a dead worker is simply run again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django_tasks import default_task_backend, task

from gongkai.core import clock

from .models.publishjobs import PublishJob
from .publish import publish_page

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_AFTER_SECONDS = 30  # doubled at each further attempt


def enqueue_publish(page, *, kind: str = PublishJob.Kind.PUBLISH, user=None, **params) -> PublishJob:
    job = PublishJob.objects.create(
        agency_id=page.specific_deferred.agency_id, page_id=page.pk, title=(page.title or "")[:255], kind=kind,
        params=params, requested_by=user if getattr(user, "pk", None) else None)
    enqueue_again(job)
    return job


def enqueue_again(job: PublishJob) -> None:
    """Hand the job to the task engine once the current transaction commits."""
    transaction.on_commit(lambda: run_publish_job.enqueue(job.pk))


@task()
def run_publish_job(job_id: int) -> str:
    job = PublishJob.objects.filter(pk=job_id).first()
    if job is None or job.status != PublishJob.Status.QUEUED:
        return "skipped"
    PublishJob.objects.filter(pk=job_id).update(attempts=F("attempts") + 1)
    job.refresh_from_db()
    try:
        publish_page(job.page_id, **job.params)
    except Exception as exc:  # recorded on the job; the previous files stay in place
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts < MAX_ATTEMPTS and default_task_backend.supports_defer:
            PublishJob.objects.filter(pk=job.pk).update(error=reason)
            delay = timedelta(seconds=RETRY_AFTER_SECONDS * 2 ** (job.attempts - 1))
            run_publish_job.using(run_after=clock.now() + delay).enqueue(job.pk)
            return "retry"
        log.exception("static publishing of page %s failed (job %s)", job.page_id, job.pk)
        PublishJob.objects.filter(pk=job.pk).update(status=PublishJob.Status.FAILED, error=reason,
                                                    finished_at=clock.now())
        return "failed"
    PublishJob.objects.filter(pk=job.pk).update(status=PublishJob.Status.DONE, error="", finished_at=clock.now())
    return "done"
