"""Opening the year's report as a draft, and editing its prose (sections 一, 五, 六)."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock
from gongkai.law.reportformat import spec

from .. import checks, compute, prose
from ..models import AnnualReport
from ._common import _check_editor, _check_year, _require_draft

PROSE_FIELDS = {"section1": "一", "section5": "五", "section6": "六"}
MAX_PROSE = 20000


@action("annualreport.start")
def report_start(agency, year, *, actor) -> AnnualReport:
    """Open the year's report as a draft, its prose pre-filled with the year's facts."""
    _check_editor(actor, agency)
    year = _check_year(year)
    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        raise DomainError(f"{agency.name}{year}年度报告已经建立，请直接打开。", field="year")
    comp = compute.compute(agency, year)
    previous = checks.previous_year(agency, year)
    text = prose.prefill(prose.gather(agency, year, comp, previous))
    report = AnnualReport.objects.create(agency=agency, year=year, section1=text["一"], section5=text["五"],
                                         section6=text["六"],
                                         updated_by=actor if getattr(actor, "is_authenticated", False) else None)
    record("annualreport.start", actor=actor, agency=agency, subject=report,
           new={"year": year, "format": spec.format_for_year(year), "previous": previous.source})
    return report


@action("annualreport.prose_update")
def report_update_prose(report: AnnualReport, *, actor, section1: str, section5: str, section6: str) -> AnnualReport:
    _check_editor(actor, report.agency)
    report = lock(report)
    _require_draft(report, "修改正文")
    values = {"section1": section1, "section5": section5, "section6": section6}
    old, new = {}, {}
    for name, value in values.items():
        value = (value or "").replace("\r\n", "\n").strip()
        if len(value) > MAX_PROSE:
            raise DomainError(f"第{PROSE_FIELDS[name]}部分过长（{len(value)} 字），不能超过 {MAX_PROSE} 字。", field=name)
        if value != getattr(report, name):
            old[name], new[name] = getattr(report, name), value
            setattr(report, name, value)
    if not new:
        raise DomainError("正文没有修改。")
    report.updated_by = actor
    report.save(update_fields=[*new, "updated_by", "updated_at"])
    record("annualreport.prose_update", actor=actor, agency=report.agency, subject=report, old=old, new=new)
    return report
