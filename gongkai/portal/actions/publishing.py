"""Static publishing jobs: staff retry a failed one, administrators rebuild a site (`gongkai.core.domain.action`, audited)."""

from __future__ import annotations

from gongkai.agencies.access import changeable_agency_ids
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models.publishjobs import PublishJob, RebuildJob
from ..tasks import enqueue_again, start_rebuild


@action("portal.publish_retry")
def publish_job_retry(job: PublishJob, *, actor) -> PublishJob:
    job = lock(job)
    if job.agency_id not in changeable_agency_ids(actor):
        raise DomainError("只能重试本机关的发布任务。")
    require_status(job, (PublishJob.Status.FAILED,), "重试")
    old = {"status": job.status, "attempts": job.attempts, "error": job.error}
    job.status, job.attempts, job.error, job.finished_at = PublishJob.Status.QUEUED, 0, "", None
    job.save(update_fields=["status", "attempts", "error", "finished_at"])
    record("portal.publish_retry", actor=actor, agency=job.agency, subject=job, old=old, new={"status": job.status})
    enqueue_again(job)
    return job


@action("portal.site_rebuild")
def site_rebuild(site, *, actor) -> RebuildJob:
    """An administrator rebuilds a whole site's static copy (chunks for the workers)."""
    job = start_rebuild(site, user=actor)
    record("portal.site_rebuild", actor=actor, subject=job,
           new={"site": site.hostname, "pages": job.pages_total, "chunks": job.chunks_total})
    return job
