"""Grouping applications that ask for the same information (《条例》第四十四条), and one applicant's repeats."""

from __future__ import annotations

import random

import pytest

from gongkai.law.sameinfo import Case, doc_number_key, group_cases, most_similar, similar_pairs, similarity, \
    content_bigrams


@pytest.mark.parametrize("typed", [
    "洛退役发〔2026〕3号", "洛退役发[2026]3号", "洛退役发［2026］３号", "洛退役发（2026）3号", "洛退役发(2026)03号",
    "洛退役发【2026】第3号", "洛退役发 〔2026〕 3 号", "洛退役发﹝2026﹞3号",
])
def test_document_numbers_in_any_bracket_spacing_or_width_are_one_key(typed):
    assert doc_number_key(typed) == "洛退役发〔2026〕3号"


@pytest.mark.parametrize("typed", ["", "无", "2026年3号文", "洛退役发〔2026〕0号"])
def test_shapeless_document_numbers_give_no_key(typed):
    assert doc_number_key(typed) == ""


def test_other_serial_or_year_is_another_document():
    assert doc_number_key("洛退役发〔2026〕3号") != doc_number_key("洛退役发〔2026〕13号")
    assert doc_number_key("洛退役发〔2026〕3号") != doc_number_key("洛退役发〔2025〕3号")


def _cases(*rows):
    return [Case(id=i, applicant=who, doc_number=number, text=text) for i, (who, number, text) in enumerate(rows, 1)]


def test_same_document_number_groups_three_applicants_whatever_the_wording():
    cases = _cases(("甲", "洛退役发〔2026〕3号", "请公开这份文件"), ("乙", "洛退役发[2026]3号", "要一份通知"),
                   ("丙", "洛退役发（2026）第3号", "关于优待证的文件"), ("丁", "", "本局2025年部门预算"))
    groups = group_cases(cases)
    assert [g.ids for g in groups] == [[1, 2, 3]]
    assert groups[0].applicants == 3 and groups[0].doc_numbers == ["洛退役发〔2026〕3号"] and groups[0].score == 1.0


def test_similar_wording_groups_and_unrelated_cases_stay_out():
    cases = _cases(("甲", "", "申请公开2025年度本局退役军人优抚资金发放汇总表"),
                   ("乙", "", "请提供2025年退役军人优抚资金发放情况汇总表"),
                   ("丙", "", "我想获取贵局2025年度优抚资金发放汇总表的复印件"),
                   ("丁", "", "申请公开洛阳市退役士兵安置暂行办法全文"),
                   ("戊", "", "请公开本局2025年部门预算"))
    groups = group_cases(cases)
    assert [g.ids for g in groups] == [[1, 2, 3]]
    assert 0.6 <= groups[0].score < 1


def test_last_year_s_list_is_not_this_year_s():
    cases = _cases(("甲", "", "申请公开2025年度退役军人优抚资金发放汇总表"),
                   ("乙", "", "申请公开2025年度退役军人优抚资金发放汇总表"),
                   ("丙", "", "申请公开2024年度退役军人优抚资金发放汇总表"))
    assert group_cases(cases) == []  # two applicants for 2025, one for 2024
    assert [g.ids for g in group_cases(cases, min_applicants=2)] == [[1, 2]]


def test_two_applicants_are_not_enough_and_one_applicant_three_times_counts_once():
    text = "申请公开洛阳市退役士兵安置暂行办法全文"
    assert group_cases(_cases(("甲", "", text), ("乙", "", text))) == []
    assert group_cases(_cases(("甲", "", text), ("甲", "", text), ("甲", "", text), ("乙", "", text))) == []
    groups = group_cases(_cases(("甲", "", text), ("甲", "", text), ("乙", "", text), ("丙", "", text)))
    assert groups[0].ids == [1, 2, 3, 4] and groups[0].applicants == 3
    assert group_cases(_cases(("甲", "", text), ("乙", "", text)), min_applicants=2)[0].applicants == 2


def test_the_prefix_filter_finds_exactly_the_pairs_a_full_comparison_finds():
    rng = random.Random(7)
    words = ["退役军人", "优抚", "资金", "发放", "汇总表", "安置", "办法", "预算", "决算", "优待证", "名单", "补助", "标准",
             "养老", "医疗", "就业", "创业", "培训", "烈士", "褒扬"]
    texts = [content_bigrams("".join(rng.sample(words, rng.randint(2, 6)))) for _ in range(300)]
    fast = {(min(i, j), max(i, j)) for i, j, _ in similar_pairs(texts, 0.6)}
    slow = {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if 2 * len(texts[i] & texts[j]) / (len(texts[i]) + len(texts[j])) >= 0.6}
    assert fast == slow and slow


def test_one_applicant_s_repeat_still_uses_the_stricter_threshold():
    assert similarity("请公开2025年度优抚资金发放汇总表", "请公开2025年度优抚资金发放汇总表。") == 1.0
    found, score = most_similar("请公开2025年度优抚资金发放汇总表", [(1, "请公开2025年度优抚资金发放汇总表"), (2, "部门预算")])
    assert found == 1 and score == 1.0
    assert most_similar("请提供2025年退役军人优抚资金发放情况汇总表", [(1, "我想获取贵局2025年度优抚资金发放汇总表的复印件")])[0] is None
