"""Turn an upload into a PDF the redaction engine can work on, refusing what it must not open.

The type is read from the content, never from the name alone: PDF, DOCX, XLSX, PNG and
JPEG. DOCX and XLSX are converted with LibreOffice headless in a private temporary folder
with its own profile and a time limit; before LibreOffice sees a ZIP file every entry is
decompressed here with a byte budget, so a ZIP bomb (or an entry that lies about its size)
is refused instead of filling the disk. Limits are settings (``REDACTION_*``) with the
defaults below, read from the environment when Django is not loaded (the CLI).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile

import pymupdf

from gongkai.core.domain import DomainError

pymupdf.TOOLS.mupdf_display_errors(False)  # damaged files are reported by us, in Chinese

DEFAULTS = {
    "REDACTION_MAX_PAGES": 300,
    "REDACTION_MAX_BYTES": 200 * 1024 * 1024,
    "REDACTION_ZIP_MAX_BYTES": 200 * 1024 * 1024,  # total decompressed size of a DOCX/XLSX
    "REDACTION_ZIP_MAX_RATIO": 100,  # decompressed / compressed, for entries over 1 MB
    "REDACTION_ZIP_MAX_ENTRIES": 10000,
    "REDACTION_IMAGE_MAX_PIXELS": 100_000_000,
    "REDACTION_CONVERT_TIMEOUT": 180,  # seconds LibreOffice may take for one file
}

KINDS = {
    "pdf": ("PDF 文件", (".pdf",)),
    "docx": ("Word 文档（DOCX）", (".docx",)),
    "xlsx": ("Excel 表格（XLSX）", (".xlsx",)),
    "png": ("PNG 图片", (".png",)),
    "jpeg": ("JPG 图片", (".jpg", ".jpeg")),
}
ACCEPTED = "PDF、DOCX、XLSX、PNG、JPG"


class RedactionInputError(DomainError):
    """A file the engine refuses; the message says in Chinese what is wrong and what to do."""


def limit(name: str) -> int:
    """A limit from Django's settings when they are loaded, else from the environment, else the default."""
    from django.conf import settings

    if settings.configured and hasattr(settings, name):
        return int(getattr(settings, name))
    return int(os.environ.get(f"GONGKAI_{name}", DEFAULTS[name]))


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(data: bytes) -> str | None:
    """The kind of file these bytes are (a key of `KINDS`), or None."""
    head = data[:1024]
    if b"%PDF-" in head:  # the header may follow up to 1 KB of junk (ISO 32000-1, 7.5.2 note)
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _check_zip(data: bytes, name: str) -> None:
    """Decompress every entry against a byte budget: a bomb is refused before LibreOffice opens it."""
    budget = limit("REDACTION_ZIP_MAX_BYTES")
    ratio = limit("REDACTION_ZIP_MAX_RATIO")
    bomb = RedactionInputError(
        f"文件“{name}”解压后过大或压缩比异常（可能是“压缩炸弹”），已拒绝处理。"
        f"正常文档解压后不超过{budget // 1024 // 1024}MB；请检查文件来源，或另存后重新上传。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > limit("REDACTION_ZIP_MAX_ENTRIES"):
                raise bomb
            total = 0
            for info in entries:
                if info.file_size > budget or (info.file_size > 1 << 20 and
                                               info.file_size > ratio * max(info.compress_size, 1)):
                    raise bomb
                seen = 0
                with archive.open(info) as member:  # the declared size may lie: count what comes out
                    while chunk := member.read(1 << 20):
                        seen += len(chunk)
                        total += len(chunk)
                        if total > budget or (seen > 1 << 20 and seen > ratio * max(info.compress_size, 1)):
                            raise bomb
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise RedactionInputError(f"文件“{name}”已损坏，无法解压（{type(exc).__name__}）。请重新导出后再上传。") from exc


def _convert_office(data: bytes, kind: str, name: str) -> bytes:
    """DOCX/XLSX → PDF with LibreOffice headless: private folder and profile, a time limit, killed on overrun."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RedactionInputError(
            "服务器未安装 LibreOffice，无法转换 DOCX/XLSX。请管理员安装 libreoffice-writer-nogui 和 "
            "libreoffice-calc-nogui，或先把文件另存为 PDF 后上传。")
    timeout = limit("REDACTION_CONVERT_TIMEOUT")
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        source = os.path.join(tmp, f"input.{kind}")
        with open(source, "wb") as fh:
            fh.write(data)
        command = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", os.path.join(tmp, "out"), source]
        env = {**os.environ, "HOME": tmp}
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RedactionInputError(
                f"文件“{name}”转换为 PDF 超过{timeout}秒仍未完成，已停止。请拆分文件或先另存为 PDF 后上传。") from None
        target = os.path.join(tmp, "out", "input.pdf")
        if proc.returncode != 0 or not os.path.exists(target):
            raise RedactionInputError(f"文件“{name}”无法转换为 PDF（文件可能已损坏）。请用办公软件打开后另存为 PDF 再上传。")
        with open(target, "rb") as fh:
            return fh.read()


def _image_to_pdf(data: bytes, name: str) -> bytes:
    """One page the size of the picture at its own resolution (200 dpi when it names none)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            dpi = img.info.get("dpi") or (200, 200)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RedactionInputError(f"图片“{name}”已损坏，无法读取。请重新扫描或导出后上传。") from exc
    if width * height > limit("REDACTION_IMAGE_MAX_PIXELS"):
        raise RedactionInputError(f"图片“{name}”有{width}×{height}像素，超过处理上限。请降低分辨率（如 300dpi）后重新上传。")
    xdpi, ydpi = (float(d) or 200.0 for d in dpi[:2])
    doc = pymupdf.open()
    page = doc.new_page(width=width * 72 / xdpi, height=height * 72 / ydpi)
    try:
        page.insert_image(page.rect, stream=data)
    except (RuntimeError, ValueError) as exc:
        raise RedactionInputError(f"图片“{name}”已损坏，无法读取。请重新扫描或导出后上传。") from exc
    return doc.tobytes(garbage=3, deflate=True)


def open_pdf(data: bytes, name: str = "文件") -> pymupdf.Document:
    """The PDF, opened; refused when damaged, password-protected, empty or over the page limit."""
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError) as exc:  # pymupdf.FileDataError is a RuntimeError
        raise RedactionInputError(f"“{name}”不是完好的 PDF 文件（已损坏或不完整），请重新导出后上传。") from exc
    if doc.needs_pass:
        raise RedactionInputError(f"“{name}”已加密（设有打开密码），无法处理。请先用密码打开并另存为未加密的 PDF 后上传。")
    if doc.page_count == 0:
        raise RedactionInputError(f"“{name}”不是完好的 PDF 文件（读不出任何页面，可能已损坏），请重新导出后上传。")
    most = limit("REDACTION_MAX_PAGES")
    if doc.page_count > most:
        raise RedactionInputError(f"“{name}”共{doc.page_count}页，超过{most}页的上限。请拆分为每份不超过{most}页后分别处理。")
    return doc


def prepare(data: bytes, filename: str) -> bytes:
    """The upload as a PDF: type sniffed from the content and checked against the name, limits enforced."""
    name = os.path.basename(filename or "") or "文件"
    if not data:
        raise RedactionInputError(f"“{name}”是空文件，请重新选择。")
    most = limit("REDACTION_MAX_BYTES")
    if len(data) > most:
        raise RedactionInputError(f"“{name}”大小为{len(data) / 1024 / 1024:.1f}MB，超过{most // 1024 // 1024}MB的上限，请拆分后上传。")
    kind = sniff(data)
    ext = os.path.splitext(name)[1].lower()
    if kind is None:
        hint = "旧版 Office 文件（DOC/XLS）请另存为 DOCX/XLSX；" if data.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise RedactionInputError(f"“{name}”的内容不是 {ACCEPTED} 文件（按文件内容识别）。{hint}请转换后重新上传。")
    label, extensions = KINDS[kind]
    if ext not in extensions:
        raise RedactionInputError(
            f"“{name}”的内容是{label}，但扩展名是“{ext or '无'}”，两者不一致。请核实文件，改为以“{extensions[0]}”结尾后重新上传。")
    if kind in ("docx", "xlsx"):
        _check_zip(data, name)
        pdf = _convert_office(data, kind, name)
    elif kind in ("png", "jpeg"):
        pdf = _image_to_pdf(data, name)
    else:
        pdf = data
    open_pdf(pdf, name).close()
    return pdf
