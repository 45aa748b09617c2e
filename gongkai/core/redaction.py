"""Verified redaction of files for 部分公开 (《条例》第三十七条): remove what is marked, then prove it is gone.

A black rectangle drawn over live text is not a redaction: the text can be copied out from
under it. Here every marked stretch becomes a redaction annotation that MuPDF *applies*:
the characters are deleted from the content stream, image pixels under the box are
blanked and vector paths touching it removed; the box is then painted black with a white
label of its legal basis. Everything that can carry text outside the page contents —
metadata, XMP, annotations, form fields, embedded files, bookmarks, JavaScript, the
structure tree, hidden layers (made visible first, so what they hid is searched too) and
invisible OCR text — is removed, fonts are re-subset to the glyphs still used, and the
file is written afresh (``garbage=4``) so no old object survives. Scanned pages are read
with Tesseract to place boxes over the pixels. Finally :func:`check` reads the output back
(text layer, OCR of every page that shows images, document properties) and the law's
:func:`gongkai.law.redaction.verdict` says whether anything marked survived.

Public API: ``prepare``, ``redact``, ``check``, ``RedactionInputError``; long runs report
``progress(done, total)`` so a queued job can show it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import pymupdf

from gongkai.core import ocr
from gongkai.core.redaction_input import RedactionInputError, limit, open_pdf, prepare
from gongkai.law.redaction import BASIS_INFO, RegionMark, PageText, Verdict, find_marks, verdict

__all__ = ["RedactionInputError", "Result", "check", "prepare", "redact"]

Progress = Callable[[int, int], None] | None

# Catalog and page entries that carry content outside the page's visible text.
_CATALOG_KEYS = ("OCProperties", "StructTreeRoot", "MarkInfo", "PieceInfo", "Names", "AcroForm",
                 "OpenAction", "AA", "Metadata", "Outlines", "Threads", "SpiderInfo", "Perms", "Collection")
_PAGE_KEYS = ("AA", "PieceInfo", "Thumb", "Metadata", "B")
_MIN_IMAGE_SIDE = 20  # points: smaller images (rules, bullets, spacers) hold no readable text
_DRAWN_ONLY = 200  # a page with no text but this many drawn paths may be text turned into outlines

_font: pymupdf.Font | None = None
_layout_checked = False


def _check_engine() -> None:
    """Refuse to run on a MuPDF whose redaction moves the text after a box (MuPDF 1.28 drops the
    advance of the first removed glyph, so every later character on the line slides left)."""
    global _layout_checked
    if _layout_checked:
        return
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 100), "ABCDEFGH", fontname="helv", fontsize=12)
    doc = pymupdf.open(stream=doc.tobytes())
    page = doc[0]
    before = page.search_for("FGH")[0]
    page.add_redact_annot(page.search_for("CDE")[0])
    page.apply_redactions()
    after = page.search_for("FGH")
    if not after or abs(after[0].x0 - before.x0) > 0.5:
        raise RuntimeError(f"MuPDF {pymupdf.mupdf_version} 遮盖后会移动其后的文字，不能用于遮盖。"
                           "请安装 pyproject.toml 中指定版本的 PyMuPDF。")
    _layout_checked = True


def _label_font() -> pymupdf.Font:
    """MuPDF's built-in CJK font (Droid Sans Fallback): always there, embedded and subset on save."""
    global _font
    if _font is None:
        _font = pymupdf.Font("cjk")
    return _font


@dataclass(frozen=True)
class Result:
    pdf: bytes
    verdict: Verdict
    pages: int
    seconds: float
    boxes: int  # redaction boxes applied


# ---------------------------------------------------------------------------------------
# Reading a page: characters with boxes, from the text layer or OCR


def _text_chars(page: pymupdf.Page) -> list[tuple[str, pymupdf.Rect, int]]:
    """(character, box, line number) of the page's text in reading order, a newline after each line."""
    chars: list[tuple[str, pymupdf.Rect, int]] = []
    line_no = 0
    flags = pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE  # no clip to the media box
    for block in page.get_text("rawdict", flags=flags)["blocks"]:
        for line in block.get("lines", ()):
            line_no += 1
            for span in line["spans"]:
                for ch in span["chars"]:
                    chars.append((ch["c"], pymupdf.Rect(ch["bbox"]), line_no))
            chars.append(("\n", pymupdf.Rect(), line_no))
    return chars


def _ocr_chars(page: pymupdf.Page) -> list[tuple[str, pymupdf.Rect, int]]:
    """The same from Tesseract's characters (of the page's pictures), a space between words."""
    chars: list[tuple[str, pymupdf.Rect, int]] = []
    lines: dict[str, int] = {}
    for word in ocr.page_words(page):
        line_no = lines.setdefault(word.line, len(lines) + 1)
        if chars and chars[-1][2] != line_no:
            chars.append(("\n", pymupdf.Rect(), chars[-1][2]))
        elif chars:
            chars.append((" ", pymupdf.Rect(), line_no))
        for text, rect in word.chars:
            # a character's box spans its word's height: OCR boxes are approximate
            chars += [(ch, pymupdf.Rect(rect.x0, word.rect.y0, rect.x1, word.rect.y1), line_no) for ch in text]
    return chars


def _needs_ocr(page: pymupdf.Page) -> bool:
    """Whether the page shows something only OCR can read: an image, or many paths and no text."""
    log = page.get_bboxlog()
    for kind, box in log:
        r = pymupdf.Rect(box)
        if kind.startswith("fill-im") and r.width >= _MIN_IMAGE_SIDE and r.height >= _MIN_IMAGE_SIDE:
            return True
    has_text = any(kind.endswith("-text") for kind, _ in log)
    return not has_text and sum(kind.endswith("-path") for kind, _ in log) >= _DRAWN_ONLY


def _neighbour(chars, index: int, step: int, line_no: int) -> pymupdf.Rect | None:
    while 0 <= index < len(chars):
        c, rect, line = chars[index]
        if line != line_no:
            return None
        if not c.isspace() and not rect.is_empty:
            return rect
        index += step
    return None


def _boxes(chars, marks, pad: float, *, fill_gaps: bool = False) -> list[tuple[pymupdf.Rect, str]]:
    """One box per line of every marked stretch, with the basis of its mark.

    `fill_gaps` (OCR): a box reaches to the characters on either side, since OCR boxes are
    approximate and a sliver of a character left standing can still be read.
    """
    text = "".join(c for c, _, _ in chars)
    out = []
    for span in find_marks(text, marks):
        per_line: dict[int, pymupdf.Rect] = {}
        for c, rect, line_no in chars[span.start:span.end]:
            if c.isspace() or rect.is_empty:
                continue
            per_line[line_no] = per_line[line_no] | rect if line_no in per_line else pymupdf.Rect(rect)
        for line_no, r in per_line.items():
            r = r + (-pad, -pad, pad, pad)
            if fill_gaps:
                left = _neighbour(chars, span.start - 1, -1, line_no)
                right = _neighbour(chars, span.end, 1, line_no)
                grow = 0.15 * r.height  # but never past the middle of a neighbour
                r.x0 = max(min(r.x0 - grow, left.x1) if left else r.x0 - grow, (left.x0 + left.x1) / 2 if left else -1e9)
                r.x1 = min(max(r.x1 + grow, right.x0) if right else r.x1 + grow, (right.x0 + right.x1) / 2 if right else 1e9)
            out.append((r, span.basis))
    return out


# ---------------------------------------------------------------------------------------
# Cleaning


def _strip_document(doc: pymupdf.Document) -> None:
    """Remove what carries content beside the pages; hidden layers become visible so they are searched."""
    catalog = doc.pdf_catalog()
    for key in _CATALOG_KEYS:
        doc.xref_set_key(catalog, key, "null")
    doc.scrub(attached_files=True, clean_pages=True, embedded_files=True, hidden_text=True, javascript=True,
              metadata=True, redactions=False, remove_links=True, reset_fields=True, reset_responses=True,
              thumbnails=True, xml_metadata=True)
    for name in doc.embfile_names():
        doc.embfile_del(name)
    doc.set_metadata({})
    doc.del_xml_metadata()
    for page in doc:
        for widget in list(page.widgets()):
            page.delete_widget(widget)
        for annot in list(page.annots()):
            page.delete_annot(annot)
        for key in _PAGE_KEYS:
            doc.xref_set_key(page.xref, key, "null")
        doc.xref_set_key(page.xref, "Annots", "null")


def _draw_labels(page: pymupdf.Page, boxes) -> None:
    """White label of the legal basis in each black box: the full label if it fits, else the article."""
    font = _label_font()
    writer = pymupdf.TextWriter(page.rect, color=(1, 1, 1))
    wrote = False
    for rect, basis in boxes:
        info = BASIS_INFO[basis]
        for label in (info.label, info.article):
            size = min(rect.height * 0.7, (rect.width - 1) / max(font.text_length(label, fontsize=1), 0.01))
            if size >= 4:
                break
        if size < 2.5:
            continue  # too small to print anything legible; the box itself still stands
        width = font.text_length(label, fontsize=size)
        origin = pymupdf.Point(rect.x0 + (rect.width - width) / 2, rect.y0 + (rect.height + size * 0.75) / 2)
        writer.append(origin, label, font=font, fontsize=size)
        wrote = True
    if wrote:
        writer.write_text(page)


# ---------------------------------------------------------------------------------------
# The engine


def redact(pdf: bytes, marks, *, progress: Progress = None, allowed=()) -> Result:
    """Remove every marked stretch (text marks, personal-data patterns, regions) and check the output.

    `allowed` are personal-data values staff confirmed may stay (passed to the check).
    Progress counts every page twice: once redacted, once checked.
    """
    started = time.perf_counter()
    _check_engine()
    marks = list(marks)
    doc = open_pdf(pdf)
    total = doc.page_count * 2
    for mark in marks:
        if isinstance(mark, RegionMark) and mark.page > doc.page_count:
            raise RedactionInputError(f"遮盖区域位于第{mark.page}页，但文件只有{doc.page_count}页。请核对页码。")
    _strip_document(doc)
    count = 0
    for index, page in enumerate(doc):
        try:
            boxes = _boxes(_text_chars(page), marks, pad=0.0)
            if _needs_ocr(page):
                try:
                    boxes += _boxes(_ocr_chars(page), marks, pad=2.0, fill_gaps=True)
                except ocr.OcrUnavailable:
                    pass  # the check cannot read the page either and reports it unverified
        except RuntimeError as exc:
            raise RedactionInputError(f"第{index + 1}页无法读取（文件可能已损坏）：{exc}") from exc
        boxes += [(pymupdf.Rect(m.x0, m.y0, m.x1, m.y1) * page.derotation_matrix, m.basis)
                  for m in marks if isinstance(m, RegionMark) and m.page == index + 1]
        for rect, _basis in boxes:
            page.add_redact_annot(rect, fill=(0, 0, 0), cross_out=False)
        if boxes:
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                                  graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                                  text=pymupdf.PDF_REDACT_TEXT_REMOVE)
            _draw_labels(page, boxes)
        count += len(boxes)
        if progress:
            progress(index + 1, total)
    try:
        doc.subset_fonts()  # glyphs of removed characters leave the embedded fonts
    except (RuntimeError, ValueError):
        pass  # a font MuPDF cannot subset stays as it was; the check still reads the output
    out = doc.tobytes(garbage=4, deflate=True, clean=True, encryption=pymupdf.PDF_ENCRYPT_NONE)
    pages = doc.page_count
    doc.close()
    offset = pages
    result_verdict = check(out, marks, allowed=allowed,
                           progress=(lambda done, _t: progress(offset + done, total)) if progress else None)
    return Result(out, result_verdict, pages, time.perf_counter() - started, count)


def _document_text(doc: pymupdf.Document) -> str:
    """Text a reader can see without opening a page: properties, XMP, bookmarks, attachments, annotations, fields."""
    parts = [str(v) for v in (doc.metadata or {}).values() if v]
    parts.append(doc.get_xml_metadata() or "")
    parts += [entry[1] for entry in doc.get_toc()]
    parts += doc.embfile_names()
    for page in doc:
        for annot in page.annots():
            parts += [v for v in annot.info.values() if isinstance(v, str)]
        for widget in page.widgets():
            parts.append(str(widget.field_value or ""))
        parts += [link.get("uri", "") for link in page.get_links()]
    return "\n".join(p for p in parts if p)


def _ocr_text(page: pymupdf.Page) -> str | None:
    try:
        return ocr.page_text(page)
    except ocr.OcrUnavailable:
        return None  # the page counts as unverified


def check(pdf: bytes, marks, *, allowed=(), progress: Progress = None) -> Verdict:
    """Read a PDF back as a person could (text layer, OCR of pages showing images, properties) and judge it."""
    marks = list(marks)
    doc = open_pdf(pdf)
    pages = [PageText(0, _document_text(doc))]
    total = doc.page_count
    for index, page in enumerate(doc):
        flags = pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE
        try:
            text = page.get_text("text", flags=flags)
            regions = tuple(page.get_text("text", clip=pymupdf.Rect(m.x0, m.y0, m.x1, m.y1) * page.derotation_matrix)
                            for m in marks if isinstance(m, RegionMark) and m.page == index + 1)
            images = _needs_ocr(page)
            ocr_text = _ocr_text(page) if images else None
        except RuntimeError as exc:
            raise RedactionInputError(f"第{index + 1}页无法读取（文件可能已损坏）：{exc}") from exc
        pages.append(PageText(index + 1, text, images, ocr_text, regions))
        if progress:
            progress(index + 1, total)
    doc.close()
    return verdict(pages, marks, allowed=allowed)


def max_pages() -> int:
    return limit("REDACTION_MAX_PAGES")
