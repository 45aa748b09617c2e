"""The 保密审查 scan finds real personal data (check digits) and keywords, not every digit run."""

from gongkai.law.identifiers import id_number_check_char, luhn_ok
from gongkai.law.pii import scan_text

ID17 = "11010519491231002"
GOOD_ID = ID17 + id_number_check_char(ID17)
BAD_ID = ID17 + ("0" if id_number_check_char(ID17) != "0" else "1")


def _card():
    for d in "0123456789":
        if luhn_ok("622848001234567890" + d):
            return "622848001234567890" + d


def kinds(text, **kw):
    return [(h.kind, h.value) for h in scan_text(text, "正文", **kw)]


def test_id_number_with_valid_check_digit_is_found_and_masked():
    hits = scan_text(f"申请人身份证号{GOOD_ID}，请核对。", "正文")
    assert [(h.kind, h.value) for h in hits] == [("id_number", GOOD_ID)]
    assert GOOD_ID not in hits[0].masked and hits[0].masked.startswith(GOOD_ID[:4])
    assert "【" in hits[0].context


def test_wrong_check_digit_and_longer_runs_are_not_id_numbers():
    assert kinds(f"编号{BAD_ID}") == []
    assert kinds(f"流水号{GOOD_ID}12") == []


def test_mobile_numbers_with_separators_and_country_code():
    assert kinds("联系电话：138-1234-5678") == [("mobile", "13812345678")]
    assert kinds("电话 +86 13912345678") == [("mobile", "13912345678")]
    assert kinds("固定电话 0379-12345678") == []
    assert kinds("编号 12345678901") == []  # 12… is no mobile prefix


def test_bank_card_needs_luhn():
    card = _card()
    assert kinds(f"卡号 {card}") == [("bank_card", card)]
    broken = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert kinds(f"卡号 {broken}") == []


def test_keywords_default_and_custom():
    assert ("keyword", "内部") in kinds("本材料为内部资料")
    assert kinds("工作安排", keywords=["工作安排"]) == [("keyword", "工作安排")]
    assert kinds("内设机构") == []


def test_fingerprint_is_stable_and_location_specific():
    a = scan_text(f"身份证{GOOD_ID}", "正文")[0]
    b = scan_text(f"另一处{GOOD_ID}", "正文")[0]
    c = scan_text(f"身份证{GOOD_ID}", "附件《名单》")[0]
    assert a.fingerprint == b.fingerprint != c.fingerprint
