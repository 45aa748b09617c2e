"""One detector of personal data, two policies: the same text, what each counts, and who uses which."""

from __future__ import annotations

import pytest

from gongkai.law.identifiers import id_number_check_char, luhn_ok
from gongkai.law.masking import mask_personal_data
from gongkai.law.personaldata import (
    ALL_KINDS, BANK_CARD, EMAIL, ID_NUMBER, LANDLINE, LENIENT, MOBILE, NAME, ROOM, STRICT, detect,
)
from gongkai.law.pii import scan_text

ID17 = "41030319850612123"
GOOD_ID = ID17 + id_number_check_char(ID17)
TYPO_ID = ID17 + ("0" if id_number_check_char(ID17) != "0" else "1")  # birth date real, check character wrong
OLD_ID = "410303850612123"  # 15 digits, issued before 1999: no check character


def luhn_complete(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


CARD = luhn_complete("622202123456789012")


def kinds(text: str, policy, **kw) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in detect(text, policy, **kw)]


# One letter, every kind of datum in it.
LETTER = (f"我叫王小明，身份证{TYPO_ID}（旧证{OLD_ID}），手机 +86 138-1234-5678，"
          f"座机0379-63912345，邮箱wang.xm@qq.com，住3号楼2单元501室，卡号{CARD}。")


def test_the_same_letter_under_both_policies():
    assert kinds(LETTER, STRICT) == [(MOBILE, "13812345678"), (BANK_CARD, CARD)]
    assert [k for k, _ in kinds(LETTER, LENIENT)] == [NAME, ID_NUMBER, ID_NUMBER, MOBILE, LANDLINE, EMAIL,
                                                       ROOM, BANK_CARD]


@pytest.mark.parametrize("text, strict, lenient", [
    # an ID number with the right check character: both
    (f"身份证{GOOD_ID}", [(ID_NUMBER, GOOD_ID)], [(ID_NUMBER, GOOD_ID)]),
    # a typo in the check character: still somebody's number for masking, not proof for the scan
    (f"身份证{TYPO_ID}", [], [(ID_NUMBER, TYPO_ID)]),
    (f"旧证{OLD_ID}", [], [(ID_NUMBER, OLD_ID)]),
    # the scan does not ask a reviewer about an office's landline or e-mail address
    ("电话0379-63912345", [], [(LANDLINE, "0379-63912345")]),
    ("邮箱 xinxi@ly.gov.cn", [], [(EMAIL, "xinxi@ly.gov.cn")]),
    ("住在5栋1单元302室", [], [(ROOM, "5栋1单元302室")]),
    # mobile numbers and cards: the same rules, the same values however written
    ("联系 +86 138-1234-5678", [(MOBILE, "13812345678")], [(MOBILE, "13812345678")]),
    (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}", [(BANK_CARD, CARD)],
     [(BANK_CARD, CARD)]),
])
def test_each_policy_on_the_same_text(text, strict, lenient):
    assert kinds(text, STRICT) == strict
    assert kinds(text, LENIENT) == lenient


@pytest.mark.parametrize("text", [
    "2025年3月4日来电，20250304收文",  # dates
    "成文日期 2025-03-04 2025-03-05 2025-03-06 2025-03-07",
    "索引号 11410300MB1534567X/2025-00012",  # 统一社会信用代码/年-序号
    "索引号 114103000051258386/2025-00013",  # an all-digit 18-character code
    "索引号 11410300005125838/2025-00014",
    "合同金额 12345678.00元，计 1,234,567 元，总额 98765432元",  # amounts
    "文号 洛政办〔2025〕12号，共 3 页",
])
def test_neither_policy_mistakes_dates_index_numbers_or_amounts(text):
    assert detect(text, STRICT) == ()
    assert detect(text, LENIENT) == ()


def test_a_card_needs_luhn_and_an_issuer_digit():
    broken = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    no_issuer = luhn_complete("114103000051258")  # Luhn-valid, but no card starts with 1
    for policy in (STRICT, LENIENT):
        assert kinds(f"卡号{broken}", policy) == []
        assert kinds(f"编号{no_issuer}", policy) == []


def test_findings_never_overlap_and_an_id_number_is_not_also_a_card():
    both = detect(f"{GOOD_ID}{'，'}{CARD}", LENIENT)
    assert [f.kind for f in both] == [ID_NUMBER, BANK_CARD]
    assert all(a.end <= b.start for a, b in zip(both, both[1:]))


def test_names_only_under_the_lenient_policy_and_kinds_must_belong_to_the_policy():
    assert kinds("张三来信", LENIENT, names=["张三"]) == [(NAME, "张三")]
    assert kinds("张三来信", STRICT, names=["张三"]) == []
    assert kinds(LETTER, LENIENT, kinds=(EMAIL,)) == [(EMAIL, "wang.xm@qq.com")]
    with pytest.raises(ValueError):
        detect("邮箱 a@b.cn", STRICT, kinds=(EMAIL,))
    assert set(STRICT.kinds) < set(LENIENT.kinds) == set(ALL_KINDS)


def test_the_scan_uses_the_strict_policy_and_masking_the_lenient_one():
    text = f"身份证{TYPO_ID}，邮箱wang.xm@qq.com，手机13812345678"
    assert [(h.kind, h.value) for h in scan_text(text, "正文", keywords=())] == [("mobile", "13812345678")]
    masked = mask_personal_data(text)
    assert TYPO_ID not in masked.text and "wang.xm" not in masked.text and "13812345678" not in masked.text
    assert masked.summary() == "身份证号1处、电子邮箱1处、手机号1处"
