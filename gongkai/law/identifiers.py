"""Check digits of Chinese identifiers: credit codes, ID numbers, bank cards, phones.

Pure functions, used by forms (to refuse a mistyped number) and by the confidentiality
scan (to find real personal data and not every 18-digit run).
"""

from __future__ import annotations

import re
from datetime import date

# GB 32100-2015 统一社会信用代码: 18 characters from a 31-character alphabet.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11643-1999 公民身份号码.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class IdentifierError(ValueError):
    """An identifier that is malformed; the message is Chinese and says what to fix."""


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a credit code whose first 17 characters are given."""
    total = 0
    for char, weight in zip(first17, CREDIT_CODE_WEIGHTS):
        total += CREDIT_CODE_ALPHABET.index(char) * weight
    value = 31 - total % 31
    return CREDIT_CODE_ALPHABET[0 if value == 31 else value]


def validate_credit_code(code: str) -> str:
    """Return the normalised code, or raise IdentifierError (GB 32100-2015)."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        raise IdentifierError(f"统一社会信用代码应为18位，现为{len(code)}位，请核对。")
    bad = [c for c in code if c not in CREDIT_CODE_ALPHABET]
    if bad:
        raise IdentifierError(
            f"统一社会信用代码含有不允许的字符“{''.join(dict.fromkeys(bad))}”"
            "（只能使用数字和除 I、O、Z、S、V 以外的大写字母），请核对。"
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise IdentifierError("统一社会信用代码校验位不正确，请核对是否输错了某一位。")
    return code


def is_valid_credit_code(code: str) -> bool:
    try:
        validate_credit_code(code)
    except IdentifierError:
        return False
    return True


def id_number_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[total % 11]


def validate_id_number(number: str) -> str:
    """Return the normalised 18-digit resident ID number, or raise IdentifierError."""
    number = (number or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise IdentifierError("身份证号码应为18位：前17位是数字，最后一位是数字或字母X，请核对。")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError("身份证号码中的出生日期不存在，请核对第7至14位。") from None
    if number[17] != id_number_check_char(number[:17]):
        raise IdentifierError("身份证号码校验位不正确，请核对是否输错了某一位。")
    return number


def is_valid_id_number(number: str) -> bool:
    try:
        validate_id_number(number)
    except IdentifierError:
        return False
    return True


def luhn_ok(digits: str) -> bool:
    """Luhn check used by bank card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_mobile(number: str) -> str:
    number = re.sub(r"[\s-]", "", number or "")
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE_RE.match(number):
        raise IdentifierError("手机号码应为以1开头的11位数字，请核对。")
    return number
