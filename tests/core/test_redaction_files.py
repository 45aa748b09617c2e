"""Redaction of real files: what is marked is gone from the text, the raw streams and the properties; the rest stays.

Every input is made here (WeasyPrint, python-docx, openpyxl, PyMuPDF). "Gone" is checked three
ways a reader could try: `pdftotext`, every decompressed stream and object of the file, and
the document's properties. Each raw-stream assertion is preceded by the same search on the
input, so the search is shown to find what it looks for.
"""

from __future__ import annotations

import io
import subprocess
import zipfile

import docx
import openpyxl
import pymupdf
import pytest
from weasyprint import HTML

from gongkai.core.redaction import RedactionInputError, check, prepare, redact
from gongkai.law.identifiers import id_number_check_char
from gongkai.law.redaction import PatternMark, RegionMark, TextMark

ID17 = "11010519900307123"
ID = ID17 + id_number_check_char(ID17)
MOBILE = "13812345678"
MARKS = [TextMark("张三"), PatternMark("id_number"), PatternMark("mobile")]
KEPT = ["申请人", "身份证号", "联系电话", "其他内容照常公开"]
SENTENCE = f"申请人张三，身份证号{ID}，联系电话{MOBILE}。"


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def raw_contains(pdf: bytes, needle: str) -> bool:
    """Whether any object or decompressed stream of the file holds the string (UTF-8, UTF-16BE, or hex of it)."""
    forms = {needle.encode(), needle.encode("utf-16-be")}
    for raw in (needle.encode(), needle.encode("utf-16-be")):  # also as <hex> strings
        forms |= {raw.hex().encode(), raw.hex().upper().encode()}
    doc = pymupdf.open(stream=pdf)
    chunks = [doc.xref_get_key(-1, key)[1].encode() for key in doc.xref_get_keys(-1)]
    for xref in range(1, doc.xref_length()):
        chunks.append(doc.xref_object(xref, compressed=False).encode("utf-8", "replace"))
        if doc.xref_is_stream(xref):
            chunks.append(doc.xref_stream(xref) or b"")
    chunks.append(pdf)
    return any(form in chunk for chunk in chunks for form in forms)


def weasy_pdf(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(string=f"<html><body style='font-family:Noto Sans CJK SC'>{body}</body></html>").write_pdf()


def assert_redacted(out: bytes, *, gone=("张三", ID, MOBILE), kept=KEPT):
    text = pdftotext(out)
    for needle in gone:
        assert needle not in text.replace(" ", "").replace("\n", "")
        assert not raw_contains(out, needle)
    meta = pymupdf.open(stream=out).metadata
    assert not any(needle in str(v) for v in meta.values() for needle in gone)
    for word in kept:
        assert word in text, f"{word} was removed too (over-redaction)"
    assert "第十五条" in text  # the boxes say why


def test_text_pdf_marked_text_and_personal_data_are_removed_and_labelled():
    pdf = prepare(weasy_pdf(SENTENCE, "其他内容照常公开。", "另一行写到张", "三。"), "申请.pdf")
    steps = []
    result = redact(pdf, MARKS, progress=lambda done, total: steps.append((done, total)))
    assert result.verdict.ok, result.verdict.reasons
    assert result.pages == 1 and result.boxes == 5  # 张三 twice (once across paragraphs: two boxes), ID, phone
    assert steps == [(1, 2), (2, 2)]
    assert_redacted(result.pdf)
    assert "第十五条 个人隐私" in pdftotext(result.pdf)


def test_text_after_a_box_keeps_its_place():
    """MuPDF 1.28 slid the rest of the line left by one glyph after each box; the engine refuses such a MuPDF."""
    pdf = weasy_pdf(SENTENCE)
    before = pymupdf.open(stream=pdf)[0].search_for("联系电话")[0]
    after = pymupdf.open(stream=redact(pdf, MARKS).pdf)[0].search_for("联系电话")[0]
    assert abs(after.x0 - before.x0) < 0.5


def test_a_black_box_over_live_text_fails_the_check_and_redact_fixes_it():
    doc = pymupdf.open(stream=weasy_pdf(SENTENCE))
    page = doc[0]
    for rect in page.search_for("张三"):
        page.draw_rect(rect, color=None, fill=(0, 0, 0))  # what peers shipped: a box drawn on top
    fake = doc.tobytes()
    assert "张三" in pdftotext(fake)
    bad = check(fake, [TextMark("张三")])
    assert not bad.ok
    assert [(s.page, s.source, s.text) for s in bad.survivors][0] == (1, "文字层", "张三")
    assert "第1页（文字层）仍有标记内容“张三”" in bad.summary()
    assert redact(fake, MARKS).verdict.ok


def planted_pdf() -> bytes:
    """A page with 张三 in the text and in every hiding place beside it."""
    doc = pymupdf.open(stream=weasy_pdf(SENTENCE, "其他内容照常公开。"))
    page = doc[0]
    page.insert_text((50, 700), f"ID {ID}", fontname="helv", fontsize=10)  # plain bytes in the content stream
    hidden = doc.add_ocg("hidden", on=False)
    page.insert_text((50, 720), "13900001111", fontname="helv", fontsize=10, oc=hidden)
    doc.set_metadata({"author": "张三", "title": f"张三 {MOBILE}", "subject": ID})
    doc.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc>张三 {ID}</dc></x:xmpmeta>")
    page.add_text_annot((300, 300), f"批注：张三 {MOBILE}")
    doc.embfile_add("secret.txt", f"张三 {ID}".encode(), filename="secret.txt")
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "applicant"
    widget.field_value = f"张三 {ID}"
    widget.rect = pymupdf.Rect(50, 740, 300, 760)
    page.add_widget(widget)
    doc.set_toc([[1, "张三的申请", 1]])
    return doc.tobytes()


def test_metadata_annotations_attachments_fields_and_hidden_layers_are_gone():
    pdf = planted_pdf()
    for needle in (ID, MOBILE, "13900001111"):
        assert raw_contains(pdf, needle)
    src = pymupdf.open(stream=pdf)
    assert src.embfile_count() == 1 and list(src[0].annots()) and list(src[0].widgets()) and src.get_toc()
    assert not check(pdf, [TextMark("张三")]).ok
    result = redact(pdf, MARKS)
    assert result.verdict.ok, result.verdict.reasons
    assert_redacted(result.pdf, gone=("张三", ID, MOBILE, "13900001111"), kept=["申请人", "其他内容照常公开"])
    out = pymupdf.open(stream=result.pdf)
    assert out.embfile_count() == 0
    assert not list(out[0].annots()) and not list(out[0].widgets())
    assert not out.get_toc() and not out.get_xml_metadata()
    assert not out.get_ocgs()
    assert not any(out.metadata.get(k) for k in ("author", "title", "subject", "keywords", "creator", "producer"))
    assert not out.is_encrypted


def test_docx_is_converted_and_redacted_tables_included():
    document = docx.Document()
    document.add_paragraph(SENTENCE)
    document.add_paragraph("其他内容照常公开。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "联系人"
    table.cell(0, 1).text = "张三"
    document.core_properties.author = "张三"
    buf = io.BytesIO()
    document.save(buf)
    pdf = prepare(buf.getvalue(), "申请.docx")
    assert "张三" in pdftotext(pdf) and "联系人" in pdftotext(pdf)
    result = redact(pdf, MARKS)
    assert result.verdict.ok, result.verdict.reasons
    assert_redacted(result.pdf, kept=KEPT + ["联系人"])


def test_xlsx_is_converted_and_redacted():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["申请人", "身份证号", "联系电话", "备注"])
    sheet.append(["张三", ID, MOBILE, "其他内容照常公开"])
    for column in "ABCD":
        sheet.column_dimensions[column].width = 24
    buf = io.BytesIO()
    book.save(buf)
    pdf = prepare(buf.getvalue(), "名单.xlsx")
    assert ID in pdftotext(pdf)
    result = redact(pdf, MARKS)
    assert result.verdict.ok, result.verdict.reasons
    assert_redacted(result.pdf)


def scanned_pdf(*lines: str) -> bytes:
    """A page of large text rasterised at 200 dpi into an image-only PDF (what a scanner gives)."""
    html = "".join(f"<p>{line}</p>" for line in lines)
    source = pymupdf.open(stream=HTML(string=(
        "<html><head><style>@page{size:150mm 60mm;margin:8mm}</style></head>"
        f"<body style='font-family:Noto Sans CJK SC;font-size:16pt'>{html}</body></html>")).write_pdf())
    out = pymupdf.open()
    for page in source:
        pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
    return out.tobytes()


def test_scanned_page_is_read_by_ocr_and_its_pixels_are_redacted():
    pdf = scanned_pdf("申请人张三，其他内容照常公开。", f"电话{MOBILE}")
    assert pdftotext(pdf).strip() == ""  # no text layer: only OCR can read it
    before = check(pdf, MARKS)
    assert [s.source for s in before.survivors] == ["图像识别", "图像识别"]  # the check reads the scan
    result = redact(pdf, MARKS)
    assert result.verdict.ok, result.verdict.reasons
    assert result.boxes == 2
    ocr_after = check(result.pdf, [TextMark("其他内容照常公开")])
    assert not ocr_after.ok  # the rest of the scan is still readable (not over-redacted)


def test_image_page_that_ocr_cannot_read_is_reported_unverified():
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 200), False)
    pix.clear_with(170)  # a grey photograph: an image, but nothing to read
    pdf = prepare(pix.tobytes("png"), "照片.png")
    verdict = check(pdf, MARKS)
    assert not verdict.ok and verdict.unverified_pages == (1,)
    assert "未能核验" in verdict.summary()


def test_region_mark_removes_what_is_inside_the_rectangle():
    pdf = weasy_pdf(SENTENCE, "内部讨论意见：同意。", "其他内容照常公开。")
    rect = pymupdf.open(stream=pdf)[0].search_for("内部讨论意见：同意。")[0]
    mark = RegionMark(1, rect.x0, rect.y0, rect.x1, rect.y1, "process")
    result = redact(pdf, [mark])
    text = pdftotext(result.pdf)
    assert "内部讨论意见" not in text and "第十六条" in text and "其他内容照常公开" in text
    assert result.verdict.survivors[0].what == "身份证号"  # not marked, so the check still flags it
    assert check(result.pdf, [mark], allowed=[ID, MOBILE]).ok


# -- bad input -------------------------------------------------------------------------


def refused(data: bytes, name: str, message: str):
    with pytest.raises(RedactionInputError, match=message):
        prepare(data, name)


def test_content_must_match_the_extension():
    refused(weasy_pdf("正文"), "申请.docx", "内容是PDF 文件，但扩展名是“.docx”")
    refused(b"\x89PNG\r\n\x1a\n" + b"0" * 64, "扫描.pdf", "内容是PNG 图片")
    refused(b"MZ\x90\x00 not a document", "申请.pdf", "内容不是 PDF、DOCX、XLSX、PNG、JPG 文件")


def test_encrypted_and_damaged_pdfs_are_refused():
    doc = pymupdf.open(stream=weasy_pdf("正文"))
    locked = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    refused(locked, "加密.pdf", "已加密（设有打开密码）")
    refused(b"%PDF-1.7\n1 0 obj broken", "坏.pdf", "不是完好的 PDF 文件")


def test_too_many_pages_are_refused():
    doc = pymupdf.open()
    for _ in range(500):
        doc.new_page()
    refused(doc.tobytes(), "扫描件.pdf", "共500页，超过300页的上限")


def test_zip_bomb_docx_is_refused_before_libreoffice():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/bomb.bin", b"\0" * (50 * 1024 * 1024))
    assert len(buf.getvalue()) < 200 * 1024
    refused(buf.getvalue(), "炸弹.docx", "压缩炸弹")


def test_page_limit_is_a_setting(settings):
    settings.REDACTION_MAX_PAGES = 2
    doc = pymupdf.open()
    for _ in range(3):
        doc.new_page()
    refused(doc.tobytes(), "三页.pdf", "超过2页的上限")
