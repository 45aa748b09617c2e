"""Annual reports on government information disclosure (政府信息公开工作年度报告).

The 2019 trial and 2021 formats as data (spec.yaml = format note §7), a cell model, the
consistency rules R1–R9, parsers for text, HTML, DOCX and PDF, and renderers to HTML, DOCX
and PDF in the official layout. Pure Python: no Django here.

Public API::

    parse_file(path) -> ParsedReport          # any supported file; raises ReportError
    parse_text(text) -> ParsedReport
    parse_html(html) -> ParsedReport
    check(report, previous=None) -> list[Finding]
    render_html(doc) -> str
    render_docx(doc, path) / render_pdf(doc, path)
    ReportDocument(format=..., year=..., agency=..., cells={key: number}, sections={...})
    report_json(report) -> dict               # cells and findings, as `gongkai report parse`
"""

from .model import (AMBIGUOUS, BLANK, MISSING, VALUE, Cell, Finding, ParsedReport,
                    ReportDocument, ReportError)
from .render import render_html, render_pdf
from .rules import ERROR, WARNING, check, report_json
from .spec import GOV2019, GOV2021, UNSUPPORTED, ReportFormat, get_format
from .docxfile import render_docx
from .htmlparse import parse_html
from .readfile import MAX_BYTES, parse_bytes, parse_file
from .textparse import parse_text

__all__ = [
    "AMBIGUOUS", "BLANK", "MISSING", "VALUE", "ERROR", "WARNING",
    "GOV2019", "GOV2021", "UNSUPPORTED",
    "Cell", "Finding", "ParsedReport", "ReportDocument", "ReportError", "ReportFormat",
    "MAX_BYTES", "check", "render_docx", "render_html", "render_pdf", "get_format", "parse_bytes", "parse_file", "parse_html", "parse_text", "report_json",
]
