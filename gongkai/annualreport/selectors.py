"""Reads: a report's current state (live or signed), deadlines, the supervising office's overview."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from gongkai.agencies.access import has_role, member_agency_ids, supervised_agency_ids
from gongkai.agencies.models import Agency
from gongkai.agencies.roles import Role
from gongkai.applications.models import Application
from gongkai.core import clock
from gongkai.law.annualreport import report_deadline
from gongkai.law.reportformat import Finding, ReportDocument, spec

from . import checks, compute
from .drilldown import drilldown
from .models import AnnualReport, PreviousYearReport, ReportRevision, ReportStatus

EDITOR_ROLES = (Role.OFFICE_HEAD, Role.APPLICATION_OFFICER, Role.EDITOR)


def can_edit(user, agency) -> bool:
    return has_role(user, agency, *EDITOR_ROLES)


def is_office_head(user, agency) -> bool:
    """公开工作机构负责人 of this agency — a membership, not a global administrator."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.memberships.filter(agency=agency, role=Role.OFFICE_HEAD).exists())


def deadline(agency, year: int) -> date:
    """Publication deadline of the agency's report on ``year`` (《条例》第四十九条, `gongkai.law.annualreport`).

    A stricter local rule comes from the setting GONGKAI_ANNUAL_REPORT_DEADLINES = {"department": (1, 31), ...}.
    """
    local_rules = getattr(settings, "GONGKAI_ANNUAL_REPORT_DEADLINES", None)
    return report_deadline(year, agency.kind, local_rules).due_on


@dataclass
class ReportState:
    """What a report page shows: the document (live or signed), findings, last year's source."""

    agency: Agency
    year: int
    report: AnnualReport | None
    doc: ReportDocument
    findings: list[checks.CheckedFinding]
    previous: checks.PreviousYear | None
    revision: ReportRevision | None = None  # the signed revision shown, when not a draft
    computation: compute.Computation | None = None
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def frozen(self) -> bool:
        return self.report is not None and self.report.status != ReportStatus.DRAFT

    @property
    def errors(self) -> list[checks.CheckedFinding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[checks.CheckedFinding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def unexplained(self) -> list[checks.CheckedFinding]:
        return [f for f in self.findings if f.needs_reason]

    @property
    def format_name(self) -> str:
        return spec.FORMAT_NAMES[self.doc.format]


def live_state(agency, year: int, report: AnnualReport | None = None) -> ReportState:
    """The report computed now from the records (what would be signed)."""
    if report is None:
        report = AnnualReport.objects.filter(agency=agency, year=year).first()
    comp = compute.compute(agency, year)
    doc = comp.document(agency_name=agency.name, sections=report.sections if report else {})
    previous = checks.previous_year(agency, year)
    found = checks.findings_for(doc, comp.missing_figures, previous)
    return ReportState(agency, year, report, doc, checks.attach_explanations(report, found), previous,
                       computation=comp, sources=comp.sources)


def _findings_from_snapshot(snapshot: dict) -> list[checks.CheckedFinding]:
    out = []
    for d in snapshot.get("findings") or []:
        where = {k: v for k, v in d.items()
                 if k not in ("id", "rule", "severity", "cells", "message", "reason", "reason_by", "reason_at")}
        f = Finding(d["rule"], d["severity"], tuple(d.get("cells") or ()), d["message"], where)
        expl = None
        if d.get("reason"):
            expl = SnapshotReason(d["reason"], d.get("reason_by", ""), d.get("reason_at", ""))
        out.append(checks.CheckedFinding(d.get("id") or checks.finding_id(f), f, expl))
    return out


@dataclass(frozen=True)
class SnapshotReason:
    reason: str
    by: str
    at: str


def signed_state(report: AnnualReport, revision: ReportRevision | None = None) -> ReportState:
    revision = revision or report.revisions.order_by("-number").first()
    snap = revision.snapshot
    return ReportState(report.agency, report.year, report, checks.document_from_snapshot(snap),
                       _findings_from_snapshot(snap), None, revision=revision,
                       sources=dict(snap.get("sources") or {}))


def report_state(agency, year: int) -> ReportState:
    """The signed revision when the report is signed or published, else the live computation."""
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    if report is not None and report.status != ReportStatus.DRAFT:
        return signed_state(report)
    return live_state(agency, year, report)


def published_revision(agency, year: int) -> ReportRevision | None:
    return (ReportRevision.objects.filter(agency=agency, report__year=year, published_at__isnull=False)
            .select_related("report", "agency").order_by("-number").first())


def reports_for(user, *, year: int | None = None):
    qs = AnnualReport.objects.visible_to(user).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    return qs


# -- supervising office ---------------------------------------------------------------------

def supervised_agencies(user) -> list[Agency]:
    """Agencies below the user's 政务公开办 agencies in the supervision tree."""
    own = member_agency_ids(user, roles={Role.SUPERVISOR})
    return list(Agency.objects.filter(pk__in=supervised_agency_ids(own)).order_by("name"))


@dataclass
class AgencyRow:
    agency: Agency
    report: AnnualReport | None
    state: str  # 未开始 / 草稿 / 已签发 / 已公开
    deadline: date
    late: bool
    published_on: date | None
    errors: list
    warnings: list
    cells: dict

    @property
    def new_total(self) -> int:
        return self.cells.get("apply.new.total", 0)


STATE_LABELS = {None: "未开始", ReportStatus.DRAFT: "草稿", ReportStatus.SIGNED: "已签发",
                ReportStatus.PUBLISHED: "已公开"}


def _previous_many(agencies, year: int) -> dict[int, checks.PreviousYear]:
    """Last year's report for many agencies, in a few queries (signed, uploaded, else computed)."""
    prev = year - 1
    out: dict[int, checks.PreviousYear] = {}
    ids = [a.pk for a in agencies]
    for rev in (ReportRevision.objects.filter(agency_id__in=ids, report__year=prev).order_by("agency_id", "-number")):
        if rev.agency_id not in out:
            doc = checks.document_from_snapshot(rev.snapshot)
            out[rev.agency_id] = checks.PreviousYear("signed", f"已签发的{prev}年度报告", doc, dict(doc.sections))
    for up in PreviousYearReport.objects.filter(agency_id__in=ids, year=prev):
        if up.agency_id not in out:
            parsed = checks.parsed_from_json(up.parsed)
            out[up.agency_id] = checks.PreviousYear("upload", f"上传的{prev}年度报告", parsed, dict(parsed.sections))
    rest = [i for i in ids if i not in out]
    if rest and prev >= 2019:
        with_data = set(Application.objects.filter(agency_id__in=rest, received_on__lte=date(prev, 12, 31))
                        .order_by().values_list("agency_id", flat=True).distinct())
        if with_data:
            names = {a.pk: a.name for a in agencies}
            for i, comp in compute.compute_many(with_data, prev).items():
                out[i] = checks.PreviousYear("system", f"本系统中的{prev}年度数据", comp.document(agency_name=names[i]))
    for i in ids:
        out.setdefault(i, checks.PreviousYear("none", f"无{prev}年度报告"))
    return out


def supervision_overview(user, year: int, *, on: date | None = None) -> tuple[list[AgencyRow], dict]:
    """Each supervised agency's report state, findings and cells, and the cells summed.

    Signed / published reports contribute their signed cells; drafts and agencies that have
    not started contribute the cells computed now (their state says so).
    """
    on = on or clock.today()
    agencies = supervised_agencies(user)
    ids = [a.pk for a in agencies]
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(agency_id__in=ids, year=year)
               .select_related("agency").prefetch_related("explanations__explained_by")}
    latest: dict[int, ReportRevision] = {}
    for rev in ReportRevision.objects.filter(agency_id__in=ids, report__year=year).order_by("agency_id", "-number"):
        latest.setdefault(rev.agency_id, rev)
    published_dates = {
        agency_id: (timezone.localdate(first), timezone.localdate(last))
        for agency_id, first, last in ReportRevision.objects.filter(
            agency_id__in=ids, report__year=year, published_at__isnull=False)
        .order_by().values("agency_id").annotate(first=Min("published_at"), last=Max("published_at"))
        .values_list("agency_id", "first", "last")
    }
    live_ids = [i for i in ids if i not in reports or reports[i].status == ReportStatus.DRAFT]
    computed = compute.compute_many(live_ids, year) if live_ids else {}
    previous = _previous_many([a for a in agencies if a.pk in computed], year) if computed else {}
    rows = []
    fmt = spec.get_format(spec.format_for_year(year))
    totals = {k: 0 for k in fmt.all_keys}
    for agency in agencies:
        report = reports.get(agency.pk)
        due = deadline(agency, year)
        if agency.pk in computed:
            comp = computed[agency.pk]
            doc = comp.document(agency_name=agency.name, sections=report.sections if report else {})
            found = checks.attach_explanations(report, checks.findings_for(doc, comp.missing_figures,
                                                                           previous[agency.pk]))
            cells = comp.cells
        else:
            state = signed_state(report, latest[agency.pk])
            found, cells = state.findings, state.doc.cells
        first_on, last_on = published_dates.get(agency.pk, (None, None))
        late = (first_on > due) if first_on else on > due
        status = report.status if report else None
        rows.append(AgencyRow(agency, report, STATE_LABELS[status], due, late, last_on,
                              [f for f in found if f.is_error], [f for f in found if not f.is_error], cells))
        for k, v in cells.items():
            if k in totals and isinstance(v, (int, float)):
                totals[k] += v
    return rows, totals


def build_snapshot(state: ReportState, *, signed_at) -> dict:
    """Everything a signed report is: cells, prose, findings with reasons, drill-down refs."""
    agency, doc = state.agency, state.doc
    cells, records = drilldown(agency, state.year)
    return {
        "format": doc.format, "year": state.year, "agency": agency.name, "credit_code": agency.credit_code,
        "title": doc.display_title(), "cells": dict(doc.cells), "sections": dict(doc.sections),
        "sources": dict(state.sources),
        "findings": [f.to_json_dict() for f in state.findings],
        "previous": {"source": state.previous.source, "label": state.previous.label} if state.previous else None,
        "drilldown": cells, "records": records,
        "computed_at": signed_at.isoformat(),
    }


@dataclass
class ReportDue:
    """Where one agency's report on one year stands against its publication deadline."""

    agency: Agency
    year: int
    report: AnnualReport | None
    state: str
    due: date
    days_left: int  # negative: days late

    @property
    def late(self) -> bool:
        return self.days_left < 0


SEASON_DAYS = 62  # the coming report appears on the start page from about 1 December


def reports_due(user, *, today: date | None = None) -> list[ReportDue]:
    """Reports not yet public that the user writes or heads (last year's if late, this year's in season),
    and, for a 政务公开办, every supervised agency's report that is late."""
    today = today or clock.today()
    own = [a for a in Agency.objects.filter(pk__in=member_agency_ids(user, roles=set(EDITOR_ROLES))).order_by("name")]
    found, seen = [], set()
    for agency, years in [(a, (today.year - 1, today.year)) for a in own] + \
                         [(a, (today.year - 1,)) for a in supervised_agencies(user)]:
        for year in years:
            if (agency.pk, year) in seen:
                continue
            seen.add((agency.pk, year))
            due = deadline(agency, year)
            days_left = (due - today).days
            report = AnnualReport.objects.filter(agency=agency, year=year).first()
            status = report.status if report else None
            if status == ReportStatus.PUBLISHED or (days_left >= 0 and (agency not in own or days_left > SEASON_DAYS)):
                continue
            found.append(ReportDue(agency, year, report, STATE_LABELS[status], due, days_left))
    return found
