"""Background jobs of the portal, through Django's Tasks API: static publishing and site rebuilds.

`enqueue_publish` records a `PublishJob` and hands its id to the task engine when the
transaction that published the page commits; `run_publish_job` (run by a worker) writes
the files. A job that fails is tried again later (30 s, then 60 s, when the engine can
defer; `PUBLISH_RETRY_SECONDS`) and then shown as 发布失败 with its reason; staff retry it from 发布任务. Running a
job twice writes the same files: a job interrupted by a dead worker is simply run again.

`start_rebuild` splits a site's full rebuild into chunks of pages (`CHUNK_PAGES`), one job
each, so that every worker takes a share; the chunk that completes the set enqueues
`finish_rebuild`, which swaps the new build in. Chunks enter the queue a few at a time — one
per live worker and one more (`queue_window`); each finished chunk lets the next in — so a
page published during a rebuild of a million pages waits behind a chunk or two, not all of
them, on every engine (the queue is first in, first out).

The text of attachments for the 保密审查 scan is extracted by the job in `extraction.py`.
"""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django_tasks import default_task_backend, task
from wagtail.models import Page

from gongkai.core import clock, metrics
from gongkai.core.models import live_workers

from . import mounts, publish
from .models.publishjobs import PublishJob, RebuildChunk, RebuildJob
from .publish import publish_page

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


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
        with metrics.PUBLISH_SECONDS.time():
            publish_page(job.page_id, **job.params)
    except Exception as exc:  # recorded on the job; the previous files stay in place
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts < MAX_ATTEMPTS and default_task_backend.supports_defer:
            PublishJob.objects.filter(pk=job.pk).update(error=reason)
            delay = timedelta(seconds=settings.PUBLISH_RETRY_SECONDS * 2 ** (job.attempts - 1))  # 30 s, 60 s
            run_publish_job.using(run_after=clock.now() + delay).enqueue(job.pk)
            return "retry"
        log.exception("static publishing of page %s failed (job %s)", job.page_id, job.pk)
        PublishJob.objects.filter(pk=job.pk).update(status=PublishJob.Status.FAILED, error=reason,
                                                    finished_at=clock.now())
        return "failed"
    PublishJob.objects.filter(pk=job.pk).update(status=PublishJob.Status.DONE, error="", finished_at=clock.now())
    return "done"


CHUNK_PAGES = 200


def start_rebuild(site, *, user=None, chunk_pages: int = CHUNK_PAGES) -> RebuildJob:
    """Record a rebuild of the site and enqueue its chunks once the transaction commits."""
    ids = list(publish.live_pages(site).values_list("pk", flat=True))
    chunks = [ids[i:i + chunk_pages] for i in range(0, len(ids), chunk_pages)] or [[]]
    build = publish.new_build_dir(site)
    with transaction.atomic():
        job = RebuildJob.objects.create(site=site, hostname=mounts.public_address(site.hostname, site.port), build_dir=str(build), pages_total=len(ids),
                                        chunks_total=len(chunks), requested_by=user if getattr(user, "pk", None) else None)
        RebuildChunk.objects.bulk_create([RebuildChunk(job=job, index=i, page_ids=c) for i, c in enumerate(chunks)])
        transaction.on_commit(_enqueue_chunks)
    return job


def queue_window() -> int:
    """How many chunks of a rebuild may be in the queue at once: one for each live worker and one waiting."""
    return max(2, live_workers() + 1)


CHUNK_LOST_AFTER = timedelta(minutes=10)  # a chunk renders in seconds; one queued this long ago was lost


def resume_rebuilds() -> int:
    """Keep the running rebuilds moving; every worker calls it with its heartbeat (core.schedule.BEAT_DUTIES).

    A chunk queued long ago and still not done lost its job (a broker restarted, a queue
    was purged): it is queued again — running a chunk twice is harmless. Then the window
    is topped up. Returns how many chunks were queued again.
    """
    now = clock.now()
    lost = RebuildChunk.objects.filter(job__status=RebuildJob.Status.RUNNING, done=False,
                                       queued_at__lt=now - CHUNK_LOST_AFTER)
    again = 0
    for pk in lost.values_list("pk", flat=True):
        if RebuildChunk.objects.filter(pk=pk, queued_at__lt=now - CHUNK_LOST_AFTER).update(queued_at=now):
            rebuild_chunk.enqueue(pk)
            again += 1
    _enqueue_chunks()
    return again


def _enqueue_chunks() -> None:
    """Put the next chunks of the running rebuilds (oldest first) in the queue, up to the window.

    The window counts every running rebuild, so rebuilding a thousand sites at once still
    keeps only a few chunks ahead of a publication. Each chunk is enqueued once, whoever asks.
    """
    running = RebuildChunk.objects.filter(job__status=RebuildJob.Status.RUNNING, done=False)
    free = queue_window() - running.filter(queued_at__isnull=False).count()
    if free <= 0:
        return
    for pk in running.filter(queued_at__isnull=True).order_by("job_id", "index").values_list("pk", flat=True)[:free]:
        if RebuildChunk.objects.filter(pk=pk, queued_at__isnull=True).update(queued_at=clock.now()):
            rebuild_chunk.enqueue(pk)


def _rebuild_failed(job: RebuildJob, exc: BaseException) -> None:
    log.exception("rebuild %s of %s failed", job.pk, job.hostname)
    RebuildJob.objects.filter(pk=job.pk, status=RebuildJob.Status.RUNNING).update(
        status=RebuildJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=clock.now())
    if publish.site_dir(job.site).resolve() != Path(job.build_dir).resolve():  # never the copy being served
        shutil.rmtree(job.build_dir, ignore_errors=True)  # the site keeps its previous copy


@task()
def rebuild_chunk(chunk_id: int) -> str:
    """Render one chunk's pages into the rebuild's directory; the last chunk enqueues the finish.

    Whatever became of the chunk, its place in the queue window goes to the next one.
    """
    try:
        return _render_chunk(chunk_id)
    finally:
        _enqueue_chunks()


def _render_chunk(chunk_id: int) -> str:
    chunk = RebuildChunk.objects.select_related("job", "job__site").filter(pk=chunk_id).first()
    if chunk is None or chunk.done or chunk.job.status != RebuildJob.Status.RUNNING:
        return "skipped"
    job = chunk.job
    try:
        pages = Page.objects.filter(pk__in=chunk.page_ids).live().order_by("path").specific()
        rendered = publish.render_into(Path(job.build_dir), publish.Renderer(job.site), pages)
        metrics.REBUILD_PAGES.inc(rendered)
    except Exception as exc:  # recorded on the rebuild; the site keeps its previous copy
        _rebuild_failed(job, exc)
        return "failed"
    with transaction.atomic():
        if not RebuildChunk.objects.filter(pk=chunk.pk, done=False).update(done=True, finished_at=clock.now()):
            return "duplicate"  # another worker finished this chunk first
        RebuildJob.objects.filter(pk=job.pk).update(chunks_done=F("chunks_done") + 1,
                                                    pages_done=F("pages_done") + rendered)
        chunks_done = RebuildJob.objects.filter(pk=job.pk).values_list("chunks_done", flat=True).get()
    if chunks_done == job.chunks_total:
        finish_rebuild.enqueue(job.pk)
    return "done"


@task()
def finish_rebuild(job_id: int) -> str:
    """Swap the finished build in; pages published while the chunks ran are written again on top."""
    job = RebuildJob.objects.select_related("site").filter(pk=job_id).first()
    if job is None or job.status != RebuildJob.Status.RUNNING:
        return "skipped"
    try:
        publish.complete_build(job.site, Path(job.build_dir))
        for page_id in publish.live_pages(job.site).filter(last_published_at__gte=job.created_at) \
                .values_list("pk", flat=True):
            publish_page(page_id)
    except Exception as exc:
        _rebuild_failed(job, exc)
        return "failed"
    RebuildJob.objects.filter(pk=job.pk, status=RebuildJob.Status.RUNNING).update(
        status=RebuildJob.Status.DONE, finished_at=clock.now())
    return "done"

