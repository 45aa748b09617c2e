"""Reasons for the warnings of the checks (an error cannot be explained away)."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock

from .. import selectors
from ..models import AnnualReport, WarningExplanation
from ._common import MIN_REASON, _check_editor, _require_draft


@action("annualreport.warning_explain")
def warning_explain(report: AnnualReport, finding_id: str, reason: str, *, actor) -> WarningExplanation:
    """Write the reason for one current warning (kept; a newer reason supersedes, never erases)."""
    _check_editor(actor, report.agency)
    report = lock(report)
    _require_draft(report, "说明警告")
    reason = (reason or "").strip()
    state = selectors.live_state(report.agency, report.year, report)
    target = next((f for f in state.findings if f.id == finding_id), None)
    if target is None:
        raise DomainError("该提示已不存在（数据可能已变化），请刷新页面后查看当前的提示。", field="finding")
    if target.is_error:
        raise DomainError("错误不能以说明代替，必须改正后才能签发。", field="finding")
    if len(reason) < MIN_REASON:
        raise DomainError(f"请写明理由（至少 {MIN_REASON} 个字），说明为什么这一警告不影响报告的准确性。", field="reason")
    if len(reason) > 2000:
        raise DomainError("理由不超过 2000 字。", field="reason")
    row = WarningExplanation.objects.create(agency=report.agency, report=report, finding_id=finding_id,
                                            rule=target.finding.rule, message=target.finding.message,
                                            reason=reason, explained_by=actor)
    record("annualreport.warning_explain", actor=actor, agency=report.agency, subject=report,
           new={"finding": finding_id, "message": target.finding.message, "reason": reason})
    return row
