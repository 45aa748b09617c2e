"""The text of uploaded files for the 保密审查 scan (and the search index), extracted in the background.

Extraction: PDF with pdfplumber, DOCX with python-docx, XLSX with openpyxl, plain text as
is; anything else, or a file that fails to open, is cached as "not extracted" with the
reason, which the scan shows as an "未能扫描" hit. Texts are cached by content
(`AttachmentText`, SHA-256).

Extraction is slow on a large file, so a request never does it: `extract_document_text`
(a task) extracts one version of a document (Wagtail's file hash), queued when a document
is saved with a new file and, for files uploaded before, when a scan first needs it; the
scan reads the result through `extracted_text`, None while the job has not finished. Run
twice, the second run finds the extraction done; a job whose file was replaced meanwhile
says so instead of caching the wrong text.
"""

from __future__ import annotations

import hashlib
import io
import logging

from django.db import IntegrityError, transaction
from django_tasks import task
from wagtail.documents import get_document_model

from gongkai.core import clock

from .review import AttachmentText, DocumentExtraction

log = logging.getLogger(__name__)

MAX_TEXT = 2_000_000
EXTRACTING = "附件正在提取文字，请稍候刷新"


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
    """(ok, text, problem) for a Wagtail document, cached by its content hash (extracts when not cached)."""
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        return False, "", "文件无法读取"
    cached = text_of_bytes(data, document.file.name)
    return cached.ok, cached.text, cached.problem


def text_of_bytes(data: bytes, name: str) -> AttachmentText:
    """The cached text of a file's content, extracted now when it is not cached yet."""
    digest = hashlib.sha256(data).hexdigest()
    cached = AttachmentText.objects.filter(sha256=digest).first()
    if cached is None:
        try:
            text = _extract(data, name)[:MAX_TEXT]
            ok, problem = bool(text.strip()), ("" if text.strip() else "文件中没有可提取的文字（可能是扫描图片）")
        except Exception as exc:  # noqa: BLE001 - any parser failure means "not scanned"
            log.info("attachment text extraction failed for %s: %s", name, exc)
            text, ok, problem = "", False, f"无法提取文字：{exc}"[:300] if isinstance(exc, ValueError) else "文件已损坏或格式与扩展名不符，无法提取文字"
        cached, _ = AttachmentText.objects.get_or_create(sha256=digest, defaults={"ok": ok, "text": text,
                                                                                  "problem": problem})
    return cached


def extracted_text(document) -> tuple[bool, str, str] | None:
    """(ok, text, problem) of the document's current file from the cache, or None while it is being extracted.

    Never extracts here: a file with no extraction yet gets one (a background job) and is
    pending. A job that failed is a problem the reviewer sees ("未能扫描", to be confirmed).
    """
    try:
        key = document.get_file_hash()  # set on upload; an older document is hashed once
    except OSError:
        return False, "", "文件无法读取"
    row = DocumentExtraction.objects.filter(document_id=document.pk, file_hash=key).select_related("text").first()
    if row is None:
        row = request_extraction(document, key)
    if row.pending:
        return None
    if row.status == DocumentExtraction.Status.FAILED or row.text is None:
        return False, "", row.error or "无法提取文字"
    return row.text.ok, row.text.text, row.text.problem


def request_extraction(document, file_hash: str) -> DocumentExtraction:
    """The extraction of this version of the document, queued now when there is none yet."""
    row = DocumentExtraction.objects.filter(document_id=document.pk, file_hash=file_hash).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            row = DocumentExtraction.objects.create(document_id=document.pk, file_hash=file_hash)
    except IntegrityError:  # another request queued it at the same moment
        return DocumentExtraction.objects.get(document_id=document.pk, file_hash=file_hash)
    # Handed out at once, not on commit: the document is already saved, and the task finds or
    # makes the row itself, so it does not depend on this transaction. (The immediate engine
    # of the tests runs it here and then.)
    extract_document_text.enqueue(document.pk, file_hash)
    row.refresh_from_db()
    return row


def on_document_saved(sender, instance, created, update_fields=None, **kwargs):
    """A document uploaded or given a new file: extract its text in the background once it is committed."""
    if update_fields is not None and "file" not in update_fields:
        return  # a title, a collection, or Wagtail storing the hash it just computed
    document_id = instance.pk

    def queue():
        document = get_document_model().objects.filter(pk=document_id).first()
        if document is None:
            return
        try:
            request_extraction(document, document.get_file_hash())
        except OSError:
            log.warning("document %s: file unreadable, its text is not extracted", document_id)

    transaction.on_commit(queue)


@task()
def extract_document_text(document_id: int, file_hash: str) -> str:
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return "skipped"
    row, _ = DocumentExtraction.objects.get_or_create(document_id=document_id, file_hash=file_hash)
    if not row.pending:
        return "skipped"
    DocumentExtraction.objects.filter(pk=row.pk).update(status=DocumentExtraction.Status.RUNNING)
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        DocumentExtraction.objects.filter(pk=row.pk).update(
            status=DocumentExtraction.Status.FAILED, error="文件无法读取", finished_at=clock.now())
        return "failed"
    if hashlib.sha1(data).hexdigest() != file_hash:  # noqa: S324 — Wagtail's file hash, not a security use
        DocumentExtraction.objects.filter(pk=row.pk).update(
            status=DocumentExtraction.Status.FAILED, error="文件在提取前已被更换，请刷新页面", finished_at=clock.now())
        return "superseded"
    try:
        text = text_of_bytes(data, document.file.name)  # a file that cannot be parsed is cached as "未能扫描"
    except Exception as exc:  # noqa: BLE001 — shown to the reviewer as a file to read and confirm
        log.exception("text extraction of document %s failed", document_id)
        DocumentExtraction.objects.filter(pk=row.pk).update(
            status=DocumentExtraction.Status.FAILED, finished_at=clock.now(),
            error=f"提取文字时出现内部错误（{type(exc).__name__}），请人工核对附件内容")
        return "failed"
    DocumentExtraction.objects.filter(pk=row.pk).update(status=DocumentExtraction.Status.DONE, text=text, error="",
                                                        finished_at=clock.now())
    return "done"
