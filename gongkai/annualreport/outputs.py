"""The report as JSON (the shape of `gongkai report parse`), HTML, DOCX and PDF.

Why: the same renderers as `gongkai report render` print it, so `gongkai report parse` on
our own PDF gives back exactly the cells we computed (a test checks that).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from gongkai.law.reportformat import (BLANK, VALUE, Cell, ParsedReport, ReportDocument, render_docx, render_html,
                                      render_pdf)

FORMATS = {
    "json": ("application/json; charset=utf-8", "json"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


def json_dict(doc: ReportDocument, findings: list[dict] | None = None) -> dict:
    """The report in the JSON shape of `gongkai report parse` (cells by §7 key)."""
    keys = doc.report_format.all_keys
    cells = {k: (Cell(VALUE, doc.cells[k]) if k in doc.cells else Cell(BLANK)) for k in keys}
    parsed = ParsedReport(format=doc.format, year=doc.year, agency=doc.agency, title=doc.display_title(),
                          cells=cells, sections=dict(doc.sections))
    out = parsed.to_json_dict(findings=[])
    out["findings"] = list(findings or [])
    return out


def _file_bytes(render, doc: ReportDocument, suffix: str) -> bytes:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="gongkai-report-")
    os.close(fd)
    try:
        render(doc, name)
        return Path(name).read_bytes()
    finally:
        Path(name).unlink(missing_ok=True)


def pdf_bytes(doc: ReportDocument, *, draft: bool = False) -> bytes:
    """The PDF; a draft says 草稿 · 未签发 on every page."""
    return _file_bytes(lambda d, name: render_pdf(d, name, draft=draft), doc, ".pdf")


def docx_bytes(doc: ReportDocument) -> bytes:
    return _file_bytes(render_docx, doc, ".docx")


def render_bytes(doc: ReportDocument, fmt: str, findings: list[dict] | None = None, *, draft: bool = False) -> bytes:
    """The report in one of json / html / docx / pdf, as bytes (a draft's HTML and PDF say so on every page)."""
    if fmt == "json":
        return json.dumps(json_dict(doc, findings), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "html":
        return render_html(doc, draft=draft).encode("utf-8")
    if fmt == "docx":
        return docx_bytes(doc)
    if fmt == "pdf":
        return pdf_bytes(doc, draft=draft)
    raise ValueError(fmt)


_BODY = re.compile(r"<body>(.*)</body>", re.S)
_H1 = re.compile(r"<h1>.*?</h1>", re.S)


def body_html(doc: ReportDocument) -> str:
    """The report's sections and tables without the page shell and title (for the portal page)."""
    match = _BODY.search(render_html(doc))
    body = match.group(1) if match else ""
    return _H1.sub("", body, count=1).strip()


def filename(doc: ReportDocument, fmt: str) -> str:
    return f"{doc.agency or 'report'}{doc.year}年政府信息公开工作年度报告.{FORMATS[fmt][1]}"
