"""Rules R1–R9 on documents whose figures are known: each broken sum is found, once."""

from __future__ import annotations

import random

import pytest

from gongkai.law import reportformat as rf
from gongkai.law.reportformat.model import Cell
from gongkai.law.reportformat.sample import sample_document


def _doc(fmt=rf.GOV2021, seed=3):
    return sample_document(random.Random(seed), fmt)


def _ids(findings, severity=None):
    return sorted((f.rule, tuple(sorted(f.where.items())))
                  for f in findings if severity is None or f.severity == severity)


@pytest.mark.parametrize("fmt", [rf.GOV2021, rf.GOV2019])
def test_a_consistent_report_has_no_error(fmt):
    for seed in range(20):
        assert _ids(rf.check(_doc(fmt, seed)), rf.ERROR) == []


R3 = {rf.GOV2021: "R3_result_total_2021", rf.GOV2019: "R3_result_total_2019"}


@pytest.mark.parametrize("fmt", [rf.GOV2021, rf.GOV2019])
@pytest.mark.parametrize("key,expected", [
    # 一、本年新收 × 科研机构 changed: R1 on that column, R2 on that row
    ("apply.new.research", {("R1_column_balance", (("column", "research"),)),
                            ("R2_row_total", (("row", "new"),))}),
    # a 总计-column cell of a result row: R2 on the row, R3 on the 总计 column
    ("apply.result.granted.total", {("R2_row_total", (("row", "result.granted"),)),
                                    ("R3", (("column", "total"),))}),
    # （七）总计 × 自然人: R1, R2 (its row), R3 on the column
    ("apply.result.total.natural_person", {("R1_column_balance", (("column", "natural_person"),)),
                                           ("R2_row_total", (("row", "result.total"),)),
                                           ("R3", (("column", "natural_person"),))}),
    ("review.total", {("R4_review_total", ())}),
    ("litigation.direct.pending", {("R4_direct_total", ())}),
    ("litigation.after_review.maintained", {("R4_after_review_total", ())}),
])
def test_a_changed_cell_breaks_exactly_its_rules(fmt, key, expected):
    doc = _doc(fmt)
    doc.cells[key] += 1
    want = {(R3[fmt] if r == "R3" else r, w) for r, w in expected}
    assert set(_ids(rf.check(doc), rf.ERROR)) == want


def test_blank_counts_as_zero_and_unknown_cells_skip_their_rules():
    doc = _doc()
    key = "apply.carried_over.commercial"
    doc.cells[key] = 0
    doc.cells["apply.new.commercial"] = doc.cells["apply.result.total.commercial"] + \
        doc.cells["apply.carried_forward.commercial"]
    doc.cells["apply.new.total"] = sum(doc.cells[f"apply.new.{c}"] for c in
                                       rf.get_format(rf.GOV2021).columns[:-1])
    doc.cells["apply.carried_over.total"] = sum(
        doc.cells[f"apply.carried_over.{c}"] for c in rf.get_format(rf.GOV2021).columns[:-1])
    del doc.cells[key]  # absent from a document = printed blank = 0
    assert _ids(rf.check(doc), rf.ERROR) == []
    parsed = rf.parse_html(rf.render_html(doc))
    assert parsed.cells[key].state == rf.BLANK
    assert _ids(rf.check(parsed), rf.ERROR) == []
    parsed.cells["apply.new.total"] = Cell(rf.AMBIGUOUS)
    parsed.cells["apply.new.research"] = Cell(rf.MISSING)
    parsed.cells["apply.carried_forward.total"] = Cell(rf.VALUE, 10**6)
    ids = _ids(rf.check(parsed), rf.ERROR)
    assert ("R2_row_total", (("row", "carried_forward"),)) in ids
    assert not [i for i in ids if i[1] in ((("row", "new"),), (("column", "research"),))]


@pytest.mark.parametrize("key,value", [
    ("apply.new.natural_person", -1),
    ("review.total", 2.5),
    ("active.art20_8.admin_fee.amount_wan", -0.5),
])
def test_r5_domains(key, value):
    doc = _doc()
    doc.cells[key] = value
    r5 = [f for f in rf.check(doc) if f.rule == "R5_domains"]
    assert [f.cells for f in r5] == [(key,)] and r5[0].severity == rf.ERROR


def test_r5_allows_a_negative_change_and_a_decimal_amount_in_2019():
    doc = _doc(rf.GOV2019)
    doc.cells["active.art20_5.licensing.change"] = -12
    doc.cells["active.art20_9.central_procurement.amount"] = 184.595
    assert not [f for f in rf.check(doc) if f.rule == "R5_domains"]


def test_r7_and_r8_compare_with_last_year():
    last, now = _doc(seed=1), _doc(seed=2)
    for c in rf.get_format(rf.GOV2021).columns:
        now.cells[f"apply.carried_over.{c}"] = last.cells[f"apply.carried_forward.{c}"]
    base = "active.art20_1.normative_doc"
    now.cells[f"{base}.in_force"] = (last.cells[f"{base}.in_force"] + now.cells[f"{base}.issued"]
                                     - now.cells[f"{base}.repealed"])
    now.cells["active.art20_1.regulation.in_force"] = (
        last.cells["active.art20_1.regulation.in_force"]
        + now.cells["active.art20_1.regulation.issued"]
        - now.cells["active.art20_1.regulation.repealed"])
    cross = [f for f in rf.check(now, previous=last) if f.rule[:2] in ("R7", "R8")]
    assert cross == []
    now.cells["apply.carried_over.legal_service"] += 1
    now.cells[f"{base}.in_force"] += 2
    cross = [f for f in rf.check(now, previous=last) if f.rule[:2] in ("R7", "R8")]
    assert {(f.rule, f.severity) for f in cross} == {("R7_carry_over_continuity", rf.WARNING),
                                                      ("R8_in_force_continuity", rf.WARNING)}
    assert next(f for f in cross if f.rule.startswith("R7")).where == {"column": "legal_service"}
    assert not [f for f in rf.check(now) if f.rule[:2] in ("R7", "R8")]


def test_r9_fee_notices_against_the_text():
    doc = _doc()
    doc.cells["apply.result.other.fee_unpaid.natural_person"] += 2
    doc.cells["apply.result.other.fee_unpaid.total"] += 2
    doc.cells["apply.result.total.natural_person"] += 2
    doc.cells["apply.result.total.total"] += 2
    doc.cells["apply.new.natural_person"] += 2
    doc.cells["apply.new.total"] += 2
    doc.sections["六"] = "本年度未收取信息处理费。"
    r9 = [f for f in rf.check(doc) if f.rule == "R9_fee_text_consistency"]
    assert len(r9) == 1 and r9[0].severity == rf.WARNING
    assert not [f for f in rf.check(doc) if f.severity == rf.ERROR]
    doc.sections["六"] = "本年度发出收费通知 3 件，收取信息处理费共计380元。"
    assert not [f for f in rf.check(doc) if f.rule == "R9_fee_text_consistency"]


def test_messages_are_chinese_and_name_the_row():
    doc = _doc()
    doc.cells["apply.result.denied.third_party.total"] += 1
    msgs = [f.message for f in rf.check(doc) if f.rule == "R2_row_total"]
    assert msgs == [f"表三“（三）不予公开 › 4.保护第三方合法权益”行：总计 "
                    f"{doc.cells['apply.result.denied.third_party.total']} 不等于各类申请人之和 "
                    f"{doc.cells['apply.result.denied.third_party.total'] - 1}"]
