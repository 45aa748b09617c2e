"""Read the words of a page image with Tesseract, with their boxes (TSV output).

Tesseract runs as a subprocess (Debian `tesseract-ocr`, `tesseract-ocr-chi-sim`), one
thread (``OMP_THREAD_LIMIT=1``: the machine's cores belong to the workers, not to one OCR
call). Languages and resolution are settings: ``REDACTION_OCR_LANGS`` (default ``chi_sim``:
its model reads digits and Latin letters too, and on our test pages adding ``+eng`` made
the ID numbers worse and the run slower) and ``REDACTION_OCR_DPI`` (default 200). Output is
hOCR with a box for every character, so a box covers the characters it must and no more.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

import pymupdf


class OcrUnavailable(Exception):
    """Tesseract (or its Chinese model) is not installed."""


@dataclass(frozen=True)
class Word:
    text: str
    rect: pymupdf.Rect  # in the page's coordinates (points)
    line: str  # words of one line share it
    chars: tuple[tuple[str, pymupdf.Rect], ...]  # each character with its own box


def _setting(name: str, default: str) -> str:
    from django.conf import settings

    if settings.configured and hasattr(settings, name):
        return str(getattr(settings, name))
    return os.environ.get(f"GONGKAI_{name}", default)


def languages() -> str:
    return _setting("REDACTION_OCR_LANGS", "chi_sim")


def dpi() -> int:
    return int(_setting("REDACTION_OCR_DPI", "200"))


def _tesseract() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise OcrUnavailable("服务器未安装 Tesseract，无法识别图像中的文字。请管理员安装 tesseract-ocr 和 tesseract-ocr-chi-sim。")
    return exe


def _images_only(page: pymupdf.Page) -> pymupdf.Page:
    """A copy of the page with its text and drawings removed: what the pictures themselves hold.

    A black box drawn over a scan hides nothing from a reader who deletes the box, so the
    check reads the pixels under it; and black boxes and labels confuse Tesseract's layout
    analysis (whole lines go unread), so the redaction's own boxes must not be in the way.
    """
    copy = pymupdf.open()
    copy.insert_pdf(page.parent, from_page=page.number, to_page=page.number)
    only = copy[0]
    only.add_redact_annot(only.rect, fill=False)
    only.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                          graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED, text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    return only


def _box(title: str, key: str) -> tuple[int, ...]:
    for part in title.split(";"):
        words = part.split()
        if words and words[0] == key:
            return tuple(int(v) for v in words[1:5])
    return ()


def page_words(page: pymupdf.Page, *, resolution: int | None = None, images_only: bool = True) -> list[Word]:
    """Every word Tesseract reads on the rendered page (by default its pictures only), boxes mapped back to the page.

    Page segmentation mode 6 (one block of text): mode 3's layout analysis dropped whole lines
    of a short scan as "empty page" in our tests.
    """
    from lxml import etree

    resolution = resolution or dpi()
    source = _images_only(page) if images_only else page
    pix = source.get_pixmap(dpi=resolution, colorspace=pymupdf.csGRAY, annots=False)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run([_tesseract(), "stdin", "stdout", "-l", languages(), "--psm", "6",
                          "-c", "hocr_char_boxes=1", "hocr"],
                         input=pix.tobytes("png"), capture_output=True, env=env, timeout=300)
    if run.returncode != 0:
        raise OcrUnavailable(f"文字识别失败：{run.stderr.decode('utf-8', 'replace').strip()[:200]}")
    # Pixel → displayed page → unrotated page (where annotations and text boxes live).
    to_page = pymupdf.Matrix(72 / resolution, 72 / resolution) * page.derotation_matrix
    words = []
    root = etree.fromstring(run.stdout, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    for element in root.iter("{*}span"):
        if element.get("class") != "ocrx_word":
            continue
        line = element.getparent().get("id", "") if element.getparent() is not None else ""
        chars = []
        for info in element:
            box = _box(info.get("title", ""), "x_bboxes")
            text = (info.text or "").strip()
            if len(box) == 4 and text:
                chars.append((text, pymupdf.Rect(*box) * to_page))
        text = "".join(c for c, _ in chars) or "".join(element.itertext()).strip()
        box = _box(element.get("title", ""), "bbox")
        if text and len(box) == 4:
            rect = pymupdf.Rect(*box) * to_page
            words.append(Word(text, rect, line, tuple(chars) or ((text, rect),)))
    return words


def page_text(page: pymupdf.Page) -> str:
    """The page's OCR text, one line per line read."""
    lines: list[str] = []
    last = None
    for word in page_words(page):
        if word.line != last:
            lines.append("")
            last = word.line
        lines[-1] += (" " if lines[-1] else "") + word.text
    return "\n".join(lines)
