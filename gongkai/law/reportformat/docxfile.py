"""DOCX: render a report with python-docx (merged cells), and read one from its XML.

Why: agencies edit and sign the report in Word. Rendering merges exactly the header cells of
the format; reading walks word/document.xml directly (one line per table row, one cell per
<w:tc>, vertically merged continuations skipped), which is simple and fast.
"""

from __future__ import annotations

import io
import os
import zipfile

from .layout import HEADER, LABEL, Grid, grids, paragraphs
from .model import ParsedReport, ReportDocument, ReportError
from . import spec

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
MAX_XML = 64 * 1024 * 1024


# -- rendering ---------------------------------------------------------------------------

def _font(run, name: str, size: float, bold: bool = False) -> None:
    # heavy; python-docx only needed to render a Word report
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str, font: str, size: float, bold=False, center=False, indent=True):
    # heavy; python-docx only needed to render a Word report
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold)
    return p


def _table(doc, grid: Grid) -> None:
    """Add a grid as a Word table, merging cells by the grid's row/col spans."""
    # heavy; python-docx only needed to render a Word report
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = doc.add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = 156
    flat = table._cells  # computed once: table.cell() recomputes the whole grid per call
    cells = [flat[r * grid.ncols:(r + 1) * grid.ncols] for r in range(len(grid.rows))]
    for i, w in enumerate(grid.col_widths):
        table.columns[i].width = Mm(width * w)
        for row in cells:
            row[i].width = Mm(width * w)
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
            if cell.kind != LABEL:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(para.add_run(cell.text), SANS if cell.kind in (HEADER, LABEL) else SERIF, 8)
            c += cell.colspan


def render_docx(doc: ReportDocument, path: str | os.PathLike) -> None:
    """Write the report as DOCX in the official layout (A4, 公文 margins, CJK fonts)."""
    # heavy; python-docx only needed to render a Word report
    import docx
    from docx.shared import Mm

    out = docx.Document()
    sec = out.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    _para(out, doc.display_title(), SERIF, 20, bold=True, center=True)
    tables = grids(doc)
    for name in spec.SECTION_NAMES:
        _para(out, spec.SECTION_TITLES[name], SANS, 15)
        if name in tables:
            _table(out, tables[name])
        else:
            for text in paragraphs(doc.sections.get(name)):
                _para(out, text, SERIF, 14)
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
