"""Read the words of a page image with Tesseract, with their boxes (TSV output).

Tesseract runs as a subprocess (Debian `tesseract-ocr`, `tesseract-ocr-chi-sim`), one
thread (``OMP_THREAD_LIMIT=1``: the machine's cores belong to the workers, not to one OCR
call). Languages and resolution are settings: ``REDACTION_OCR_LANGS`` (default ``chi_sim``:
its model reads digits and Latin letters too, and on our test pages adding ``+eng`` made
the ID numbers worse and the run slower) and ``REDACTION_OCR_DPI`` (default 200).
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
    line: tuple[int, int, int]  # (block, paragraph, line): words of one line share it


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


def page_words(page: pymupdf.Page, *, resolution: int | None = None) -> list[Word]:
    """Every word Tesseract reads on the rendered page, boxes mapped back to the page."""
    resolution = resolution or dpi()
    pix = page.get_pixmap(dpi=resolution, colorspace=pymupdf.csGRAY, annots=False)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run([_tesseract(), "stdin", "stdout", "-l", languages(), "--psm", "3", "tsv"],
                         input=pix.tobytes("png"), capture_output=True, env=env, timeout=300)
    if run.returncode != 0:
        raise OcrUnavailable(f"文字识别失败：{run.stderr.decode('utf-8', 'replace').strip()[:200]}")
    # Pixel → displayed page → unrotated page (where annotations and text boxes live).
    to_page = pymupdf.Matrix(72 / resolution, 72 / resolution) * page.derotation_matrix
    words = []
    for row in run.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        x, y, w, h = (int(v) for v in cols[6:10])
        rect = pymupdf.Rect(x, y, x + w, y + h) * to_page
        words.append(Word(cols[11].strip(), rect, (int(cols[2]), int(cols[3]), int(cols[4]))))
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
