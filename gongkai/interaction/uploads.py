"""Check a writer's attachment by its content, not only by its name.

Accepted: PDF, JPEG, PNG and DOCX up to `MAX_BYTES`. The type is read from the first
bytes (and, for DOCX, from the ZIP directory); the file name's extension must agree, so
a renamed executable or a ZIP bomb named ".pdf" is refused with a clear message.
"""

from __future__ import annotations

import os
import zipfile

from django.conf import settings

from gongkai.core.domain import DomainError

KINDS = {
    "pdf": ("PDF", (".pdf",)),
    "jpeg": ("JPG 图片", (".jpg", ".jpeg")),
    "png": ("PNG 图片", (".png",)),
    "docx": ("Word 文档（DOCX）", (".docx",)),
}
ACCEPTED_TEXT = "PDF、JPG、PNG、DOCX"


def max_bytes() -> int:
    return int(getattr(settings, "INTERACTION_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


def sniff(head: bytes, fileobj=None) -> str | None:
    """The kind of file these bytes start, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and fileobj is not None:
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
                total = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names and total < 200 * 1024 * 1024:
            return "docx"
    return None


def check_attachment(uploaded) -> str:
    """Return the kind of an acceptable upload; raise DomainError otherwise."""
    name = os.path.basename(getattr(uploaded, "name", "") or "")
    size = getattr(uploaded, "size", 0) or 0
    limit = max_bytes()
    if size == 0:
        raise DomainError(f"附件“{name}”是空文件，请重新选择。")
    if size > limit:
        raise DomainError(
            f"附件“{name}”大小为{size / 1024 / 1024:.1f}MB，超过{limit / 1024 / 1024:.0f}MB的上限，"
            "请压缩或删减后重新选择。"
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    kind = sniff(head, uploaded)
    uploaded.seek(0)
    ext = os.path.splitext(name)[1].lower()
    if kind is None:
        raise DomainError(
            f"附件“{name}”的内容不是 {ACCEPTED_TEXT} 文件（按文件内容识别，而不仅看扩展名）。"
            f"请转换为 {ACCEPTED_TEXT} 格式后重新选择。"
        )
    label, extensions = KINDS[kind]
    if ext not in extensions:
        raise DomainError(
            f"附件“{name}”的内容是{label}，但扩展名是“{ext or '无'}”，两者不一致。"
            f"请把文件名改为以“{extensions[0]}”结尾后重新选择。"
        )
    return kind
