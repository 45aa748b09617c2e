"""Real files for the release-package tests: a PDF made with WeasyPrint, text read back with pdftotext."""

from __future__ import annotations

import subprocess

THIRD_PARTY = "王五"
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 check digit
KEPT = "优抚资金发放汇总表"


def report_pdf(extra: str = "") -> bytes:
    from weasyprint import HTML

    html = f"""<html><body style="font-family: 'Noto Serif CJK SC', serif; font-size: 14pt">
    <h1>2025年度{KEPT}</h1>
    <p>经办人：{THIRD_PARTY}，身份证号 {ID_NUMBER}，联系地址略。</p>
    <p>本表共列发放对象 12 人，合计金额 36,000 元。{extra}</p>
    <p>复核人：{THIRD_PARTY}</p></body></html>"""
    return HTML(string=html).write_pdf()


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
