"""Checks of an applicant's identity document and phone; the receipt date of 《条例》第三十一条 from the law."""

from __future__ import annotations

import re
from datetime import date

from gongkai.law import receipt
from gongkai.law.identifiers import IdentifierError, validate_credit_code, validate_id_number, validate_mobile

from .models import ApplicantKind, IdType

LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


class IdentityError(ValueError):
    """Bad identity data; `field` names the form field, the message is Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def normalise_id(kind: str, id_type: str, id_number: str) -> str:
    number = re.sub(r"\s", "", id_number or "").upper()
    if not number:
        raise IdentityError("id_number", "请填写证件号码。")
    if kind == ApplicantKind.NATURAL_PERSON and id_type == IdType.CREDIT_CODE:
        raise IdentityError("id_type", "自然人请选择居民身份证、护照等个人证件；统一社会信用代码用于法人或其他组织。")
    if kind != ApplicantKind.NATURAL_PERSON and id_type not in (IdType.CREDIT_CODE, IdType.OTHER):
        raise IdentityError("id_type", "法人或其他组织请填写统一社会信用代码（无代码的选择“其他证件”）。")
    try:
        if id_type == IdType.RESIDENT_ID:
            return validate_id_number(number)
        if id_type == IdType.CREDIT_CODE:
            return validate_credit_code(number)
    except IdentifierError as exc:
        raise IdentityError("id_number", str(exc)) from None
    if not re.fullmatch(r"[0-9A-Z\-()（）]{5,40}", number):
        raise IdentityError("id_number", "证件号码只能包含字母、数字和连字符，长度5–40位，请核对。")
    return number


def normalise_phone(phone: str) -> str:
    raw = re.sub(r"\s", "", phone or "")
    if not raw:
        raise IdentityError("phone", "请填写联系电话（手机号或带区号的固定电话）。")
    if LANDLINE_RE.match(raw):
        return raw
    try:
        return validate_mobile(raw)
    except IdentifierError:
        raise IdentityError("phone", "联系电话应为11位手机号，或带区号的固定电话（如 0379-63900000），请核对。") from None


def receipt_date(channel: str, submitted_on: date | None, signed_for_on: date | None,
                 confirmed_on: date | None, today: date) -> date:
    """收到申请之日 (《条例》第三十一条, `gongkai.law.receipt`); IdentityError naming the field to fix."""
    try:
        return receipt.receipt_date(channel, submitted_on, signed_for_on, confirmed_on, today)
    except receipt.ReceiptError as exc:
        raise IdentityError(exc.field, str(exc)) from None
