"""Masking personal data before publication: table-driven, plus properties with hypothesis."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law.identifiers import id_number_check_char
from gongkai.law.masking import (
    ALL_KINDS, BANK_CARD, EMAIL, ID_NUMBER, LANDLINE, MOBILE, NAME, REPLY_KINDS, ROOM, find_personal_data,
    mask_name, mask_personal_data,
)


def id_number(first17: str) -> str:
    return first17 + id_number_check_char(first17)


VALID_ID = id_number("41030319850612123")


@pytest.mark.parametrize("text, names, expected, kinds", [
    (f"身份证号{VALID_ID}", (), "身份证号410***************", [ID_NUMBER]),
    ("身份证号41030319850612123Y", (), "身份证号41030319850612123Y", []),  # not an ID shape
    ("号码410303198513121234", (), "号码410303198513121234", []),  # month 13: no birth date
    ("旧身份证410303850612123", (), "旧身份证410************", [ID_NUMBER]),
    ("手机13812345678", (), "手机138****5678", [MOBILE]),
    ("手机 138-1234-5678 联系", (), "手机 138-****-5678 联系", [MOBILE]),
    ("电话+86 13812345678", (), "电话+86 138****5678", [MOBILE]),
    ("座机0379-63912345", (), "座机****-********", [LANDLINE]),
    ("编号63912345", (), "编号63912345", []),  # a bare number without a phone word stays
    ("联系电话63912345", (), "联系电话********", [LANDLINE]),
    ("卡号6222021234567890128", (), "卡号***************0128", [BANK_CARD]),
    ("邮箱zhang.san@qq.com", (), "邮箱z***@qq.com", [EMAIL]),
    ("住在3号楼2单元501室", (), "住在*号楼*单元***室", [ROOM]),
    ("我叫王小明，是退役军人", (), "我叫王某某，是退役军人", [NAME]),
    ("张三反映张三的父亲", ("张三",), "张某反映张某的父亲", [NAME, NAME]),
    ("欧阳修来信", ("欧阳修",), "欧阳某来信", [NAME]),
    ("2025年3月4日来电", (), "2025年3月4日来电", []),
    ("请问优待证在哪里办理？", (), "请问优待证在哪里办理？", []),
])
def test_masking_table(text, names, expected, kinds):
    result = mask_personal_data(text, names=names)
    assert result.text == expected
    assert [f.kind for f in result.findings] == kinds


def test_reply_kinds_keep_the_offices_own_contacts():
    reply = "请致电0379-63912345或发邮件至 lyva@ly.gov.cn，地址：市民之家3号楼201室。张三同志您好。"
    result = mask_personal_data(reply, names=["张三"], kinds=REPLY_KINDS)
    assert result.text == "请致电0379-63912345或发邮件至 lyva@ly.gov.cn，地址：市民之家3号楼201室。张某同志您好。"
    assert set(REPLY_KINDS) < set(ALL_KINDS)


def test_summary_and_names():
    result = mask_personal_data(f"{VALID_ID} 13812345678 13912345678")
    assert result.summary() == "身份证号1处、手机号2处"
    assert mask_name("李") == "李某" and mask_name("司马相如") == "司马某某"


def test_masked_text_has_no_findings_left():
    text = f"我叫赵六，身份证{VALID_ID}，手机13812345678，卡号6222021234567890128，住5栋1单元302室。"
    masked = mask_personal_data(text, names=["赵六"])
    assert find_personal_data(masked.text, names=["赵六"]) == ()


@settings(max_examples=60, deadline=None)
@given(
    region=st.integers(110000, 659999),
    birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
    serial=st.integers(0, 999),
    before=st.text(alphabet="请问我的身份证是，。办理优待证", max_size=10),
    after=st.text(alphabet="请问我的身份证是，。办理优待证", max_size=10),
)
def test_any_id_number_in_text_is_masked(region, birth, serial, before, after):
    number = id_number(f"{region:06d}{birth:%Y%m%d}{serial:03d}")
    result = mask_personal_data(before + number + after)
    assert number not in result.text
    assert result.text.startswith(before) and result.text.endswith(after)
    assert [f.kind for f in result.findings] == [ID_NUMBER]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=80))
def test_text_without_digits_or_at_signs_is_unchanged(text):
    if "@" in text or "我叫" in text or "姓名" in text or "联系人" in text or "名字是" in text:
        return
    assert mask_personal_data(text).text == text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_masking_is_idempotent(text):
    once = mask_personal_data(text).text
    assert mask_personal_data(once).text == once
