"""Signing the report (公开工作机构负责人) and reopening a signed report for a correction."""

from __future__ import annotations

from datetime import date

from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core.domain import DomainError, action, lock

from .. import selectors
from ..models import AnnualReport, ReportRevision, ReportStatus
from ._common import MIN_REASON, _check_head, _require_draft


@action("annualreport.sign")
def report_sign(report: AnnualReport, *, actor) -> ReportRevision:
    """Sign the report (公开工作机构负责人): freeze it as a new revision."""
    _check_head(actor, report.agency, "签发年度报告")
    report = lock(report)
    _require_draft(report, "再次签发")
    if clock.today() <= date(report.year, 12, 31):
        raise DomainError(f"{report.year}年度尚未结束，年度报告须在次年1月1日以后签发。")
    state = selectors.live_state(report.agency, report.year, report)
    if state.errors:
        raise DomainError(f"还有 {len(state.errors)} 个错误，不能签发。请先改正：",
                          items=[f.finding.message for f in state.errors])
    if state.unexplained:
        raise DomainError(f"还有 {len(state.unexplained)} 个警告没有写明理由，不能签发：",
                          items=[f.finding.message for f in state.unexplained])
    now = clock.now()
    number = report.revision + 1
    reason = report.correction_reason if number > 1 else ""
    if number > 1 and not reason:
        raise DomainError("更正后的版本必须写明更正原因。")
    revision = ReportRevision.objects.create(
        agency=report.agency, report=report, number=number, format=state.doc.format,
        snapshot=selectors.build_snapshot(state, signed_at=now), correction_reason=reason, signed_by=actor,
        signed_by_label=actor.get_full_name() or actor.get_username(), signed_at=now)
    old_status = report.status
    report.status, report.revision, report.correction_reason = ReportStatus.SIGNED, number, ""
    report.save(update_fields=["status", "revision", "correction_reason", "updated_at"])
    record("annualreport.sign", actor=actor, agency=report.agency, subject=report,
           old={"status": old_status, "revision": number - 1},
           new={"status": ReportStatus.SIGNED.value, "revision": number, "correction_reason": reason,
                "warnings_explained": [f.id for f in state.warnings]})
    return revision


@action("annualreport.reopen")
def report_reopen(report: AnnualReport, reason: str, *, actor) -> AnnualReport:
    """Reopen a signed report for a correction; what is published stays until the new version is."""
    _check_head(actor, report.agency, "更正已签发的年度报告")
    report = lock(report)
    if report.status == ReportStatus.DRAFT:
        raise DomainError("报告还是草稿，可以直接修改，不需要更正。")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DomainError(f"请写明更正原因（至少 {MIN_REASON} 个字），更正原因将随新版本一并公开。", field="reason")
    old_status = report.status
    report.status, report.correction_reason = ReportStatus.DRAFT, reason
    report.save(update_fields=["status", "correction_reason", "updated_at"])
    record("annualreport.reopen", actor=actor, agency=report.agency, subject=report,
           old={"status": old_status, "revision": report.revision},
           new={"status": ReportStatus.DRAFT.value, "correction_reason": reason})
    return report
