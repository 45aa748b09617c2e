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
     font-size: 15pt; margin: 0.9em 0 0.4em; text-indent: 2em; break-after: avoid; }
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

# A draft says so on every page: a mark across the page and a line at its head (WeasyPrint
# repeats fixed boxes and page margins on every page).
DRAFT_MARK = "草稿 · 未签发"
DRAFT_CSS = """
@page { @top-center { content: "草稿 · 未签发，不得对外公开"; color: #c00000; font-family: "Noto Sans CJK SC";
                      font-size: 11pt; } }
.draft-mark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; transform: rotate(-30deg);
              font-family: "Noto Sans CJK SC", sans-serif; font-size: 64pt; color: rgba(192, 0, 0, 0.16);
              text-indent: 0; }
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


def render_html(doc: ReportDocument, *, draft: bool = False) -> str:
    """The whole report as one HTML page in the official layout (six sections, three tables).

    A draft (not yet signed) carries 草稿 · 未签发 on every page.
    """
    title = doc.display_title()
    tables = grids(doc)
    parts = [f'<div class="draft-mark" aria-hidden="true">{DRAFT_MARK}</div>'] if draft else []
    parts.append(f"<h1>{escape(title)}</h1>")
    for name in spec.SECTION_NAMES:
        parts.append(f"<h2>{escape(spec.SECTION_TITLES[name])}</h2>")
        if name in tables:
            parts.append(_table_html(tables[name]))
        else:
            parts.extend(f"<p>{escape(p)}</p>" for p in paragraphs(doc.sections.get(name)))
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{'（草稿）' if draft else ''}{escape(title)}</title><style>{CSS}{DRAFT_CSS if draft else ''}</style>"
            "</head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def render_pdf(doc: ReportDocument, path: str | os.PathLike, *, draft: bool = False) -> None:
    """Print the report to PDF with WeasyPrint (needs fonts-noto-cjk, libharfbuzz-subset0)."""
    # heavy; only needed to render a PDF report
    from weasyprint import HTML

    HTML(string=render_html(doc, draft=draft)).write_pdf(os.fspath(path))


__all__ = ["render_html", "render_pdf", "CSS", "HEADER", "LABEL"]
