"""The printed report: no heading, table caption or row of column heads is the last thing on a page.

Each case is a report whose section 一 is long enough to push a heading row of a later table
to the foot of a page; before the print CSS kept heads with what follows them, each of these
cases ended a page with one (the caption 第二十条第（X）项, the column heads of 二, 三 or 四).
The pages are read from WeasyPrint's own layout: the last row or paragraph laid out on each
page, and whether it is a head.
"""

from __future__ import annotations

import random
import re

import pytest

from gongkai.law import reportformat as rf
from gongkai.law.reportformat.layout import is_subheading
from gongkai.law.reportformat.sample import sample_document

# (format, seed of the sample, lines of prose in section 一): each orphaned a head under the old CSS.
CASES = [(rf.GOV2021, 3, 3), (rf.GOV2021, 5, 5), (rf.GOV2021, 15, 15),
         (rf.GOV2019, 121, 1), (rf.GOV2019, 122, 2), (rf.GOV2019, 126, 6)]


def _doc(fmt: str, seed: int, lines: int):
    doc = sample_document(random.Random(seed), fmt)
    doc.sections["一"] = "\n".join(["（一）主动公开"] + ["本年度依法主动公开政府信息。" * 3] * lines)
    return doc


def _blocks(box, out):
    """The rows, paragraphs and headings laid out on a page, in order."""
    if getattr(box, "element_tag", None) in ("tr", "p", "h1", "h2") and box.element is not None:
        out.append(box)
        return out
    for child in getattr(box, "children", None) or ():
        _blocks(child, out)
    return out


def _is_head(box) -> bool:
    el = box.element
    text = "".join(el.itertext()).strip()
    if box.element_tag in ("h1", "h2"):
        return True
    if box.element_tag == "p":
        return is_subheading(text)
    cells = list(el.iter("td"))
    return bool(cells) and all(td.get("class") == "header" for td in cells)


@pytest.mark.parametrize("fmt,seed,lines", CASES)
def test_no_page_ends_with_a_heading_caption_or_column_heads(fmt, seed, lines):
    from weasyprint import HTML  # heavy; the layout is what is tested

    doc = _doc(fmt, seed, lines)
    pages = HTML(string=rf.render_html(doc, draft=True)).render().pages
    assert len(pages) >= 3
    for number, page in enumerate(pages[:-1], start=1):
        blocks = [b for b in _blocks(page._page_box, []) if "draft-mark" not in (b.element.get("class") or "")]
        last = blocks[-1]
        assert not _is_head(last), (number, re.sub(r"\s+", "", "".join(last.element.itertext()))[:40])


def test_a_table_that_runs_onto_the_next_page_repeats_its_column_heads():
    """三 is longer than what is left of its page: its column heads are printed again above the rest."""
    import io

    import pdfplumber
    from weasyprint import HTML  # heavy; the printed pages are what is tested

    doc = _doc(rf.GOV2021, 3, 8)
    data = HTML(string=rf.render_html(doc)).write_pdf()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    starts = [i for i, text in enumerate(pages) if "三、收到和处理政府信息公开申请情况" in text]
    ends = [i for i, text in enumerate(pages) if "四、结转下年度继续办理" in text]
    assert starts and ends and ends[0] > starts[0], "三 runs onto a second page in this case"
    for i in range(starts[0], ends[0] + 1):
        assert "申请人情况" in pages[i] and "法人或其他组织" in pages[i], i
    assert rf.parse_bytes(data, name="r.pdf").values() == doc.cells  # the repeated heads are not read as rows
