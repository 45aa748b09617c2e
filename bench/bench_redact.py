"""Redaction speed: a 100-page text PDF and a 20-page scanned PDF, redacted and verified on one core.

Targets: < 0.2 s/page (text), < 3 s/page (scanned: two OCR passes a page, one to place the
boxes, one to verify). Run: PYTHONPATH=. python bench/bench_redact.py [text_pages] [scan_pages]
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pymupdf  # noqa: E402
from weasyprint import HTML  # noqa: E402

from gongkai.core.redaction import redact  # noqa: E402
from gongkai.law.identifiers import id_number_check_char  # noqa: E402
from gongkai.law.redaction import PatternMark, TextMark  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴"
MARKS = [TextMark("张三"), TextMark("李四"), PatternMark("id_number"), PatternMark("mobile")]


def _id(n: int) -> str:
    first = f"1101051990{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first + id_number_check_char(first)


def text_pdf(pages: int) -> bytes:
    paras = []
    for i in range(pages * 17):
        name = "张三" if i % 3 == 0 else "李四" if i % 3 == 1 else SURNAMES[i % 10] + "某"
        paras.append(f"<p>第{i + 1}号：申请人{name}，身份证号{_id(i)}，联系电话1381234{i % 10000:04d}，"
                     "申请公开本机关2020年度道路养护资金使用情况，本机关依法予以答复，其他内容照常公开。</p>")
    html = "".join(paras)
    doc = HTML(string=f"<html><body style='font-family:Noto Sans CJK SC;font-size:11pt'>{html}</body></html>")
    return doc.write_pdf()


def scanned_pdf(pages: int) -> bytes:
    source = pymupdf.open(stream=text_pdf(pages))
    out = pymupdf.open()
    for page in source.pages(0, pages):
        pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
    return out.tobytes()


def run(label: str, pdf: bytes) -> None:
    result = redact(pdf, MARKS)
    per_page = result.seconds / result.pages
    print(f"{label}: {result.pages} 页, 遮盖 {result.boxes} 处, {result.seconds:.1f} s, {per_page:.3f} s/页, "
          f"核验 {'通过' if result.verdict.ok else '未通过：' + '；'.join(result.verdict.reasons[:3])}")


if __name__ == "__main__":
    text_pages = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    scan_pages = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    started = time.perf_counter()
    pdf = text_pdf(text_pages)
    print(f"生成文字 PDF：{pymupdf.open(stream=pdf).page_count} 页，{time.perf_counter() - started:.1f} s")
    run("文字 PDF", pdf)
    started = time.perf_counter()
    scan = scanned_pdf(scan_pages)
    print(f"生成扫描 PDF：{scan_pages} 页（200 dpi），{time.perf_counter() - started:.1f} s")
    run("扫描 PDF", scan)
