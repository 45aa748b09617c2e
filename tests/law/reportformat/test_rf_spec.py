"""The formats as data: spec.yaml is §7 of the format note, and the derived layout agrees."""

from __future__ import annotations

import re

import yaml

from gongkai.law import reportformat as rf
from gongkai.law.reportformat import spec
from rf_paths import DATA


def test_spec_yaml_is_section_7_of_the_format_note():
    note = (DATA / "domain" / "annual-report-format.md").read_text(encoding="utf-8")
    block = re.search(r"## 7\. Machine-readable specification\s+```yaml\n(.*?)```", note, re.S)
    assert yaml.safe_load(block.group(1)) == spec.raw_spec()


def test_cell_counts_of_both_formats():
    f21, f19 = rf.get_format(rf.GOV2021), rf.get_format(rf.GOV2019)
    assert (len(f21.section2_keys), len(f21.section3_keys), len(f21.section4_keys)) == (10, 175, 15)
    assert (len(f19.section2_keys), len(f19.section3_keys), len(f19.section4_keys)) == (22, 161, 15)
    assert "apply.result.other.fee_unpaid.total" in f21.all_keys
    assert "apply.result.other.total" in f19.all_keys
    assert "apply.result.other.total" not in f21.all_keys


def test_official_labels_are_kept_character_for_character():
    f21 = rf.get_format(rf.GOV2021)
    labels = {r.key: r.label for r in f21.rows}
    assert labels["result.denied.security_stability"] == "3.危及“三安全一稳定”"
    assert labels["result.partial"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert f21.section2[3].columns[1] == "本年收费金额（单位：万元）"
    assert [b.caption for b in rf.get_format(rf.GOV2019).section2][-1] == "第二十条第（九）项"


def test_rules_carry_their_levels():
    rules = spec.rule_specs()
    assert {"R1_column_balance", "R2_row_total", "R3_result_total_2021", "R3_result_total_2019",
            "R4_review_total", "R4_direct_total", "R4_after_review_total", "R5_domains",
            "R7_carry_over_continuity", "R8_in_force_continuity",
            "R9_fee_text_consistency"} == set(rules)
    assert all(rules[r]["severity"] == "warning" for r in ("R7_carry_over_continuity",
                                                          "R8_in_force_continuity",
                                                          "R9_fee_text_consistency"))
