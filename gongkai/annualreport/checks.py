"""Checks before signing: rules R1–R9, continuity with last year, and the platform's own checks.

Continuity (R7, R8) compares with last year's report, taken, in this order, from the
revision signed in this system, from last year's published report file uploaded and
parsed with the report-format parser, or from this system's data for last year. When none
exists there is a warning the signer must explain.

Errors block signing. Every warning needs a written reason; a reason counts only for the
exact warning text it was written for, so a reason cannot silently cover different figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gongkai.applications.models import Application
from gongkai.law.reportformat import (AMBIGUOUS, BLANK, MISSING, VALUE, Cell, Finding, ParsedReport,
                                      ReportDocument, check)
from gongkai.law.reportformat.rules import ERROR, WARNING

from .compute import compute_report
from .figures import figure_label
from .models import PreviousYearReport, ReportRevision

PLACEHOLDER = "【请填写"
PROSE_NAMES = {"一": "一、总体情况", "五": "五、存在的主要问题及改进情况", "六": "六、其他需要报告的事项"}


def finding_id(f: Finding) -> str:
    """A stable identity for one rule instance ("R1_column_balance:column=total")."""
    if f.where:
        return f"{f.rule}:" + ",".join(f"{k}={v}" for k, v in sorted(f.where.items()))
    return f"{f.rule}:" + "+".join(f.cells[:2])


@dataclass
class PreviousYear:
    """Last year's report as used for continuity: where it came from, and its content."""

    source: str  # signed / upload / system / none
    label: str
    report: ReportDocument | ParsedReport | None = None
    sections: dict[str, str] = field(default_factory=dict)


def document_from_snapshot(snapshot: dict) -> ReportDocument:
    return ReportDocument(format=snapshot["format"], year=snapshot.get("year"), agency=snapshot.get("agency"),
                          title=snapshot.get("title"), cells=dict(snapshot.get("cells") or {}),
                          sections=dict(snapshot.get("sections") or {}))


def parsed_from_json(data: dict) -> ParsedReport:
    """A ParsedReport rebuilt from its JSON shape (blank / ambiguous / missing states kept)."""
    cells = {k: Cell(VALUE, v) for k, v in (data.get("cells") or {}).items()}
    for state, name in ((BLANK, "blank_cells"), (AMBIGUOUS, "ambiguous_cells"), (MISSING, "missing_cells")):
        for k in data.get(name) or ():
            cells[k] = Cell(state)
    return ParsedReport(format=data.get("format") or "unsupported", year=data.get("year"),
                        agency=data.get("agency"), title=data.get("title"), cells=cells,
                        sections=dict(data.get("sections") or {}))


def previous_year(agency, year: int) -> PreviousYear:
    """Last year's report of the agency, from the best source available."""
    prev = year - 1
    rev = (ReportRevision.objects.filter(agency=agency, report__year=prev).order_by("-number").first())
    if rev is not None:
        doc = document_from_snapshot(rev.snapshot)
        return PreviousYear("signed", f"本系统已签发的{prev}年度报告（第{rev.number}版）", doc, dict(doc.sections))
    upload = PreviousYearReport.objects.filter(agency=agency, year=prev).first()
    if upload is not None:
        parsed = parsed_from_json(upload.parsed)
        return PreviousYear("upload", f"上传的{prev}年度报告文件“{upload.file_name}”", parsed, dict(parsed.sections))
    if prev >= 2019 and Application.objects.filter(agency=agency, received_on__lte=date(prev, 12, 31)).exists():
        doc = compute_report(agency, prev)
        return PreviousYear("system", f"本系统中的{prev}年度数据（该年度报告未在本系统签发）", doc, dict(doc.sections))
    return PreviousYear("none", f"无{prev}年度报告")


def platform_findings(doc: ReportDocument, missing_figures: list[str], previous: PreviousYear) -> list[Finding]:
    """Checks of the platform beyond R1–R9: blank figures, empty or unfinished prose, no last year."""
    out = []
    for key in missing_figures:
        out.append(Finding("F1_figure_missing", ERROR, (key,),
                           f"表二“{figure_label(key)}”尚未填报：请在“第二部分数据”中填报并注明来源；本年度没有的请填 0。",
                           {"cell": key}))
    for name, title in PROSE_NAMES.items():
        text = (doc.sections.get(name) or "").strip()
        if not text:
            out.append(Finding("P1_prose_empty", ERROR, (), f"“{title}”还没有内容。", {"section": name}))
        elif PLACEHOLDER in text:
            out.append(Finding("P2_prose_placeholder", ERROR, (),
                               f"“{title}”中还有待填写的内容（{PLACEHOLDER}…】），请补充或删除。", {"section": name}))
    if previous.source == "none" and doc.year and doc.year > 2019:
        out.append(Finding("C1_previous_missing", WARNING, (),
                           f"本系统没有{doc.year - 1}年度报告，也没有上传该年度已公开的报告文件，无法核对与上年的衔接"
                           f"（R7 上年结转、R8 现行有效件数）。请上传上年度报告文件，或说明原因。",
                           {"year": doc.year - 1}))
    return out


def findings_for(doc: ReportDocument, missing_figures: list[str], previous: PreviousYear) -> list[Finding]:
    """Every finding of a report: R1–R9 (R7/R8 against last year) and the platform's checks."""
    found = check(doc, previous.report if previous.report is not None else None)
    return found + platform_findings(doc, missing_figures, previous)


@dataclass
class CheckedFinding:
    """A finding with its id and, for a warning, the reason written for it (if any)."""

    id: str
    finding: Finding
    explanation: object | None = None  # WarningExplanation for exactly this text
    outdated: object | None = None  # a reason written for an earlier text of this warning

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def is_error(self) -> bool:
        return self.finding.severity == ERROR

    @property
    def needs_reason(self) -> bool:
        return self.finding.severity == WARNING and self.explanation is None

    def to_json_dict(self) -> dict:
        out = {"id": self.id, **self.finding.to_json_dict()}
        e = self.explanation
        if e is not None and hasattr(e, "explained_at"):  # a WarningExplanation row
            out.update(reason=e.reason, reason_by=e.explained_by.get_username() if e.explained_by_id else "",
                       reason_at=e.explained_at.isoformat())
        elif e is not None:  # a reason read back from a signed snapshot
            out.update(reason=e.reason, reason_by=e.by, reason_at=e.at)
        return out


def attach_explanations(report, findings: list[Finding]) -> list[CheckedFinding]:
    """Pair each warning with the newest reason written for exactly its text."""
    latest: dict[str, list] = {}
    if report is not None and report.pk:
        for e in sorted(report.explanations.all(), key=lambda e: -e.pk):  # prefetched by the roll-up
            latest.setdefault(e.finding_id, []).append(e)
    out = []
    for f in findings:
        fid = finding_id(f)
        exact = outdated = None
        if f.severity == WARNING:
            for e in latest.get(fid, []):
                if e.message == f.message:
                    exact = e
                    break
            if exact is None and latest.get(fid):
                outdated = latest[fid][0]
        out.append(CheckedFinding(fid, f, exact, outdated))
    out.sort(key=lambda c: (0 if c.is_error else 1, c.id))
    return out


__all__ = ["ERROR", "WARNING", "finding_id", "previous_year", "findings_for", "attach_explanations",
           "PreviousYear", "CheckedFinding", "document_from_snapshot", "parsed_from_json"]
