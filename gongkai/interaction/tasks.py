"""Background jobs of 互动交流: a ticket file uploaded in the admin is checked and imported by a worker.

`submit_ticket_import` stores the file (encrypted) as a `TicketImportJob` and enqueues it;
`run_ticket_import` runs the same action as `gongkai tickets import` (all rows or none,
known ticket numbers skipped) and keeps its report. Run twice — a worker that died
mid-import — it finds the tickets already imported and says so: nothing is imported twice.
"""

from __future__ import annotations

import base64
import logging

from django_tasks import task

from gongkai.core import clock
from gongkai.core.domain import DomainError

from . import actions
from .models import TicketImportJob

log = logging.getLogger(__name__)


def submit_ticket_import(agency, *, actor, data: bytes, filename: str, dry_run: bool) -> TicketImportJob:
    job = TicketImportJob.objects.create(agency=agency, filename=filename[:255], dry_run=dry_run,
                                         data=base64.b64encode(data).decode(), requested_by=actor)
    run_ticket_import.enqueue(job.pk)  # the job row is committed (no request transaction): a worker may take it now
    return job


@task()
def run_ticket_import(job_id: int) -> str:
    job = TicketImportJob.objects.select_related("agency", "requested_by").filter(pk=job_id).first()
    if job is None or not job.pending:
        return "skipped"
    TicketImportJob.objects.filter(pk=job.pk).update(status=TicketImportJob.Status.RUNNING)
    try:
        report = actions.tickets_import(job.agency, actor=job.requested_by, data=base64.b64decode(job.data),
                                        filename=job.filename, dry_run=job.dry_run)
    except Exception as exc:  # noqa: BLE001 — a refusal or a fault: shown on the job, nothing imported
        log.exception("ticket import job %s failed", job.pk)
        reason = str(exc) if isinstance(exc, DomainError) else \
            f"处理时出现内部错误（{type(exc).__name__}），请联系系统管理员"
        TicketImportJob.objects.filter(pk=job.pk).update(
            status=TicketImportJob.Status.FAILED, data="", lines=[f"导入失败：{reason}。未导入任何工单。"],
            finished_at=clock.now())
        return "failed"
    TicketImportJob.objects.filter(pk=job.pk).update(
        status=TicketImportJob.Status.DONE, data="", ok=report.ok, imported=report.imported, lines=report.lines(),
        finished_at=clock.now())
    return "done"
