"""The official tables as grids of merged cells, shared by the HTML, DOCX and PDF renderers.

Why: the merged header cells must be exactly those of the format (format note §2–§4), in
every output; one grid description keeps the three renderers identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import spec
from .model import ReportDocument

HEADER = "header"
LABEL = "label"
VALUE = "value"


@dataclass(frozen=True)
class GridCell:
    """One printed cell: text, kind (header/label/value), spans, and its key for values."""

    text: str
    kind: str
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None


@dataclass(frozen=True)
class Grid:
    """A table: number of columns and its rows of cells (HTML-style spans)."""

    ncols: int
    rows: tuple[tuple[GridCell, ...], ...]
    col_widths: tuple[float, ...]


def format_number(v) -> str:
    """A cell value as printed: integers plainly, decimals without exponent."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    text = repr(float(v))
    if "e" in text or "E" in text:
        text = format(v, ".10f").rstrip("0").rstrip(".")
    return text


def _value(doc: ReportDocument, key: str, colspan: int = 1) -> GridCell:
    return GridCell(format_number(doc.cells.get(key)), VALUE, colspan=colspan, key=key)


def section2_grid(doc: ReportDocument) -> Grid:
    """Section 二: the blocks of 第二十条 in one 4-column table, captions across the width."""
    fmt = doc.report_format
    rows = []
    for block in fmt.section2:
        rows.append((GridCell(block.caption, HEADER, colspan=4),))
        ndata = len(block.columns) - 1
        spans = [1] * (ndata - 1) + [4 - ndata]
        rows.append((GridCell(block.columns[0], HEADER),)
                    + tuple(GridCell(c, HEADER, colspan=s)
                            for c, s in zip(block.columns[1:], spans)))
        for r in block.rows:
            rows.append((GridCell(r.label, LABEL),)
                        + tuple(_value(doc, k, s) for k, s in zip(r.keys, spans)))
    return Grid(4, tuple(rows), (0.34, 0.22, 0.22, 0.22))


def section3_grid(doc: ReportDocument) -> Grid:
    """Section 三: the 3-row applicant header and the 23 or 25 numeric rows with merged labels."""
    fmt = doc.report_format
    lay = spec.layout()["section3"]
    labels = fmt.column_labels
    head = [
        (GridCell(lay["note"], HEADER, rowspan=3, colspan=3),
         GridCell(lay["applicant"], HEADER, colspan=7)),
        (GridCell(labels["natural_person"], HEADER, rowspan=2),
         GridCell(lay["org_group"], HEADER, colspan=5),
         GridCell(labels["total"], HEADER, rowspan=2)),
        tuple(GridCell(labels[c], HEADER) for c in fmt.columns[1:6]),
    ]
    result_rows = [r for r in fmt.rows if r.key.startswith("result.")]
    group_size: dict[str, int] = {}
    for r in result_rows:
        if r.group:
            group_size[r.group] = group_size.get(r.group, 0) + 1
    body = []
    seen_groups: set[str] = set()
    for r in fmt.rows:
        values = tuple(_value(doc, fmt.cell_key(r.key, c)) for c in fmt.columns)
        if not r.key.startswith("result."):
            body.append((GridCell(r.label, LABEL, colspan=3),) + values)
            continue
        lead: tuple[GridCell, ...] = ()
        if r is result_rows[0]:
            lead = (GridCell(lay["result_group"], LABEL, rowspan=len(result_rows)),)
        if r.group:
            if r.group not in seen_groups:
                seen_groups.add(r.group)
                lead += (GridCell(r.group, LABEL, rowspan=group_size[r.group]),)
            lead += (GridCell(r.label, LABEL),)
        else:
            lead += (GridCell(r.label, LABEL, colspan=2),)
        body.append(lead + values)
    widths = (0.07, 0.09, 0.26) + (0.08,) * 6 + (0.10,)
    return Grid(10, tuple(head + body), widths)


def section4_grid(doc: ReportDocument) -> Grid:
    """Section 四: 行政复议 (5) and 行政诉讼 (2 × 5) over one row of 15 numbers."""
    lay = spec.layout()["section4"]
    parts = lay["review_parts"]
    top = tuple(GridCell(t["label"], HEADER, colspan=t["span"]) for t in lay["top"])
    second = tuple(GridCell(p, HEADER, rowspan=2) for p in parts) + tuple(
        GridCell(g, HEADER, colspan=5) for g in lay["litigation_groups"])
    third = tuple(GridCell(p, HEADER) for _ in lay["litigation_groups"] for p in parts)
    values = tuple(_value(doc, k) for k in doc.report_format.section4)
    return Grid(15, (top, second, third, values), (1 / 15,) * 15)


def grids(doc: ReportDocument) -> dict[str, Grid]:
    """The three tables of a document, by section name."""
    return {"二": section2_grid(doc), "三": section3_grid(doc), "四": section4_grid(doc)}


def paragraphs(text: str | None) -> list[str]:
    """Prose split into paragraphs (one per non-empty line)."""
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


_SUBHEADING = re.compile(r"^(（[一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]{1,3}、)")


def is_subheading(text: str) -> bool:
    """A heading line inside the prose ("（一）主动公开"): numbered, short, not a sentence.

    The renderers keep it on the page of the paragraph it heads.
    """
    text = text.strip()
    return bool(_SUBHEADING.match(text)) and len(text) <= 40 and not text.endswith(("。", "；", "：", ":"))
