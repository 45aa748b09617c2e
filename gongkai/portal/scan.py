"""Run the 保密审查 scan over one revision of a page: its text and the text of its attachments.

Text extraction: PDF with pdfplumber, DOCX with python-docx, XLSX with openpyxl, plain
text as is; anything else, or a file that fails to open, becomes an "未能扫描" hit that a
person must confirm after reading the file. Extracted text is cached by file hash.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from gongkai.law.pii import DEFAULT_KEYWORDS, Hit, scan_text, unscanned_hit

from .review import AttachmentText, HitConfirmation, ScanKeyword

log = logging.getLogger(__name__)

PAGE_TEXT_FIELDS = ("title", "summary", "body", "intro", "legal_basis", "conditions", "materials", "location",
                    "hours", "phone", "process", "item_name", "source", "doc_number")
MAX_TEXT = 2_000_000


@dataclass
class ScanReport:
    hits: list[Hit] = field(default_factory=list)
    confirmed: dict[str, object] = field(default_factory=dict)  # fingerprint -> HitConfirmation

    @property
    def unconfirmed(self) -> list[Hit]:
        return [h for h in self.hits if h.fingerprint not in self.confirmed]

    @property
    def clean(self) -> bool:
        return not self.unconfirmed


def html_text(html: str) -> str:
    if not html or "<" not in html:
        return html or ""
    return BeautifulSoup(html, "html.parser").get_text(" ")


def page_text(page) -> list[tuple[str, str]]:
    """(where, text) for each text field of a page."""
    parts = []
    for name in PAGE_TEXT_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, str) and value:
            label = str(page._meta.get_field(name).verbose_name) if name != "title" else "标题"
            parts.append((f"正文·{label}" if name != "title" else "标题", html_text(value)))
    return parts


def _extract(data: bytes, name: str) -> str:
    lower = name.lower()
    if lower.endswith(".pdf"):
        import pdfplumber  # heavy; only needed to scan an attached PDF file

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join((p.extract_text() or "") for p in pdf.pages)
    if lower.endswith(".docx"):
        import docx  # heavy; only needed to scan an attached Word file

        document = docx.Document(io.BytesIO(data))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                texts.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(texts)
    if lower.endswith(".xlsx"):
        import openpyxl  # heavy; only needed to scan an attached Excel file

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        texts = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                texts.append(" ".join(str(v) for v in row if v is not None))
        book.close()
        return "\n".join(texts)
    if lower.endswith(".txt"):
        return data.decode("utf-8", errors="replace")
    raise ValueError("不支持自动提取此类文件的文字")


def document_text(document) -> tuple[bool, str, str]:
    """(ok, text, problem) for a Wagtail document, cached by its content hash."""
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        return False, "", "文件无法读取"
    digest = hashlib.sha256(data).hexdigest()
    cached = AttachmentText.objects.filter(sha256=digest).first()
    if cached is None:
        try:
            text = _extract(data, document.file.name)[:MAX_TEXT]
            ok, problem = bool(text.strip()), ("" if text.strip() else "文件中没有可提取的文字（可能是扫描图片）")
        except Exception as exc:  # noqa: BLE001 - any parser failure means "not scanned"
            log.info("attachment text extraction failed for %s: %s", document.file.name, exc)
            text, ok, problem = "", False, f"无法提取文字：{exc}"[:300] if isinstance(exc, ValueError) else "文件已损坏或格式与扩展名不符，无法提取文字"
        cached, _ = AttachmentText.objects.get_or_create(sha256=digest, defaults={"ok": ok, "text": text,
                                                                                  "problem": problem})
    return cached.ok, cached.text, cached.problem


def keywords_for(agency_id) -> list[str]:
    own = list(ScanKeyword.objects.filter(agency_id=agency_id).values_list("word", flat=True))
    return list(dict.fromkeys(list(DEFAULT_KEYWORDS) + own))


def scan_object(page) -> list[Hit]:
    """All hits of a page object (usually a revision's `as_object()`), attachments included."""
    keywords = keywords_for(page.agency_id)
    hits: list[Hit] = []
    for where, text in page_text(page):
        hits.extend(scan_text(text, where, keywords))
    for attachment in getattr(page, "attachments", None).all() if hasattr(page, "attachments") else []:
        document = attachment.document
        where = f"附件《{attachment.display_title}》"
        ok, text, problem = document_text(document)
        if not ok:
            hits.append(unscanned_hit(where, problem))
            continue
        hits.extend(scan_text(text, where, keywords))
    return hits


def scan_revision(page, revision=None) -> ScanReport:
    obj = revision.as_object() if revision is not None else page
    hits = scan_object(obj)
    confirmed = {c.fingerprint: c for c in HitConfirmation.objects.filter(page_id=page.pk).select_related("confirmed_by")}
    return ScanReport(hits=hits, confirmed=confirmed)
