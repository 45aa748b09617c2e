"""Outputs: JSON in the shape of `gongkai report parse`, PDF / DOCX that parse back to the same cells, the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gongkai.annualreport import outputs, selectors
from gongkai.annualreport.compute import compute
from gongkai.cli import main
from gongkai.law.reportformat import ReportDocument, parse_bytes, parse_file, report_json, spec

from .helpers import signed_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(agency, officer, head, fixed_today):
    fixed_today(date(2026, 1, 20))
    return signed_report(agency, officer, head)


def _doc_2025(agency):
    state = selectors.report_state(agency, 2025)
    return state.doc


def test_json_has_the_shape_of_report_parse(agency, report):
    doc = _doc_2025(agency)
    data = outputs.json_dict(doc, [])
    parsed = report_json(parse_bytes(outputs.render_bytes(doc, "html"), name="r.html"))
    assert set(data) == set(parsed)
    assert data["cells"] == doc.cells and data["blank_cells"] == [] and data["format"] == "gov2021"
    assert len(data["cells"]) == len(spec.get_format(spec.GOV2021).all_keys) == 200


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_rendered_files_parse_back_to_the_same_cells(agency, report, fmt):
    doc = _doc_2025(agency)
    assert doc.cells["active.art20_8.admin_fee.amount_wan"] == 1.25
    parsed = parse_bytes(outputs.render_bytes(doc, fmt), name=f"report.{fmt}")
    assert parsed.format == spec.GOV2021 and parsed.year == 2025 and parsed.agency == agency.name
    assert parsed.values() == doc.cells
    assert "".join(parsed.sections["一"].split()) == "".join(doc.sections["一"].split())


def test_2019_format_round_trip(agency):
    from gongkai.law.reportformat.sample import sample_cells

    import random

    cells = sample_cells(spec.get_format(spec.GOV2019), random.Random(7))
    doc = ReportDocument(format=spec.GOV2019, year=2020, agency=agency.name, cells=cells,
                         sections={"一": "总体情况。", "五": "问题。", "六": "无。"})
    assert parse_bytes(outputs.pdf_bytes(doc), name="r.pdf").values() == cells


def test_cli_json_is_the_signed_revision(agency, officer, report, capsysbinary):
    from .helpers import decide

    # A later decision changes the live figures; the CLI prints the signed revision.
    c = report.agency.application_set.get(received_on=date(2025, 12, 22))
    decide(c, officer, date(2025, 12, 30))
    assert main(["annual-report", agency.credit_code, "2025"]) == 0
    out = capsysbinary.readouterr()
    data = json.loads(out.out)
    assert data["cells"]["apply.carried_forward.total"] == 1
    assert "第1版" in out.err.decode()
    assert main(["annual-report", agency.name, "2025", "--draft"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["cells"]["apply.carried_forward.total"] == 0


def test_cli_pdf_file_parses_back(agency, report, tmp_path, capsysbinary):
    out = tmp_path / "r.pdf"
    assert main(["annual-report", agency.name, "2025", "--to", "pdf", "-o", str(out)]) == 0
    assert parse_file(out).values() == _doc_2025(agency).cells


@pytest.mark.parametrize("argv,message", [
    (["annual-report", "不存在的局", "2025"], "找不到机关“不存在的局”"),
    (["annual-report", "退役军人", "2025"], "名称相近的机关：测试市退役军人事务局"),
    (["annual-report", "测试市退役军人事务局", "二五"], "年度“二五”无效"),
    (["annual-report", "测试市退役军人事务局", "2018"], "统一格式从 2019 年度开始"),
    (["annual-report", "测试市退役军人事务局", "2031"], "还没有开始"),
    (["annual-report", "测试市退役军人事务局", "2025", "--to", "pdf"], "请用 -o 指定输出文件"),
    (["annual-report", "测试市退役军人事务局", "2025", "-o", "/nonexistent/dir/x.json"], "无法写入"),
])
def test_cli_rejects_bad_arguments_in_chinese(agency, fixed_today, capsys, argv, message):
    fixed_today(date(2026, 1, 20))
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_draft_when_nothing_signed(agency, officer, fixed_today, capsysbinary):
    fixed_today(date(2026, 1, 20))
    from .helpers import register

    register(agency, officer, date(2025, 4, 1))
    assert main(["annual-report", agency.credit_code.lower(), "2025"]) == 0
    out = capsysbinary.readouterr()
    assert json.loads(out.out)["cells"]["apply.new.total"] == compute(agency, 2025).cells["apply.new.total"] == 1
    assert "草稿，按当前记录计算；7 个错误，1 个警告" in out.err.decode()  # 4 blank figures, 3 empty sections; no 2024


def test_a_draft_says_so_on_every_page_and_a_signed_one_does_not(agency, report, tmp_path):
    """草稿 · 未签发 on each page of a draft's PDF (and at its head); section headings never end a page."""
    import subprocess

    import io

    import pdfplumber

    def page_texts(data: bytes) -> list[str]:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]

    doc = _doc_2025(agency)
    draft = tmp_path / "draft.pdf"
    draft.write_bytes(outputs.pdf_bytes(doc, draft=True))
    pages = page_texts(draft.read_bytes())
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        flat = "".join(text.split())
        assert "不得对外公开" in flat and ("草稿·未签发" in flat or "草稿" in flat), number
    assert all("草稿" not in text for text in page_texts(outputs.pdf_bytes(doc)))
    # The draft still reads back to the same cells: the mark is not mistaken for figures.
    assert parse_bytes(draft.read_bytes(), name="draft.pdf").values() == doc.cells
    # No page ends with a section heading whose table or text starts on the next page.
    headings = [spec.SECTION_TITLES[name] for name in spec.SECTION_NAMES]
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if "草稿" not in line and not line.startswith("—")]
        assert not body or body[-1] not in headings, body[-1]
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(draft), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == len(pages)


def test_word_names_the_fonts_of_office_pcs_and_the_pdf_embeds_its_fonts(agency, report):
    """DOCX: 仿宋_GB2312 body, 宋体 title and tables, 黑体 section headings, no Noto anywhere, heads kept
    with what follows them; PDF (signed and draft): every font it uses is embedded."""
    import io
    import zipfile

    from gongkai.law.reportformat.docxfile import SUBHEADING_STYLE, TABLE_STYLE
    from tests.helpers.documents import assert_office_fonts, assert_pdf_embeds_its_fonts

    doc = _doc_2025(agency)
    doc.sections["一"] = "（一）主动公开\n" + doc.sections["一"]  # a heading line inside the prose
    data = outputs.docx_bytes(doc)
    assert_office_fonts(data, {"Normal": "仿宋_GB2312", "Title": "宋体", "Heading 1": "黑体", TABLE_STYLE: "宋体",
                               SUBHEADING_STYLE: "仿宋_GB2312", "Table Grid": "宋体"}, bold={"Title"})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles, body = zf.read("word/styles.xml").decode(), zf.read("word/document.xml").decode()
    for style_id in ("Heading1", SUBHEADING_STYLE):  # a heading never ends a page in Word either
        style = styles[styles.index(f'w:styleId="{style_id}"'):]
        assert "<w:keepNext/>" in style[:style.index("</w:style>")], style_id
    assert body.count("<w:tblHeader/>") >= 5  # the column heads of 三 (3 rows) and 四 repeat on each page
    assert parse_bytes(data, name="r.docx").values() == doc.cells
    for draft in (False, True):
        assert assert_pdf_embeds_its_fonts(outputs.pdf_bytes(doc, draft=draft))
