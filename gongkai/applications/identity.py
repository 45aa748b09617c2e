"""Checks of an applicant's identity document and phone; the receipt date of 《条例》第三十一条 from the law."""

from __future__ import annotations

import re
from datetime import date

from gongkai.core.domain import DomainError
from gongkai.law import receipt
from gongkai.law.identifiers import IdentifierError, validate_credit_code, validate_id_number, validate_mobile

from .models import ApplicantKind, IdType

LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_id(kind: str, id_type: str, id_number: str) -> str:
    number = re.sub(r"\s", "", id_number or "").upper()
    if not number:
        raise DomainError("请填写证件号码。", field="id_number")
    if kind == ApplicantKind.NATURAL_PERSON and id_type == IdType.CREDIT_CODE:
        raise DomainError("自然人请选择居民身份证、护照等个人证件；统一社会信用代码用于法人或其他组织。", field="id_type")
    if kind != ApplicantKind.NATURAL_PERSON and id_type not in (IdType.CREDIT_CODE, IdType.OTHER):
        raise DomainError("法人或其他组织请填写统一社会信用代码（无代码的选择“其他证件”）。", field="id_type")
    try:
        if id_type == IdType.RESIDENT_ID:
            return validate_id_number(number)
        if id_type == IdType.CREDIT_CODE:
            return validate_credit_code(number)
    except IdentifierError as exc:
        raise DomainError(str(exc), field="id_number") from None
    if not re.fullmatch(r"[0-9A-Z\-()（）]{5,40}", number):
        raise DomainError("证件号码只能包含字母、数字和连字符，长度5–40位，请核对。", field="id_number")
    return number


def normalise_phone(phone: str) -> str:
    raw = re.sub(r"\s", "", phone or "")
    if not raw:
        raise DomainError("请填写联系电话（手机号或带区号的固定电话）。", field="phone")
    if LANDLINE_RE.match(raw):
        return raw
    try:
        return validate_mobile(raw)
    except IdentifierError:
        raise DomainError("联系电话应为11位手机号，或带区号的固定电话（如 0379-63900000），请核对。", field="phone") from None


def receipt_date(channel: str, submitted_on: date | None, signed_for_on: date | None,
                 confirmed_on: date | None, today: date) -> date:
    """收到申请之日 (《条例》第三十一条, `gongkai.law.receipt`); DomainError naming the field to fix."""
    try:
        return receipt.receipt_date(channel, submitted_on, signed_for_on, confirmed_on, today)
    except receipt.ReceiptError as exc:
        raise DomainError(str(exc), field=exc.field) from None
