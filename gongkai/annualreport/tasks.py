"""Background job of the annual report: rendering its PDF (Chinese fonts: seconds, not milliseconds).

A staff download of the PDF asks `pdf_job` for the job of the report's current content: an
unchanged report (same hash of format, title, cells and prose) reuses the PDF already
rendered, a changed one gets a new job, which `render_pdf_job` (run by a worker) renders
from the document kept on the job. Run twice — a worker that died mid-render — a done job
is skipped and a running one is rendered again (the same bytes).
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django_tasks import task

from gongkai.core import clock
from gongkai.law.reportformat import ReportDocument

from . import outputs
from .checks import document_from_snapshot
from .models import PdfJob

log = logging.getLogger(__name__)

KEEP_PER_REPORT = 5
RENDERER_VERSION = 2  # raise when the PDF layout changes: every report is rendered again


def document_dict(doc: ReportDocument, *, draft: bool = False) -> dict:
    return {"format": doc.format, "year": doc.year, "agency": doc.agency, "title": doc.title,
            "cells": dict(doc.cells), "sections": {k: v for k, v in doc.sections.items() if v}, "draft": draft}


def content_key(doc: ReportDocument, *, draft: bool = False) -> str:
    payload = json.dumps({"v": RENDERER_VERSION, **document_dict(doc, draft=draft)}, ensure_ascii=False,
                         sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def pdf_job(report, doc: ReportDocument, *, draft: bool = False, actor=None, retry: bool = False) -> PdfJob:
    """The job that renders this content of the report: an existing one, or a new one handed to the task engine.

    A draft's PDF (not yet signed) is marked 草稿 · 未签发 on every page, so it is another job.
    A failed job is queued again only when asked (`retry`): the page shows the failure first.
    """
    key = content_key(doc, draft=draft)
    user = actor if getattr(actor, "pk", None) else None
    job = PdfJob.objects.filter(report=report, content_key=key).defer("data").first()
    if job is None:
        try:
            with transaction.atomic():
                job = PdfJob.objects.create(agency_id=report.agency_id, report=report, content_key=key,
                                            document=document_dict(doc, draft=draft), requested_by=user)
        except IntegrityError:  # another request created it at the same moment
            return PdfJob.objects.filter(report=report, content_key=key).defer("data").get()
    elif retry and job.status == PdfJob.Status.FAILED:
        PdfJob.objects.filter(pk=job.pk, status=PdfJob.Status.FAILED).update(
            status=PdfJob.Status.QUEUED, error="", finished_at=None, requested_by=user)
    else:
        return job
    transaction.on_commit(lambda: render_pdf_job.enqueue(job.pk))
    job.refresh_from_db(fields=["status", "error", "finished_at"])  # an engine that runs jobs at once is done
    return job


@task()
def render_pdf_job(job_id: int) -> str:
    job = PdfJob.objects.filter(pk=job_id).defer("data").first()
    if job is None or not job.pending:
        return "skipped"
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.RUNNING)
    try:
        data = outputs.pdf_bytes(document_from_snapshot(job.document), draft=bool(job.document.get("draft")))
    except Exception as exc:  # noqa: BLE001 — shown on the download page, with a way to try again
        log.exception("PDF job %s (report %s) failed", job.pk, job.report_id)
        PdfJob.objects.filter(pk=job.pk).update(
            status=PdfJob.Status.FAILED, finished_at=clock.now(),
            error=f"生成PDF时出现内部错误（{type(exc).__name__}），请稍后重试；仍失败请联系系统管理员")
        return "failed"
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.DONE, data=data, error="", finished_at=clock.now())
    # Keep the few latest renderings of the report (the draft and its signed revisions); free the older ones.
    keep = PdfJob.objects.filter(report_id=job.report_id).order_by("-created_at", "-id").values_list("pk", flat=True)
    PdfJob.objects.filter(report_id=job.report_id, status__in=[PdfJob.Status.DONE, PdfJob.Status.FAILED]).exclude(
        pk__in=list(keep[:KEEP_PER_REPORT])).delete()
    return "done"
