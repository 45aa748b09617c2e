"""The rules of redaction: legal bases, marks, finding them however they are typeset, and the verdict."""

import pytest

from gongkai.law.identifiers import id_number_check_char
from gongkai.law.redaction import (
    BASES, BASIS_INFO, PageText, PatternMark, RedactionRuleError, RegionMark, TextMark, find_marks, find_text, verdict,
)
from gongkai.law.replies import PART_REASONS, REPLY_TYPES

ID17 = "11010519900307123"
ID = ID17 + id_number_check_char(ID17)
BAD_CHECK_ID = ID17 + ("0" if id_number_check_char(ID17) != "0" else "1")


def test_bases_cite_the_article_of_their_reply_reason():
    assert BASES["privacy"] == "第十五条 个人隐私"
    assert BASES["trade_secret"] == "第十五条 商业秘密"
    assert BASES["state_secret"] == "第十四条 国家秘密"
    assert BASES["process"] == "第十六条 过程性信息"
    for basis in BASIS_INFO.values():
        assert basis.reply_type in PART_REASONS
        assert basis.article in REPLY_TYPES[basis.reply_type].article


@pytest.mark.parametrize("make, message", [
    (lambda: TextMark("张三", "nope"), "遮盖依据“nope”不存在"),
    (lambda: TextMark(" \n", "privacy"), "要遮盖的文字为空"),
    (lambda: PatternMark("passport"), "个人信息类别“passport”不存在"),
    (lambda: RegionMark(0, 1, 1, 2, 2), "页码 0 无效"),
    (lambda: RegionMark(1, 5, 5, 2, 2), "遮盖区域无效"),
])
def test_bad_marks_are_refused_in_chinese(make, message):
    with pytest.raises(RedactionRuleError, match=message):
        make()


@pytest.mark.parametrize("text, needle, found", [
    ("申请人张三，", "张三", ["张三"]),
    ("申请人张 三，", "张三", ["张 三"]),
    ("申请人张\n三，", "张三", ["张\n三"]),
    ("编号ＡＢ１２３", "ab123", ["ＡＢ１２３"]),
    ("张三与张三丰", "张三", ["张三", "张三"]),
    ("张四", "张三", []),
    ("a\u200bb", "ab", ["a\u200bb"]),
])
def test_text_is_found_whatever_its_spacing_width_or_case(text, needle, found):
    assert [text[a:b] for a, b in find_text(text, needle)] == found


@pytest.mark.parametrize("text, kind, found", [
    (f"身份证号{ID}。", "id_number", [ID]),
    (f"身份证号{BAD_CHECK_ID}。", "id_number", [BAD_CHECK_ID]),  # LENIENT: a mistyped check character still counts
    ("身份证号110105900307123。", "id_number", ["110105900307123"]),  # 15-digit pre-1999 number
    ("电话1381234\n5678。", "mobile", ["1381234\n5678"]),  # broken over two lines
    ("电话13812345678 13912345678。", "mobile", ["13812345678", "13912345678"]),  # side by side stay two
    ("电话１３８１２３４５６７８。", "mobile", ["１３８１２３４５６７８"]),
    ("文号2020年第12345678号", "mobile", []),
    ("电话13812345678", "id_number", []),  # only the kinds marked
])
def test_patterns_use_the_one_detector(text, kind, found):
    assert [s.text for s in find_marks(text, [PatternMark(kind)])] == found


def test_spans_carry_the_basis_of_their_mark():
    spans = find_marks("张三的商业计划", [TextMark("张三"), TextMark("商业计划", "trade_secret")])
    assert [(s.text, s.basis) for s in spans] == [("张三", "privacy"), ("商业计划", "trade_secret")]


MARKS = [TextMark("张三"), PatternMark("mobile")]


@pytest.mark.parametrize("pages, ok, survivors, unverified", [
    ([PageText(1, "申请人 第十五条 个人隐私 ，其他内容")], True, [], []),
    ([PageText(1, "申请人张 三，其他内容")], False, [(1, "文字层", "text")], []),
    ([PageText(1, "电话1381234\n5678")], False, [(1, "文字层", "手机号")], []),
    ([PageText(1, f"身份证号{ID}")], False, [(1, "文字层", "身份证号")], []),  # always checked, marked or not
    ([PageText(1, "", True, "申请人张三")], False, [(1, "图像识别", "text")], []),
    ([PageText(1, "", True, "")], False, [], [1]),  # an image nothing could be read from
    ([PageText(1, "正文", True, None)], False, [], [1]),  # OCR could not run
    ([PageText(1, "正文", True, "正文")], True, [], []),
    ([PageText(0, "作者：张三")], False, [(0, "文档属性", "text")], []),
    ([PageText(1, "第十五条 个人隐私", in_regions=("第十五条 个人隐私",))], True, [], []),
    ([PageText(1, "", in_regions=("内部意见",))], False, [(1, "遮盖区域", "text")], []),
    ([PageText(1, "电话13812345678")], True, [], []),  # allowed below
])
def test_verdict(pages, ok, survivors, unverified):
    result = verdict(pages, MARKS, allowed=["138-1234-5678"] if "13812345678" in pages[0].text else ())
    assert result.ok is ok
    assert [(s.page, s.source, s.what) for s in result.survivors] == survivors
    assert list(result.unverified_pages) == unverified
    assert len(result.reasons) == len(survivors) + (1 if unverified else 0)


def test_reasons_say_where_in_chinese_and_mask_personal_data():
    result = verdict([PageText(2, f"张三 {ID}"), PageText(3, "", True, "")], [TextMark("张三")])
    text = result.summary()
    assert text.startswith("核验未通过")
    assert "第2页（文字层）仍有标记内容“张三”" in text
    assert "第2页（文字层）仍有身份证号" in text and ID not in text
    assert "第3页是图像，未能识别出文字，未能核验" in text
    assert verdict([PageText(1, "无")], [TextMark("张三")]).summary().startswith("核验通过")
