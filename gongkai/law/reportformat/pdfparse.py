"""Parse a report from PDF: the text layer first, pdfplumber's ruled tables when needed.

Why: most published reports are PDFs printed from Word. The text layer (read with pdfium,
which pdfplumber ships with, ~10x faster than pdfminer) already gives each table row's
numbers after its label; when that leaves cells unread, pdfplumber extracts the ruled tables
cell by cell instead. A PDF without a text layer is a scan and is refused with that reason.
"""

from __future__ import annotations

import io

from .model import AMBIGUOUS, MISSING, ParsedReport, ReportError
from .textparse import parse_text

MAX_PAGES = 80
SCANNED = "扫描件，无文本层 (scanned, no text layer)"


def _open(data: bytes):
    # heavy; only needed for PDF reports
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of errors on broken files
        raise ReportError(f"无法打开 PDF 文件（文件损坏或已加密）：{type(exc).__name__}") from None


def _page_text(page) -> str:
    return page.extract_text() or ""


def _page_tables_text(page) -> str:
    """The page as lines, each ruled-table row as one tab-separated line, in reading order."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    items = [(ln["top"], ln["text"]) for ln in page.filter(outside).extract_text_lines()]
    for table, box in zip(tables, boxes):
        for i, row in enumerate(table.extract()):
            cells = [c.replace("\n", "") for c in row if c is not None]
            items.append((box[1] + i * 1e-3, "\t".join(cells)))
    items.sort(key=lambda it: it[0])
    return "\n".join(text for _, text in items)


def _unread(report: ParsedReport) -> int:
    return sum(1 for c in report.cells.values() if c.state in (MISSING, AMBIGUOUS))


def _pdfium_text(data: bytes) -> str | None:
    """Text of the first pages with pdfium; None when pdfium cannot read the file."""
    try:
        # heavy; only needed for PDF reports pdfplumber cannot read
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
    except Exception:
        return None
    try:
        out = []
        for i in range(min(len(pdf), MAX_PAGES)):
            page = pdf[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n".join(out)
    except Exception:
        return None
    finally:
        pdf.close()


def parse_pdf_bytes(data: bytes, source: str | None = None) -> ParsedReport:
    """Parse a PDF report; raises ReportError for a scan, a broken or an encrypted file."""
    text = _pdfium_text(data)
    report = None
    if text is not None:
        if not text.strip():
            raise ReportError(SCANNED)
        report = parse_text(text, source=source)
        if not report.supported or not _unread(report):
            return report
    with _open(data) as pdf:
        pages = list(pdf.pages[:MAX_PAGES])
        if report is None:
            try:
                text = "\n".join(_page_text(p) for p in pages)
            except Exception as exc:
                raise ReportError(f"无法读取 PDF 的文本：{type(exc).__name__}") from None
            if not text.strip():
                raise ReportError(SCANNED)
            report = parse_text(text, source=source)
            if not report.supported or not _unread(report):
                return report
        try:
            tabled = parse_text("\n".join(_page_tables_text(p) for p in pages), source=source)
        except Exception:
            return report
    if tabled.supported and _unread(tabled) < _unread(report):
        return tabled
    return report


def parse_pdf(path, source: str | None = None) -> ParsedReport:
    """Parse a PDF file by path."""
    with open(path, "rb") as fh:
        return parse_pdf_bytes(fh.read(), source=source or str(path))
