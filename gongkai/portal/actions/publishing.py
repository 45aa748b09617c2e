"""Static publishing jobs: staff retry a failed one (`gongkai.core.domain.action`, audited)."""

from __future__ import annotations

from gongkai.agencies.access import changeable_agency_ids
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models.publishjobs import PublishJob
from ..tasks import enqueue_again


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
