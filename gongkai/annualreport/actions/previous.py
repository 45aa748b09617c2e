"""Last year's published report file, parsed, for continuity checks and section 五."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core.domain import DomainError, action
from gongkai.law.reportformat import ReportError, parse_bytes, report_json

from ..models import FIRST_YEAR, PreviousYearReport
from ._common import _check_editor

MAX_PREVIOUS_BYTES = 50 * 1024 * 1024


@action("annualreport.previous_upload")
def previous_upload(agency, year, data: bytes, filename: str, *, actor) -> PreviousYearReport:
    """Store last year's published report file, parsed, for continuity and section 五."""
    _check_editor(actor, agency)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("请填写该报告的年度，如 2024。", field="year") from None
    if year < FIRST_YEAR or year >= clock.today().year:
        raise DomainError(f"上年度报告的年度应在 {FIRST_YEAR} 至 {clock.today().year - 1} 之间。", field="year")
    if not data:
        raise DomainError("上传的文件是空的。", field="file")
    if len(data) > MAX_PREVIOUS_BYTES:
        raise DomainError("文件过大，年度报告文件不能超过 50 MB。", field="file")
    try:
        parsed = parse_bytes(data, name=filename or "report.pdf")
    except ReportError as exc:
        raise DomainError(f"无法读取该报告文件：{exc}", field="file") from None
    if not parsed.supported:
        raise DomainError(f"该文件不是可识别的年度报告表格格式：{parsed.reason or '未找到第三部分表格'}", field="file")
    if parsed.year and parsed.year != year:
        raise DomainError(f"文件中的报告年度是 {parsed.year} 年，与填写的 {year} 年不一致。", field="year")
    payload = report_json(parsed)
    digest = hashlib.sha256(data).hexdigest()
    row = PreviousYearReport.objects.select_for_update().filter(agency=agency, year=year).first()
    old = {"file_name": row.file_name, "sha256": row.sha256} if row else None
    if row is None:
        row = PreviousYearReport(agency=agency, year=year)
    row.file.save(f"{agency.credit_code}-{year}{_suffix(filename)}", ContentFile(data), save=False)
    row.file_name, row.sha256, row.format, row.parsed, row.uploaded_by = (
        (filename or "report")[:200], digest, parsed.format, payload, actor)
    row.save()
    record("annualreport.previous_upload", actor=actor, agency=agency, subject=row, old=old, new={
        "year": year, "file_name": row.file_name, "sha256": digest, "format": parsed.format,
        "cells": len(payload["cells"])})
    return row


def _suffix(name: str) -> str:
    name = (name or "").lower()
    for s in (".pdf", ".docx", ".html", ".htm", ".txt"):
        if name.endswith(s):
            return s
    return ".bin"
