"""The labelled example reports: every labelled cell, the format, and the R1–R4 errors."""

from __future__ import annotations

import pytest
import yaml

from gongkai.law import reportformat as rf

from rf_paths import EXAMPLES

LABELS = sorted((EXAMPLES / "labels").glob("*.yaml")) if EXAMPLES.is_dir() else []


def _parse(path):
    return rf.parse_file(path)


def _r1_r4_errors(findings):
    """Error findings of R1–R4 at the labels' granularity: (rule, row or column)."""
    out = set()
    for f in findings:
        if f.severity == rf.ERROR and f.rule[:2] in ("R1", "R2", "R3", "R4"):
            rule = f.rule.removesuffix("_2021").removesuffix("_2019")
            out.add((rule, f.where.get("row") or f.where.get("column")))
    return out


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem for p in LABELS])
def test_example_matches_its_labels(label_path):
    label = yaml.safe_load(label_path.read_text(encoding="utf-8"))
    report = _parse(EXAMPLES / label["file"])
    assert report.format == label["format"]
    assert report.year == label["year"]
    for key, want in label["cells"].items():
        cell = report.cells[key]
        assert (cell.state, cell.value) == (rf.VALUE, want), key
    for key in label["blank_cells"] or []:
        assert report.cells[key].state == rf.BLANK, key
    for key in label["ambiguous_cells"] or []:
        assert report.cells[key].state == rf.AMBIGUOUS, key
    for key in label["missing_cells"] or []:
        assert report.cells[key].state == rf.MISSING, key
    want = {(v["rule"], v.get("row") or v.get("column")) for v in label["rule_violations"] or []}
    assert _r1_r4_errors(rf.check(report)) == want


@pytest.mark.parametrize("name,agency", [
    ("000_b768d046f022759b.txt", "洛阳市退役军人事务局"),
    ("report-001.txt", "沐阳县人民政府"),  # as printed (OCR misread of 沭阳)
    ("report-006.txt", "平潭综合实验区"),
    ("report-011.txt", "上海市人民政府办公厅"),
    ("report-011.html", "上海市人民政府办公厅"),
    ("report-012.txt", "沭阳县发展和改革局"),
])
def test_agency_comes_from_the_title(examples_dir, name, agency):
    assert rf.parse_file(examples_dir / name).agency == agency


def test_first_user_2020_report(examples_dir):
    """The seed report: trial format, 2020, 二 complete, 三 truncated after row 二, 四 headless."""
    report = rf.parse_file(examples_dir / "000_b768d046f022759b.txt")
    fmt = rf.get_format(rf.GOV2019)
    assert (report.format, report.year) == (rf.GOV2019, 2020)
    assert all(report.cells[k].state == rf.VALUE for k in fmt.section2_keys)
    assert report.cells["active.art20_9.central_procurement.amount"].value == 184.595
    present = {k for k in fmt.section3_keys if report.cells[k].state == rf.VALUE}
    assert present == {f"apply.{r}.{c}" for r in ("new", "carried_over") for c in fmt.columns}
    assert all(report.cells[k].value == 0 for k in present)
    assert [report.cells[k].value for k in fmt.section4_keys] == [0] * 15
    findings = rf.check(report)
    incomplete = [f for f in findings if f.rule == "R0_table_incomplete"]
    assert len(incomplete) == 1 and incomplete[0].severity == rf.ERROR
    assert "表三" in incomplete[0].message and "不完整" in incomplete[0].message
    assert incomplete[0].where == {"section": "三"}
    assert set(incomplete[0].cells) == set(fmt.section3_keys) - present


def test_run_together_cells_are_decoded_by_the_sums(examples_dir):
    """report-006: "640020470" is 64|0|0|2|0|4|70 only because the row must add up."""
    report = rf.parse_file(examples_dir / "report-006.txt")
    row = [report.cells[f"apply.new.{c}"].value for c in rf.get_format(rf.GOV2021).columns]
    assert row == [64, 0, 0, 2, 0, 4, 70]
    amb = report.cells["active.art20_1.normative_doc.issued"]
    assert amb.state == rf.AMBIGUOUS and {69, 6}.issubset(set(amb.candidates))
    assert any(f.rule == "R0_ambiguous_cells" and f.severity == rf.WARNING
               for f in rf.check(report))


def test_prose_sections_are_read(examples_dir):
    report = rf.parse_file(examples_dir / "report-012.txt")
    assert report.sections["一"].startswith("2023年")
    assert "整改措施" in report.sections["五"] or "主要问题" in report.sections["五"]
    assert "未发生收费情况" in report.sections["六"]
