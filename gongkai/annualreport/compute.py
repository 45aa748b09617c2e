"""Compute every cell of an agency's annual report from its records, with aggregate queries.

Section 三 (applications; one application, one row — decisions.md §11), for the year
[1 Jan, 31 Dec]:

- 一 new: received in the year;
- 二 carried_over: received before the year and not decided before it;
- 三 result.*: decided in the year, under its outcome (a January decision on last year's
  application counts in the year it was decided); withdrawn counts under （六）3 (2021) or
  （六） (2019) — decisions.md §12;
- 四 carried_forward: received by 31 Dec and not decided by then (never dropped).

The column is the applicant kind *in force at the end of the year*: the current kind,
unless a change of kind was recorded after 31 Dec, in which case the kind before that
change. So a report computed later gives the same figures, and a change of kind moves
the case between columns visibly (see `drilldown.py`).

Section 四 (行政复议 / 行政诉讼 about the agency's replies): a case counts in the year it
was filed (under its result if concluded by 31 Dec, else 尚未审结), and again in the year it
is concluded when that is a later year (under its result).

Section 二: block A (规章 / 行政规范性文件) from the portal's policy documents; the other
blocks from figures staff enter with their source (`ActiveFigure`), which also override
block A when entered.

Everything here groups in the database (GROUP BY agency, kind, outcome); nothing loops
over applications in Python, so the roll-up of 1,000 agencies stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate

from gongkai.applications.models import Application, ApplicationEvent, EventKind, Litigation, Reconsideration
from gongkai.law.replies import APPLICANT_KINDS
from gongkai.law.reportformat import ReportDocument, spec
from gongkai.law.reportformat.totals import with_totals
from gongkai.portal.models.pages import PolicyDocumentPage

from .figures import cell_number
from .models import ActiveFigure, AnnualReport

KIND_CHANGED = EventKind.APPLICANT_KIND_CHANGED.value


def period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def outcome_row(outcome: str, fmt_id: str) -> str:
    """The table 三 row of an outcome in a format (the 2019 format has one （六） row)."""
    if fmt_id == spec.GOV2019 and outcome.startswith("result.other."):
        return "result.other"
    return outcome


def application_rows(received_on: date, decided_on: date | None, outcome: str, year: int,
                     fmt_id: str) -> tuple[str, ...]:
    """The table 三 rows one application counts in for a year (empty when outside it)."""
    start, end = period(year)
    if received_on > end or (decided_on is not None and decided_on < start):
        return ()
    first = "new" if received_on >= start else "carried_over"
    if decided_on is not None and decided_on <= end:
        return first, outcome_row(outcome, fmt_id)
    return first, "carried_forward"


def in_scope(qs, year: int):
    """Applications that count in a year's table 三 (received by 31 Dec, not decided before 1 Jan)."""
    start, end = period(year)
    return qs.filter(received_on__lte=end).filter(Q(decided_on__isnull=True) | Q(decided_on__gte=start))


@dataclass
class Computation:
    """The computed cells of one agency's report and where the non-case cells came from."""

    agency_id: int
    year: int
    format: str
    cells: dict[str, int | float] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # section 二 key -> where the figure came from
    missing_figures: list[str] = field(default_factory=list)

    def document(self, *, agency_name: str, sections: dict[str, str] | None = None) -> ReportDocument:
        return ReportDocument(format=self.format, year=self.year, agency=agency_name,
                              cells=dict(self.cells), sections=dict(sections or {}))


# -- section 三 ----------------------------------------------------------------------------

def _section3(ids: list[int], year: int, fmt_id: str) -> dict[int, dict[tuple[str, str], int]]:
    start, end = period(year)
    one, zero = Value(1), Value(0)
    grouped = (
        in_scope(Application.objects.filter(agency_id__in=ids), year)
        .annotate(is_new=Case(When(received_on__gte=start, then=one), default=zero, output_field=IntegerField()),
                  done=Case(When(decided_on__lte=end, then=one), default=zero, output_field=IntegerField()))
        .order_by()
        .values_list("agency_id", "applicant_kind", "outcome", "is_new", "done")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[tuple[str, str], int]] = {i: {} for i in ids}
    for agency_id, kind, outcome, is_new, done, n in grouped:
        c = counts[agency_id]
        first = "new" if is_new else "carried_over"
        second = outcome_row(outcome, fmt_id) if done else "carried_forward"
        for row in (first, second):
            c[(row, kind)] = c.get((row, kind), 0) + n
    _apply_kind_at_end(ids, year, fmt_id, counts)
    return counts


def kind_changes_after(ids: list[int], year: int) -> dict[int, str]:
    """Applications in scope whose kind changed after 31 Dec → the kind in force on 31 Dec."""
    start, end = period(year)
    rows = (ApplicationEvent.objects
            .filter(agency_id__in=ids, kind=KIND_CHANGED, on__gt=end, application__received_on__lte=end)
            .filter(Q(application__decided_on__isnull=True) | Q(application__decided_on__gte=start))
            .order_by("application_id", "on", "id")
            .values_list("application_id", "data"))
    first: dict[int, str] = {}
    for app_id, data in rows:
        if app_id not in first and isinstance(data, dict) and data.get("old") in APPLICANT_KINDS:
            first[app_id] = data["old"]
    return first


def _apply_kind_at_end(ids, year, fmt_id, counts) -> None:
    """Move the few applications whose kind changed after the year back to their year-end column."""
    at_end = kind_changes_after(ids, year)
    if not at_end:
        return
    apps = Application.objects.filter(pk__in=list(at_end)).values_list(
        "pk", "agency_id", "applicant_kind", "received_on", "decided_on", "outcome")
    for pk, agency_id, kind, received_on, decided_on, outcome in apps:
        old = at_end[pk]
        if old == kind:
            continue
        c = counts[agency_id]
        for row in application_rows(received_on, decided_on, outcome, year, fmt_id):
            c[(row, kind)] -= 1
            c[(row, old)] = c.get((row, old), 0) + 1


def _section3_parts(fmt: spec.ReportFormat, counts: dict[tuple[str, str], int]) -> dict[str, int]:
    """The counted cells of table 三 (its totals come from `with_totals`)."""
    keys = set(fmt.section3_keys)
    return {key: n for (row, col), n in counts.items() if (key := fmt.cell_key(row, col)) in keys}


# -- section 四 ----------------------------------------------------------------------------

def counted_cases(model, ids: list[int], year: int):
    """Reviews / lawsuits that count in a year: filed in it, or filed earlier and concluded in it."""
    start, end = period(year)
    return model.objects.filter(agency_id__in=ids, filed_on__lte=end).filter(
        Q(filed_on__gte=start) | Q(concluded_on__gte=start, concluded_on__lte=end))


def result_at_end(result: str, concluded_on: date | None, year: int) -> str:
    return result if concluded_on is not None and concluded_on <= period(year)[1] else "pending"


def _section4(ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """The counted cells of table 四 (its totals come from `with_totals`)."""
    _start, end = period(year)
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    category = Case(When(concluded_on__isnull=False, concluded_on__lte=end, then="result"), default=Value("pending"))
    sources = [(Reconsideration, None), (Litigation, "route")]
    for model, route in sources:
        fields = ["agency_id", "cat"] + ([route] if route else [])
        grouped = (counted_cases(model, ids, year).annotate(cat=category).order_by()
                   .values_list(*fields).annotate(n=Count("id")))
        for row in grouped:
            agency_id, cat = row[0], row[1]
            group = f"litigation.{row[2]}" if route else "review"
            key = f"{group}.{cat}"
            out[agency_id][key] = out[agency_id].get(key, 0) + row[-1]
    return out


# -- section 二 ----------------------------------------------------------------------------

def policy_model():
    """The portal's policy-document page model (the portal is an installed app)."""
    return PolicyDocumentPage


DOC_TYPES = {"rule": "regulation", "normative": "normative_doc"}


def policy_pages(ids: list[int]):
    model = policy_model()
    if model is None:
        return None
    return (model.objects.filter(agency_id__in=ids, live=True, doc_type__in=list(DOC_TYPES))
            .annotate(formed=Coalesce("written_on", TruncDate("first_published_at")),
                      published=TruncDate("first_published_at")))


def catalogue_columns(fmt_id: str, year: int) -> dict[str, Q]:
    """Block A column → the condition a policy document meets to count in it."""
    start, end = period(year)
    if fmt_id == spec.GOV2021:
        return {
            "issued": Q(formed__gte=start, formed__lte=end),
            "repealed": Q(repealed_on__gte=start, repealed_on__lte=end),
            "in_force": Q(formed__lte=end) & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
            & ~Q(validity="expired"),
        }
    return {
        "new_made": Q(formed__gte=start, formed__lte=end),
        "new_published": Q(published__gte=start, published__lte=end),
        "total_published": Q(published__lte=end),
    }


def _catalogue(ids: list[int], year: int, fmt_id: str) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    pages = policy_pages(ids)
    if pages is None:
        return out
    columns = catalogue_columns(fmt_id, year)
    grouped = (pages.order_by().values("agency_id", "doc_type")
               .annotate(**{col: Count("pk", filter=cond) for col, cond in columns.items()}))
    for row in grouped:
        for col in columns:
            out[row["agency_id"]][f"active.art20_1.{DOC_TYPES[row['doc_type']]}.{col}"] = row[col]
    return out


def _figures(ids: list[int], year: int):
    out: dict[int, dict[str, tuple]] = {i: {} for i in ids}
    for f in ActiveFigure.objects.filter(agency_id__in=ids, year=year).order_by():
        out[f.agency_id][f.key] = (f.value, f.source)
    return out


def _section2(fmt_id: str, catalogue: dict[str, int], figures: dict[str, tuple]):
    cells, sources, missing = {}, {}, []
    for key in spec.get_format(fmt_id).section2_keys:
        if key in figures:
            value, source = figures[key]
            cells[key] = cell_number(key, value)
            sources[key] = f"填报：{source}"
        elif key.startswith("active.art20_1."):
            cells[key] = catalogue.get(key, 0)
            sources[key] = "门户网站政策文件目录"
        else:
            missing.append(key)
    return cells, sources, missing


# -- entry points ----------------------------------------------------------------------------

def compute_many(agency_ids, year: int) -> dict[int, Computation]:
    """The computed cells of many agencies' reports for one year, in a handful of queries."""
    ids = sorted(set(int(i) for i in agency_ids))
    fmt_id = spec.format_for_year(year)
    fmt = spec.get_format(fmt_id)
    s3 = _section3(ids, year, fmt_id)
    s4 = _section4(ids, year)
    cat = _catalogue(ids, year, fmt_id)
    figs = _figures(ids, year)
    out = {}
    for i in ids:
        comp = Computation(agency_id=i, year=year, format=fmt_id)
        cells2, comp.sources, comp.missing_figures = _section2(fmt_id, cat[i], figs[i])
        comp.cells.update(cells2)
        comp.cells.update(with_totals(fmt, {**_section3_parts(fmt, s3[i]), **s4[i]}))
        out[i] = comp
    return out


def compute(agency, year: int) -> Computation:
    return compute_many([agency.pk], year)[agency.pk]


def compute_report(agency, year: int) -> ReportDocument:
    """The agency's report for a year as a document: every cell computed, prose from the draft."""
    comp = compute(agency, year)
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    sections = report.sections if report else {}
    return comp.document(agency_name=agency.name, sections=sections)
