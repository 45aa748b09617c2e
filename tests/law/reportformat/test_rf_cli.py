"""`gongkai report parse|check|render`: JSON shape, Chinese findings, exit codes, batch check."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from gongkai.cli import main
from gongkai.law import reportformat as rf
from gongkai.law.reportformat.sample import sample_document

SEED = "000_b768d046f022759b.txt"


def _run(capsys, *argv):
    code = main(["report", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_parse_prints_the_json_shape(capsys, examples_dir):
    code, out, _ = _run(capsys, "parse", examples_dir / "report-006.txt")
    data = json.loads(out)
    assert code == 0
    assert (data["format"], data["year"], data["agency"]) == ("gov2021", 2021, "平潭综合实验区")
    assert data["cells"]["apply.new.natural_person"] == 64
    assert isinstance(data["cells"]["apply.new.natural_person"], int)
    assert data["cells"]["active.art20_8.admin_fee.amount_wan"] == 24252.311082
    assert data["ambiguous_cells"] == ["active.art20_1.normative_doc.issued",
                                       "active.art20_1.normative_doc.repealed",
                                       "active.art20_1.normative_doc.in_force"]
    assert data["blank_cells"] == [] and data["missing_cells"] == []
    for f in data["findings"]:
        assert set(f) >= {"rule", "severity", "cells", "message"}
        assert f["rule"][0] == "R" and f["rule"][1].isdigit()


def test_parse_of_the_seed_report_lists_missing_cells_and_the_error(capsys, examples_dir):
    code, out, _ = _run(capsys, "parse", examples_dir / SEED)
    data = json.loads(out)
    assert code == 0 and data["format"] == "gov2019_trial" and data["year"] == 2020
    assert len(data["missing_cells"]) == 147
    assert [f["rule"] for f in data["findings"] if f["severity"] == "error"] == ["R0_table_incomplete"]


def test_check_exit_codes(capsys, examples_dir, tmp_path):
    code, out, _ = _run(capsys, "check", examples_dir / "report-012.txt")
    assert code == 0 and "全部通过" in out
    code, out, _ = _run(capsys, "check", examples_dir / "report-011.html")
    assert code == 1 and "错误 R2_row_total" in out and "12 个错误" in out
    bad = tmp_path / "bad.docx"
    bad.write_text("not a docx", encoding="utf-8")
    code, out, _ = _run(capsys, "check", bad, examples_dir / "report-012.txt")
    assert code == 2 and "无法读取" in out and "DOCX" in out and "Traceback" not in out
    old = tmp_path / "old.txt"
    old.write_text("某县2017年政府信息公开工作年度报告\n一、概述\n", encoding="utf-8")
    code, out, _ = _run(capsys, "check", old)
    assert code == 2 and "不支持" in out


def test_check_with_the_previous_year(capsys, tmp_path):
    last = sample_document(random.Random(1), rf.GOV2021, 2022)
    now = sample_document(random.Random(2), rf.GOV2021, 2023)
    now.agency = last.agency
    (tmp_path / "2022.html").write_text(rf.render_html(last), encoding="utf-8")
    (tmp_path / "2023.html").write_text(rf.render_html(now), encoding="utf-8")
    code, out, _ = _run(capsys, "check", "--previous", tmp_path / "2022.html", tmp_path / "2023.html")
    carried = [last.cells[f"apply.carried_forward.{c}"] != now.cells[f"apply.carried_over.{c}"]
               for c in rf.get_format(rf.GOV2021).columns]
    assert code == 0
    assert ("警告 R7_carry_over_continuity" in out) == any(carried)
    code, out, _ = _run(capsys, "check", tmp_path / "2023.html")
    assert "R7_" not in out


def test_check_a_directory_prints_a_summary_table(capsys, examples_dir, tmp_path):
    for name in (SEED, "report-006.txt", "report-011.html"):
        shutil.copy(examples_dir / name, tmp_path / name)
    (tmp_path / "empty.pdf").write_bytes(b"")
    code, out, err = _run(capsys, "check", tmp_path)
    lines = out.splitlines()
    assert lines[0].split() == ["文件", "机关", "年度", "格式", "错误", "警告"]
    row = next(x for x in lines if x.startswith("report-011.html"))
    assert row.split()[1:] == ["上海市人民政府办公厅", "2019", "gov2019_trial", "12", "0"]
    assert next(x for x in lines if x.startswith("report-006.txt")).split()[-2:] == ["0", "1"]
    assert "共 4 份：1 份无错误，2 份有错误，1 份无法读取或不支持" in out
    assert code == 2 and err == ""  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize("to", ["html", "docx", "pdf"])
def test_render_from_parse_output(capsys, tmp_path, to):
    doc = sample_document(random.Random(9), rf.GOV2021)
    data = {"format": doc.format, "year": doc.year, "agency": doc.agency, "cells": doc.cells,
            "blank_cells": [], "sections": doc.sections}
    src = tmp_path / "data.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"report.{to}"
    code, stdout, _ = _run(capsys, "render", src, "--to", to, "-o", out)
    assert code == 0 and out.exists()
    code, stdout, _ = _run(capsys, "parse", out)
    assert json.loads(stdout)["cells"] == doc.cells


def test_render_refuses_bad_data(capsys, tmp_path):
    src = tmp_path / "data.json"
    src.write_text('{"format": "gov2021", "cells": {"apply.bogus": 1}}', encoding="utf-8")
    code, _, err = _run(capsys, "render", src, "--to", "html", "-o", tmp_path / "x.html")
    assert code == 2 and "apply.bogus" in err
    src.write_text("{not json", encoding="utf-8")
    code, _, err = _run(capsys, "render", src, "--to", "html", "-o", tmp_path / "x.html")
    assert code == 2 and "JSON" in err


def test_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys, argparse; from gongkai.cli import report; "
            "report.register(argparse.ArgumentParser().add_subparsers()); "
            "print(sorted(m for m in ('weasyprint', 'pdfplumber', 'docx', 'lxml.html') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
