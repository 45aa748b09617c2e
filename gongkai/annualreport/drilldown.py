"""The records behind every computed cell: applications, reviews, lawsuits, documents, figures.

`drilldown(agency, year)` returns ``(cells, records)``: ``cells`` maps each §7 cell key to
the refs of the records it counts (``"app:12"``, ``"review:3"``, ``"lit:4"``, ``"page:77"``,
``"figure:9"``), ``records`` maps a ref to what a person needs to recognise it and why it is
in that cell (dates, outcome, a change of applicant kind). The counts agree with
`compute.py` by construction (the same rules, `application_rows`), which a test checks.
This runs per agency on demand and when a report is signed; the report itself is computed
by aggregate queries.
"""

from __future__ import annotations

from gongkai.applications.models import ApplicantKind, Application, ApplicationEvent, Litigation, Reconsideration
from gongkai.law.replies import REPLY_TYPES
from gongkai.law.reportformat import spec

from . import compute
from .figures import figure_label
from .models import ActiveFigure

KIND_LABELS = dict(ApplicantKind.choices)


def _kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def _kind_moves(ids: list[int], year: int) -> dict[int, list[dict]]:
    """Every recorded change of applicant kind of the applications in scope, oldest first."""
    _start, end = compute.period(year)
    rows = (ApplicationEvent.objects.filter(application_id__in=ids, kind=compute.KIND_CHANGED)
            .order_by("application_id", "on", "id").values_list("application_id", "on", "data", "note"))
    out: dict[int, list[dict]] = {}
    for app_id, on, data, note in rows:
        data = data if isinstance(data, dict) else {}
        out.setdefault(app_id, []).append({
            "on": on.isoformat(), "old": data.get("old"), "new": data.get("new"), "note": note,
            "after_period": on > end,
        })
    return out


def _application_records(agency, year: int, fmt_id: str, cells: dict, records: dict) -> None:
    apps = list(compute.in_scope(Application.objects.filter(agency=agency), year)
                .order_by("received_on", "number")
                .values_list("pk", "number", "subject", "applicant_kind", "received_on", "decided_on", "outcome"))
    moves = _kind_moves([a[0] for a in apps], year)
    for pk, number, subject, kind, received_on, decided_on, outcome in apps:
        history = moves.get(pk, [])
        later = [m for m in history if m["after_period"]]
        counted = later[0]["old"] if later and later[0]["old"] else kind
        rows = compute.application_rows(received_on, decided_on, outcome, year, fmt_id)
        ref = f"app:{pk}"
        detail = [f"收到 {received_on.isoformat()}"]
        if decided_on and decided_on <= compute.period(year)[1]:
            detail.append(f"办结 {decided_on.isoformat()}（{REPLY_TYPES[outcome].label if outcome in REPLY_TYPES else outcome}）")
        else:
            detail.append("年末尚未办结，结转下年度")
        moved = []
        for m in history:
            text = f"{m['on']} 更正申请人类型：{_kind_label(m['old'])} → {_kind_label(m['new'])}"
            if m["after_period"]:
                text += "（年度结束后更正，本年度仍按原类型统计）"
            moved.append(text)
        records[ref] = {"type": "application", "id": pk, "label": f"{number} {subject}",
                        "detail": "；".join(detail), "kind": counted, "kind_label": _kind_label(counted),
                        "moved": moved}
        for row in rows:
            for col in (counted, "total"):
                cells.setdefault(f"apply.{row}.{col}", []).append(ref)
            if row.startswith("result."):
                for col in (counted, "total"):
                    cells.setdefault(f"apply.result.total.{col}", []).append(ref)


def _case_records(agency, year: int, cells: dict, records: dict) -> None:
    for model, prefix, label in ((Reconsideration, "review", "行政复议"), (Litigation, "lit", "行政诉讼")):
        rows = compute.counted_cases(model, [agency.pk], year).select_related("application").order_by("filed_on", "pk")
        for row in rows:
            group = "review" if prefix == "review" else f"litigation.{row.route}"
            part = compute.result_at_end(row.result, row.concluded_on, year)
            ref = f"{prefix}:{row.pk}"
            detail = f"{row.filed_on.isoformat()} 提起"
            if part != "pending":
                detail += f"，{row.concluded_on.isoformat()} 审结：{row.get_result_display()}"
            else:
                detail += "，年末尚未审结"
            records[ref] = {"type": prefix, "id": row.pk, "application_id": row.application_id,
                            "label": f"{label} {row.case_number or ''}（申请 {row.application.number}）".replace("  ", " "),
                            "detail": detail, "moved": []}
            for key in (f"{group}.{part}", f"{group}.total"):
                cells.setdefault(key, []).append(ref)


def _catalogue_records(agency, year: int, fmt_id: str, cells: dict, records: dict, overridden: set) -> None:
    pages = compute.policy_pages([agency.pk])
    if pages is None:
        return
    columns = compute.catalogue_columns(fmt_id, year)
    for col, cond in columns.items():
        for page in pages.filter(cond).order_by("formed", "pk").only("pk", "title", "doc_type", "doc_number",
                                                                      "written_on", "repealed_on"):
            key = f"active.art20_1.{compute.DOC_TYPES[page.doc_type]}.{col}"
            if key in overridden:
                continue
            ref = f"page:{page.pk}"
            records.setdefault(ref, {
                "type": "page", "id": page.pk, "label": f"{page.title}{'（' + page.doc_number + '）' if page.doc_number else ''}",
                "detail": "；".join(filter(None, [
                    f"成文 {page.written_on.isoformat()}" if page.written_on else "",
                    f"废止 {page.repealed_on.isoformat()}" if page.repealed_on else ""])),
                "moved": []})
            cells.setdefault(key, []).append(ref)


def _figure_records(agency, year: int, cells: dict, records: dict) -> set:
    keys = set()
    for f in ActiveFigure.objects.filter(agency=agency, year=year).select_related("entered_by"):
        ref = f"figure:{f.pk}"
        who = f.entered_by.get_username() if f.entered_by else "系统"
        records[ref] = {"type": "figure", "id": f.pk, "label": f"{figure_label(f.key)}：{f.value.normalize():f}",
                        "detail": f"来源：{f.source}（{f.get_via_display()}，{who}，"
                                  f"{f.entered_at.astimezone().date().isoformat()}）", "moved": []}
        cells.setdefault(f.key, []).append(ref)
        keys.add(f.key)
    return keys


def drilldown(agency, year: int) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Every cell's record refs and the records themselves, for one agency and year."""
    fmt_id = spec.format_for_year(year)
    cells: dict[str, list[str]] = {}
    records: dict[str, dict] = {}
    _application_records(agency, year, fmt_id, cells, records)
    _case_records(agency, year, cells, records)
    overridden = _figure_records(agency, year, cells, records)
    _catalogue_records(agency, year, fmt_id, cells, records, overridden)
    for key in spec.get_format(fmt_id).all_keys:
        cells.setdefault(key, [])
    return cells, records


def cell_title(fmt_id: str, key: str) -> str:
    """A cell key in words: "表三 · （一）予以公开 · 自然人"."""
    fmt = spec.get_format(fmt_id)
    if key.startswith("apply."):
        body = key[len("apply."):]
        row, col = body.rsplit(".", 1)
        label = next((f"{r.group or ''}{r.label}" for r in fmt.rows if r.key == row), row)
        return f"表三 · {label} · {fmt.column_labels.get(col, col)}"
    if key.startswith("active."):
        return f"表二 · {figure_label(key)}"
    group, part = key.rsplit(".", 1)
    names = {"review": "行政复议", "litigation.direct": "行政诉讼（未经复议直接起诉）",
             "litigation.after_review": "行政诉讼（复议后起诉）"}
    parts = {"maintained": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
    return f"表四 · {names.get(group, group)} · {parts.get(part, part)}"

