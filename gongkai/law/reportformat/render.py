"""Render a report document in the official layout as HTML, or as PDF through WeasyPrint.

Why: the platform publishes each agency's report in the national format; the PDF is the
HTML printed in 公文 style (A4, GB/T 9704 margins; 仿宋_GB2312, 宋体 and 黑体 where the machine
has them, else the Noto Serif/Sans CJK SC fonts, embedded), so both show the same merged
header cells.
"""

from __future__ import annotations

import os
from html import escape

from . import spec
from .. import officefonts as fonts
from .layout import HEADER, LABEL, Grid, grids, is_subheading, paragraphs
from .model import ReportDocument

# The office fonts first (仿宋_GB2312 body, 宋体 title and tables, 黑体 headings), the Noto CJK
# fonts after them: a machine that has only Noto prints and embeds Noto (gongkai.law.officefonts).
CSS = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: {fonts.CSS_BODY};
                         font-size: 12pt; }} }}
body {{ font-family: {fonts.CSS_BODY}; font-size: 14pt;
       line-height: 1.75; color: #000; margin: 0; orphans: 2; widows: 2; }}
h1 {{ font-family: {fonts.CSS_TITLE}; font-weight: bold; font-size: 20pt;
     text-align: center; line-height: 1.5; margin: 0 0 1.2em; }}
h2 {{ font-family: {fonts.CSS_HEADING}; font-weight: normal;
     font-size: 15pt; margin: 0.9em 0 0.4em; text-indent: 2em; break-after: avoid; page-break-after: avoid; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.sub {{ break-after: avoid; page-break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; table-layout: fixed;
        font-family: {fonts.CSS_TABLE}; font-size: 8.5pt;
        line-height: 1.35; page-break-inside: auto; }}
td {{ border: 0.75pt solid #000; padding: 2pt 2.5pt; text-align: center;
     vertical-align: middle; word-break: break-all; }}
td.label {{ text-align: left; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
tr.head {{ break-after: avoid; page-break-after: avoid; }}
tbody.block {{ break-inside: avoid; page-break-inside: avoid; }}
"""

# A draft says so on every page: a mark across the page and a line at its head (WeasyPrint
# repeats fixed boxes and page margins on every page).
DRAFT_MARK = "草稿 · 未签发"
DRAFT_CSS = f"""
@page {{ @top-center {{ content: "草稿 · 未签发，不得对外公开"; color: #c00000; font-family: {fonts.CSS_HEADING};
                      font-size: 11pt; }} }}
.draft-mark {{ position: fixed; top: 45%; left: 0; right: 0; text-align: center; transform: rotate(-30deg);
              font-family: {fonts.CSS_HEADING}; font-size: 64pt; color: rgba(192, 0, 0, 0.16);
              text-indent: 0; }}
"""


def _is_head(row) -> bool:
    return all(c.kind == HEADER for c in row)


def _table_html(grid: Grid) -> str:
    """The grid as an HTML table whose heads never end a page.

    A table that starts with its column heads (三, 四) puts them in <thead>, which the PDF
    repeats on each page it runs onto. A table of captioned blocks (二) puts each block in a
    <tbody> that is not split across pages. Every row of header cells is kept with the row
    below it.
    """
    cols = "".join(f'<col style="width:{w * 100:.2f}%">' for w in grid.col_widths)
    groups: list[tuple[str, list[str]]] = []  # (thead / tbody / block, its rows)
    captioned = bool(grid.rows) and grid.rows[0][0].colspan == grid.ncols
    leading = not captioned
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
        head = _is_head(row)
        leading = leading and head
        if captioned:
            part, new = "block", row[0].colspan == grid.ncols  # a caption starts a block
        else:
            part = "thead" if leading else "tbody"
            new = not groups or groups[-1][0] != part
        if new:
            groups.append((part, []))
        groups[-1][1].append(('<tr class="head">' if head else "<tr>") + "".join(tds) + "</tr>")
    body = "".join(f"<thead>{''.join(rows)}</thead>" if part == "thead"
                   else f'<tbody class="block">{"".join(rows)}</tbody>' if part == "block"
                   else f"<tbody>{''.join(rows)}</tbody>"
                   for part, rows in groups)
    return f"<table><colgroup>{cols}</colgroup>{body}</table>"


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
            parts.extend(f'<p class="sub">{escape(p)}</p>' if is_subheading(p) else f"<p>{escape(p)}</p>"
                         for p in paragraphs(doc.sections.get(name)))
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
