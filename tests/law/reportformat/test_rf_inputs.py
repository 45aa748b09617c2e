"""Reports as found in the wild (Markdown, PDF text, run-together cells, GBK) and bad files."""

from __future__ import annotations

import os
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.law import reportformat as rf
from gongkai.law.reportformat.sample import sample_document
from rf_gen import FORMATS, run_together, to_markdown, to_pdf_text, tsv_text

FAST = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])
seeds = st.integers(0, 2**32 - 1)


def _same_cells(parsed, doc):
    assert parsed.format == doc.format and parsed.year == doc.year
    assert parsed.values() == doc.cells


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=20, **FAST)
@given(seed=seeds)
def test_markdown_tables(fmt, seed):
    doc = sample_document(random.Random(seed), fmt)
    _same_cells(rf.parse_text(to_markdown(tsv_text(doc))), doc)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=30, **FAST)
@given(seed=seeds)
def test_pdf_text_with_broken_labels_and_page_footers(fmt, seed):
    doc = sample_document(random.Random(seed), fmt)
    text = to_pdf_text(tsv_text(doc), random.Random(seed))
    _same_cells(rf.parse_text(text), doc)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=15, **FAST)
@given(seed=seeds)
def test_run_together_cells_are_never_guessed(fmt, seed):
    """Digits glued together: each cell is decoded right or reported ambiguous, never wrong."""
    doc = sample_document(random.Random(seed), fmt)
    parsed = rf.parse_text(run_together(tsv_text(doc), random.Random(seed)))
    assert parsed.format == doc.format
    for key, cell in parsed.cells.items():
        if cell.state == rf.VALUE:
            assert cell.value == doc.cells[key], key
        else:
            assert cell.state == rf.AMBIGUOUS, (key, cell)
            if cell.candidates:
                assert doc.cells[key] in cell.candidates


def test_gbk_and_gb18030_files_are_read(examples_dir, tmp_path):
    text = (examples_dir / "000_b768d046f022759b.txt").read_text(encoding="utf-8")
    want = rf.parse_text(text).values()
    for enc in ("gbk", "gb18030"):
        path = tmp_path / f"{enc}.txt"
        path.write_bytes(text.encode(enc))
        got = rf.parse_file(path)
        assert (got.agency, got.year, got.values()) == ("洛阳市退役军人事务局", 2020, want)


def test_a_pre_2019_report_is_refused_as_unsupported():
    text = ("某某市民政局2018年政府信息公开工作年度报告\n一、概述\n2018年，我局……\n"
            "二、主动公开政府信息的情况\n全年主动公开信息 120 条。\n")
    parsed = rf.parse_text(text)
    assert parsed.format == rf.UNSUPPORTED and parsed.year == 2018
    assert "2019" in parsed.reason and rf.report_json(parsed)["cells"] == {}


def _error(path):
    with pytest.raises(rf.ReportError) as exc:
        rf.parse_file(path)
    return str(exc.value)


def test_bad_files_give_one_clear_message(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert "为空" in _error(empty)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n ")
    assert "为空" in _error(blank)
    garbage = tmp_path / "garbage.bin"
    rng = random.Random(1)
    garbage.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    assert "二进制" in _error(garbage)
    fake = tmp_path / "fake.docx"
    fake.write_text("这不是 Word 文件", encoding="utf-8")
    assert "DOCX" in _error(fake)
    zipped = tmp_path / "zip.docx"
    import zipfile
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("hello.txt", "x")
    assert "DOCX" in _error(zipped)
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n garbage garbage")
    assert "PDF" in _error(broken_pdf)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Rapport annuel: café naïve déjà vu élève. ".encode("latin-1") * 20)
    assert "编码" in _error(latin)
    assert "不存在" in _error(tmp_path / "nope.txt")


def test_a_scanned_pdf_is_named_as_such(tmp_path):
    from weasyprint import HTML

    path = tmp_path / "scan.pdf"
    HTML(string='<div style="width:300px;height:400px;background:#333"></div>').write_pdf(path)
    assert _error(path) == "扫描件，无文本层 (scanned, no text layer)"


def test_a_huge_file_is_refused_by_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: no 300 MB written
    read = []
    monkeypatch.setattr(type(path), "read_bytes", lambda self: read.append(self) or b"")
    message = _error(path)
    assert "300 MB" in message and "50 MB" in message and read == []


@settings(max_examples=150, **FAST)
@given(text=st.text(alphabet=st.sampled_from(list("0123456789 \t\n|-.总计其他一二三四五六七、（）()"
                                                     "本年新收政府信息公开申请数量结转行政复议诉讼规章"
                                                     "2021年度报告第二十条项予以部分")), max_size=3000))
def test_fuzz_text_parser_never_crashes(text):
    def once():
        start = time.perf_counter()
        parsed = rf.parse_text(text)
        rf.check(parsed)
        rf.report_json(parsed)
        return time.perf_counter() - start

    assert once() < 1.0 or once() < 1.0  # timed twice: a busy CI machine is not a hang


HTML_PIECES = list("<>/tdrabl =\"'1234567890表总计自然人&;") + [
    "<td>", "</td>", "<tr>", "</tr>", "<table>", "</table>", "<p>", "<br>", " rowspan=2",
    "<span>", "</span>", "<!--", "-->", "&nbsp;", "一、本年新收政府信息公开申请数量", "<script>"]


@settings(max_examples=100, **FAST)
@given(html=st.lists(st.sampled_from(HTML_PIECES), max_size=400).map("".join))
def test_fuzz_html_parser_never_crashes(html):
    try:
        parsed = rf.parse_html(html)
    except rf.ReportError:
        return
    rf.check(parsed)


@settings(max_examples=40, **FAST)
@given(seed=seeds, cuts=st.lists(st.tuples(st.integers(0, 40000), st.integers(0, 400)),
                                 max_size=8))
def test_fuzz_damaged_reports_never_crash(seed, cuts):
    """A real-looking report with pieces cut out still parses; what is left is not invented."""
    doc = sample_document(random.Random(seed))
    text = tsv_text(doc)
    for pos, length in cuts:
        pos %= max(len(text), 1)
        text = text[:pos] + text[pos + length:]
    parsed = rf.parse_text(text)
    rf.check(parsed)


def _fastest_of_two(text: str) -> float:
    times = []
    for _ in range(2):
        start = time.perf_counter()
        rf.check(rf.parse_text(text))
        times.append(time.perf_counter() - start)
    return min(times)


def test_large_input_is_parsed_within_a_second_per_100kb():
    doc = sample_document(random.Random(5))
    text = tsv_text(doc)
    text = (text + "\n" + "１２３４５６７８９０" * 50 + "\n") * (400_000 // len(text) + 1)
    assert _fastest_of_two(text) < len(text.encode()) / 100_000
    glued = tsv_text(doc).replace("\t", "") + "1" * 50_000
    assert _fastest_of_two(glued) < max(1.0, len(glued.encode()) / 100_000)


def test_word_html_in_portal_chrome():
    """Digits split over <span>s as Word exports them, inside a portal page with menus."""
    doc = sample_document(random.Random(11), rf.GOV2021)
    html = rf.render_html(doc)
    body = html[html.index("<body>") + 6:html.index("</body>")]

    def split_digits(m):
        text = m.group(2)
        return m.group(1) + "".join(f'<span lang="EN-US" style="mso-bidi-font-size:10.5pt">{ch}'
                                    f"</span>" for ch in text) + "<o:p></o:p></td>"

    import re
    body = re.sub(r'(<td class="value"[^>]*>)(\d+)</td>', split_digits, body)
    page = ("<html><head><title>年报-某某政府门户网站</title><script>var a='三、收到和处理 1 2 3';"
            "</script></head><body><header><nav>首页 政务公开 政府信息公开年报 2024 12 31</nav>"
            "</header><div class='breadcrumb'>当前位置：首页 &gt; 年报</div>"
            f"<div class='article'>{body}</div><footer>电话：0527-83593059 邮编 223600 "
            "网站标识码 3213220001</footer></body></html>")
    parsed = rf.parse_html(page)
    assert parsed.values() == doc.cells
    assert (parsed.agency, parsed.year) == (doc.agency, doc.year)
