"""Background jobs of 依申请公开: recomputing open cases after a holiday year changed; redacting release files.

A year loaded, changed or removed (`calendar_year_changed`, sent when its transaction
commits) records a `RecomputeJob` and enqueues `run_recompute`. The worker computes every
open case's clock with the calendar now in force, outside any transaction so that the
calendar page can show its progress, then writes what changed in one transaction through
the audited action. Run twice — a worker that died mid-job — the second run finds a done
job and does nothing; a job interrupted before its write is simply computed again (the
writes are one transaction: all or none).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from gongkai.core import clock
from gongkai.core.domain import DomainError

from . import actions
from .models import Disposition, RecomputeJob, RedactionJob
from .recompute import plan_recompute

log = logging.getLogger(__name__)


def submit_recompute(*, year: int, actor=None) -> RecomputeJob:
    """Record the job and hand it to the task engine once the current transaction (if any) commits."""
    job = RecomputeJob.objects.create(year=year, requested_by=actor if getattr(actor, "pk", None) else None)
    transaction.on_commit(lambda: run_recompute.enqueue(job.pk))
    return job


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        RecomputeJob.objects.filter(pk=job_id).update(cases_done=done, cases_total=total)
    return report


def run_recompute_now(job: RecomputeJob) -> RecomputeJob:
    """Run the job in this process (the command line waits for it); a queued copy then finds it done."""
    run_recompute.call(job.pk)
    job.refresh_from_db()
    return job


def _failed(model, job_id: int, exc: Exception, *, unchanged: str, known=(DomainError,)) -> str:
    """Mark the job failed with a Chinese reason: a refusal's own message, else an internal error."""
    reason = str(exc) if isinstance(exc, known) else \
        f"处理时出现内部错误（{type(exc).__name__}），请联系系统管理员；{unchanged}"
    model.objects.filter(pk=job_id).update(status=model.Status.FAILED, error=reason, finished_at=clock.now())
    return "failed"


@task()
def run_recompute(job_id: int) -> str:
    job = RecomputeJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or not job.pending:
        return "skipped"
    RecomputeJob.objects.filter(pk=job.pk).update(status=RecomputeJob.Status.RUNNING, started_at=clock.now(),
                                                  cases_done=0, error="")
    try:
        plan = plan_recompute(year=job.year, progress=_progress(job.pk))
        stats = actions.applications_recompute_after_calendar_change(year=job.year, actor=job.requested_by,
                                                                     plan=plan)
    except Exception as exc:  # noqa: BLE001 — recorded on the job (shown on the calendar page); nothing written
        log.exception("recompute job %s (year %s) failed", job.pk, job.year)
        return _failed(RecomputeJob, job.pk, exc, unchanged="各申请的答复期限未作更改")
    RecomputeJob.objects.filter(pk=job.pk).update(
        status=RecomputeJob.Status.DONE, stats=stats, due_changed=stats["due_changed"],
        cases_done=stats["open"], cases_total=stats["open"], finished_at=clock.now())
    return "done"


# --------------------------------------------------------------------------------------
# redaction of a release file (`actions.release_redact` queues it)


def add_release_file(application, *, actor, name: str, data: bytes, disposition: str, reason: str = "",
                     basis: str = ""):
    """Add a file to the release package (`actions.release_add`); a 公开 file is queued at once for its check."""
    with transaction.atomic():
        f = actions.release_add(application, actor=actor, name=name, data=data, disposition=disposition,
                                reason=reason, basis=basis)
        if f.disposition == Disposition.FULL:
            submit_redaction(f, actor=actor, marks=[])
    return f


def submit_redaction(release_file, *, actor, marks: list[dict]) -> RedactionJob:
    """Record the marks and the job (`actions.release_redact`), and hand the job to the task engine on commit."""
    job = actions.release_redact(release_file, actor=actor, marks=marks)
    transaction.on_commit(lambda: run_redaction.enqueue(job.pk))
    return job


def _redaction_progress(job_id: int):
    def report(done: int, total: int) -> None:
        RedactionJob.objects.filter(pk=job_id).update(pages_done=done, pages_total=total)
    return report


@task()
def run_redaction(job_id: int) -> str:
    """Redact one file with the engine, outside any transaction (the case page shows the pages done),
    then keep the PDF and the verdict through `actions.release_store_redaction`. A job already done
    or failed is skipped, so running it twice changes nothing."""
    from gongkai.core.redaction import RedactionInputError, prepare, redact

    from . import release

    job = RedactionJob.objects.select_related("release_file", "requested_by").filter(pk=job_id).first()
    if job is None or not job.pending:
        return "skipped"
    RedactionJob.objects.filter(pk=job.pk).update(status=RedactionJob.Status.RUNNING, started_at=clock.now(),
                                                  error="")
    f = job.release_file
    try:
        with f.original.open("rb") as fh:
            data = fh.read()
        result = redact(prepare(data, f.name), release.engine_marks(job.marks), progress=_redaction_progress(job.pk))
        verdict = result.verdict
        survivors = [f"第{s.page}页 {release.mask_text(s.text)}" for s in verdict.survivors]
        pages = result.pages or None
        actions.release_store_redaction(job, pdf=result.pdf, survivors=survivors,
                                        unverified_pages=sorted(int(p) for p in (verdict.unverified_pages or [])),
                                        pages=pages)
    except Exception as exc:  # noqa: BLE001 — recorded on the job (shown on the case page); the file is unchanged
        log.exception("redaction job %s failed", job.pk)
        return _failed(RedactionJob, job.pk, exc, unchanged="文件未作更改", known=(DomainError, RedactionInputError))
    RedactionJob.objects.filter(pk=job.pk).update(status=RedactionJob.Status.DONE, finished_at=clock.now())
    return "done"
