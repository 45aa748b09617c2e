"""DOCX: render a report with python-docx (merged cells), and read one from its XML.

Why: agencies edit and sign the report in Word. Rendering merges exactly the header cells of
the format; reading walks word/document.xml directly (one line per table row, one cell per
<w:tc>, vertically merged continuations skipped), which is simple and fast.
"""

from __future__ import annotations

import io
import os
import zipfile

from .layout import HEADER, LABEL, Grid, grids, is_subheading, paragraphs
from .model import ParsedReport, ReportDocument, ReportError
from . import spec
from .. import officefonts as fonts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML = 64 * 1024 * 1024
TABLE_STYLE = "表格文字"  # the paragraph style of every table cell
SUBHEADING_STYLE = "小标题"  # "（一）主动公开": body text kept with the paragraph it heads
TABLE_PT = 8
WIDTH_MM = 156  # A4 less the 公文 margins


# -- rendering ---------------------------------------------------------------------------

def _styles(out) -> None:
    """Name the office fonts on the styles (`gongkai.law.officefonts`), not run by run.

    Normal: 仿宋_GB2312 四号, first line indented two characters; Title: 宋体 bold;
    Heading 1 (the six section headings): 黑体, kept with what follows it; 小标题 (the
    prose's "（一）…" lines): as Normal, kept with what follows it; the table cells'
    paragraph style and the Table Grid style: 宋体.
    """
    # heavy; python-docx only needed to render a Word report
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = out.styles
    fonts.document_defaults(out)
    normal = styles["Normal"]
    fonts.style_fonts(normal, fonts.BODY, size=fonts.SIHAO)
    normal.paragraph_format.first_line_indent = Pt(fonts.SIHAO * 2)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    title = styles["Title"]
    fonts.title_style(title, 20)
    title.paragraph_format.space_after = Pt(18)
    heading = styles["Heading 1"]
    fonts.style_fonts(heading, fonts.HEADING, size=15, bold=False)
    heading.paragraph_format.first_line_indent = Pt(30)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True
    sub = styles.add_style(SUBHEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    sub.base_style = normal
    sub.paragraph_format.keep_with_next = True
    cell = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    fonts.style_fonts(cell, fonts.TABLE, size=TABLE_PT)
    cell.paragraph_format.first_line_indent = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    fonts.style_fonts(styles["Table Grid"], fonts.TABLE, size=TABLE_PT)


def qn(tag: str) -> str:
    # heavy; python-docx only needed to render a Word report
    from docx.oxml.ns import qn as _qn

    return _qn(tag)


def _keep_row(row, *, repeat: bool) -> None:
    """A header row: never split, kept with the next row, and (`repeat`) repeated at the top of each page."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if repeat else ("w:cantSplit",):
        trpr.append(trpr.makeelement(qn(tag), {}))
    for cell in row.cells:
        for para in cell.paragraphs:
            para.paragraph_format.keep_with_next = True


def _table(doc, grid: Grid) -> None:
    """Add a grid as a Word table, merging cells by the grid's row/col spans."""
    # heavy; python-docx only needed to render a Word report
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = doc.add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    flat = table._cells  # computed once: table.cell() recomputes the whole grid per call
    cells = [flat[r * grid.ncols:(r + 1) * grid.ncols] for r in range(len(grid.rows))]
    for i, w in enumerate(grid.col_widths):
        table.columns[i].width = Mm(WIDTH_MM * w)
        for row in cells:
            row[i].width = Mm(WIDTH_MM * w)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            target = cells[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            para = target.paragraphs[0]
            para.style = TABLE_STYLE
            if cell.kind != LABEL:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.add_run(cell.text)
            c += cell.colspan
    # Rows of header cells stay with the row below them (a block caption of table 二 with its
    # block, the column heads of 三 and 四 with their first row); the heads of a table that
    # starts with them are repeated on each page.
    leading = True
    for r, row in enumerate(grid.rows):
        heads = all(c.kind == HEADER for c in row)
        leading = leading and heads
        if heads:
            _keep_row(table.rows[r], repeat=leading and grid.rows[0][0].colspan < grid.ncols)


def render_docx(doc: ReportDocument, path: str | os.PathLike) -> None:
    """Write the report as DOCX in the official layout (A4, 公文 margins, the fonts of office PCs)."""
    # heavy; python-docx only needed to render a Word report
    import docx
    from docx.shared import Mm

    out = docx.Document()
    _styles(out)
    sec = out.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    out.add_paragraph(doc.display_title(), style="Title")
    tables = grids(doc)
    for name in spec.SECTION_NAMES:
        out.add_paragraph(spec.SECTION_TITLES[name], style="Heading 1")
        if name in tables:
            _table(out, tables[name])
        else:
            for text in paragraphs(doc.sections.get(name)):
                out.add_paragraph(text, style=SUBHEADING_STYLE if is_subheading(text) else None)
    out.save(os.fspath(path))


# -- reading -----------------------------------------------------------------------------

def _text(el) -> str:
    parts = []
    for node in el.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return "".join(parts)


def _cell_text(tc) -> str:
    return " ".join(_text(p) for p in tc.iter(W + "p")).strip()


def _skip(tc) -> bool:
    pr = tc.find(W + "tcPr")
    vm = pr.find(W + "vMerge") if pr is not None else None
    return vm is not None and vm.get(W + "val", "continue") == "continue"


def _body_lines(body) -> list[str]:
    lines = []
    for el in body:
        if el.tag == W + "p":
            lines.append(_text(el))
        elif el.tag == W + "tbl":
            for tr in el.iter(W + "tr"):
                cells = [_cell_text(tc) for tc in tr.findall(W + "tc") if not _skip(tc)]
                lines.append("\t".join(c.replace("\t", " ") for c in cells))
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                lines.extend(_body_lines(content))
    return lines


def docx_to_text(data: bytes) -> str:
    """The text of a DOCX, each table row one tab-separated line."""
    # law: imports unchanged (house rule); lxml only needed to read a DOCX
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > MAX_XML:
                raise ReportError("DOCX 文件内容过大，无法读取")
            xml = zf.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        raise ReportError("不是有效的 DOCX（Word）文件：压缩包损坏或缺少 word/document.xml") from None
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                            huge_tree=False))
    except etree.XMLSyntaxError:
        raise ReportError("DOCX 文件中的文档内容损坏，无法读取") from None
    body = root.find(W + "body")
    if body is None:
        raise ReportError("DOCX 文件中没有正文")
    return "\n".join(_body_lines(body))


def parse_docx_bytes(data: bytes, source: str | None = None) -> ParsedReport:
    """Parse a report from DOCX bytes."""
    # law: imports unchanged (house rule)
    from .textparse import parse_text

    return parse_text(docx_to_text(data), source=source)
