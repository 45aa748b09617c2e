"""Refuse an uploaded attachment whose content is not what its extension says."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
LABELS = {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": "Excel（XLSX）"}


def check_content(name: str, head: bytes, data_reader) -> None:
    """Raise ValidationError when a PDF/DOCX/XLSX file is something else inside."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "pdf":
        if not head.lstrip()[:5] == b"%PDF-":
            raise ValidationError(f"文件“{name}”的扩展名是 .pdf，但内容不是 PDF 文件。请上传真正的 PDF 文件，或改正扩展名。")
    elif ext in ZIP_MEMBERS:
        if not head.startswith(b"PK"):
            raise ValidationError(f"文件“{name}”的扩展名是 .{ext}，但内容不是{LABELS[ext]}文件。请用办公软件另存为 .{ext} 后再上传。")
        try:
            with zipfile.ZipFile(io.BytesIO(data_reader())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise ValidationError(f"文件“{name}”已损坏，无法打开。请重新导出后上传。") from None
        if ZIP_MEMBERS[ext] not in names or "[Content_Types].xml" not in names:
            raise ValidationError(f"文件“{name}”的扩展名是 .{ext}，但内容不是{LABELS[ext]}文件。请改正扩展名或重新导出。")


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read"):
            position = upload.tell() if hasattr(upload, "tell") else 0
            upload.seek(0)
            head = upload.read(1024)

            def read_all():
                upload.seek(0)
                return upload.read()

            try:
                check_content(upload.name, head, read_all)
            finally:
                upload.seek(position)
        return upload
