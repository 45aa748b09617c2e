"""Render a report document in the official layout as HTML, or as PDF through WeasyPrint.

Why: the platform publishes each agency's report in the national format; the PDF is the
HTML printed in 公文 style (A4, GB/T 9704 margins, Noto Serif/Sans CJK SC standing in for
仿宋/小标宋/黑体), so both show the same merged header cells.
"""

from __future__ import annotations

import os
from html import escape

from . import spec
from .layout import HEADER, LABEL, Grid, grids, paragraphs
from .model import ReportDocument

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC";
                         font-size: 12pt; } }
body { font-family: "Noto Serif CJK SC", "Noto Serif CJK", serif; font-size: 14pt;
       line-height: 1.75; color: #000; margin: 0; }
h1 { font-family: "Noto Serif CJK SC", serif; font-weight: bold; font-size: 20pt;
     text-align: center; line-height: 1.5; margin: 0 0 1.2em; }
h2 { font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-weight: normal;
     font-size: 15pt; margin: 0.9em 0 0.4em; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; table-layout: fixed;
        font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-size: 8.5pt;
        line-height: 1.35; page-break-inside: auto; }
td { border: 0.75pt solid #000; padding: 2pt 2.5pt; text-align: center;
     vertical-align: middle; word-break: break-all; }
td.label { text-align: left; }
td.value { font-family: "Noto Serif CJK SC", serif; }
tr { page-break-inside: avoid; }
"""


def _table_html(grid: Grid) -> str:
    cols = "".join(f'<col style="width:{w * 100:.2f}%">' for w in grid.col_widths)
    rows = []
    for row in grid.rows:
        tds = []
        for c in row:
            attrs = [f'class="{c.kind}"']
            if c.rowspan > 1:
                attrs.append(f'rowspan="{c.rowspan}"')
            if c.colspan > 1:
                attrs.append(f'colspan="{c.colspan}"')
            if c.key:
                attrs.append(f'data-key="{escape(c.key)}"')
            tds.append(f"<td {' '.join(attrs)}>{escape(c.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table><colgroup>{cols}</colgroup><tbody>" + "".join(rows) + "</tbody></table>"


def render_html(doc: ReportDocument) -> str:
    """The whole report as one HTML page in the official layout (six sections, three tables)."""
    title = doc.display_title()
    tables = grids(doc)
    parts = [f"<h1>{escape(title)}</h1>"]
    for name in spec.SECTION_NAMES:
        parts.append(f"<h2>{escape(spec.SECTION_TITLES[name])}</h2>")
        if name in tables:
            parts.append(_table_html(tables[name]))
        else:
            parts.extend(f"<p>{escape(p)}</p>" for p in paragraphs(doc.sections.get(name)))
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def render_pdf(doc: ReportDocument, path: str | os.PathLike) -> None:
    """Print the report to PDF with WeasyPrint (needs fonts-noto-cjk, libharfbuzz-subset0)."""
    # heavy; only needed to render a PDF report
    from weasyprint import HTML

    HTML(string=render_html(doc)).write_pdf(os.fspath(path))


__all__ = ["render_html", "render_pdf", "CSS", "HEADER", "LABEL"]
