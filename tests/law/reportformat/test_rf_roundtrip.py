"""Render → parse returns every cell, for HTML, DOCX and PDF and both formats."""

from __future__ import annotations

import random
import re
import zipfile

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.law import reportformat as rf
from gongkai.law.reportformat.docxfile import W
from gongkai.law.reportformat.pdfparse import _page_tables_text
from gongkai.law.reportformat.sample import sample_document
from rf_gen import FORMATS

SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture])
seeds = st.integers(0, 2**32 - 1)


def _doc(seed, fmt):
    return sample_document(random.Random(seed), fmt)


def _assert_same(parsed, doc):
    assert parsed.format == doc.format
    assert (parsed.year, parsed.agency) == (doc.year, doc.agency)
    assert parsed.values() == doc.cells
    assert {c.state for c in parsed.cells.values()} == {rf.VALUE}
    assert not [f for f in rf.check(parsed) if f.severity == rf.ERROR]


def _same_prose(parsed, doc):
    for name in ("一", "五", "六"):
        assert re.sub(r"\s", "", parsed.sections[name]) == re.sub(r"\s", "", doc.sections[name])


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=25, **SLOW)
@given(seed=seeds)
def test_html_round_trip(fmt, seed):
    doc = _doc(seed, fmt)
    parsed = rf.parse_html(rf.render_html(doc))
    _assert_same(parsed, doc)
    _same_prose(parsed, doc)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=5, **SLOW)
@given(seed=seeds)
def test_docx_round_trip(fmt, seed, tmp_path_factory):
    doc = _doc(seed, fmt)
    path = tmp_path_factory.mktemp("docx") / "r.docx"
    rf.render_docx(doc, path)
    parsed = rf.parse_file(path)
    _assert_same(parsed, doc)
    _same_prose(parsed, doc)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=3, **SLOW)
@given(seed=seeds)
def test_pdf_round_trip(fmt, seed, tmp_path_factory):
    doc = _doc(seed, fmt)
    path = tmp_path_factory.mktemp("pdf") / "r.pdf"
    rf.render_pdf(doc, path)
    parsed = rf.parse_file(path)
    _assert_same(parsed, doc)
    _same_prose(parsed, doc)


@pytest.fixture(scope="module", params=FORMATS)
def pdf_file(request, tmp_path_factory):
    doc = _doc(7, request.param)
    path = tmp_path_factory.mktemp("pdf") / f"{request.param}.pdf"
    rf.render_pdf(doc, path)
    return doc, path


def test_pdf_ruled_tables_are_read_cell_by_cell(pdf_file):
    """The fallback for PDFs whose text layer does not give the rows: pdfplumber's tables."""
    doc, path = pdf_file
    with pdfplumber.open(path) as pdf:
        text = "\n".join(_page_tables_text(p) for p in pdf.pages)
    assert "\t" in text
    _assert_same(rf.parse_text(text), doc)


def test_pdf_uses_cjk_fonts_for_every_chinese_character(pdf_file):
    _, path = pdf_file
    with pdfplumber.open(path) as pdf:
        fonts = {ch["fontname"] for page in pdf.pages for ch in page.chars
                 if "\u4e00" <= ch["text"] <= "\u9fff"}
    assert fonts and all("CJK" in f for f in fonts), fonts


def test_html_header_cells_are_merged_as_in_the_format():
    html = rf.render_html(_doc(1, rf.GOV2021))
    assert re.search(r'<td class="header" rowspan="3" colspan="3">（本列数据的勾稽关系为：', html)
    assert '<td class="header" colspan="7">申请人情况</td>' in html
    assert '<td class="header" rowspan="2">自然人</td>' in html
    assert '<td class="header" colspan="5">法人或其他组织</td>' in html
    assert '<td class="label" rowspan="22">三、本年度办理结果</td>' in html
    assert '<td class="label" rowspan="8">（三）不予公开</td>' in html
    assert '<td class="label" rowspan="3">（六）其他处理</td>' in html
    assert '<td class="header" colspan="10">行政诉讼</td>' in html
    html19 = rf.render_html(_doc(1, rf.GOV2019))
    assert '<td class="label" rowspan="20">三、本年度办理结果</td>' in html19
    assert '<td class="label" colspan="2">（六）其他处理</td>' in html19
    assert "第二十条第（九）项" in html19 and "第二十条第（九）项" not in html


def test_docx_merges_the_header_cells(tmp_path):
    path = tmp_path / "r.docx"
    rf.render_docx(_doc(1, rf.GOV2021), path)
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    tables = root.findall(f".//{W}tbl")
    assert len(tables) == 3
    first_row = tables[1].find(f"{W}tr")
    spans = [tc.find(f"{W}tcPr/{W}gridSpan") for tc in first_row.findall(f"{W}tc")]
    assert [int(s.get(f"{W}val")) for s in spans] == [3, 7]
    restarts = tables[1].findall(f".//{W}vMerge[@{W}val='restart']")
    # 勾稽 note, 自然人, 总计, 三、本年度办理结果, （三）（四）（五）（六）
    assert len(restarts) == 8
