"""Masked forms of personal data for staff pages (full values only on an audited click).

Phones and e-mail addresses use the publication rules of `gongkai.law.masking`; an ID
number keeps its first and last four characters (enough to compare with a document the
person shows), an address keeps its first few characters (the city, not the door).
"""

from __future__ import annotations

from gongkai.law.masking import EMAIL, LANDLINE, MOBILE, mask_personal_data


def _stars(value: str, keep_start: int, keep_end: int) -> str:
    hidden = max(1, len(value) - keep_start - keep_end)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def mask_id_number(value: str) -> str:
    value = value or ""
    if not value:
        return ""
    return _stars(value, 4, 4) if len(value) > 8 else _stars(value, 0, 2)


def mask_phone(value: str) -> str:
    value = value or ""
    masked = mask_personal_data(value, kinds=(MOBILE, LANDLINE))
    if masked.changed:
        return masked.text
    return _stars(value, 0, 4) if len(value) > 4 else "*" * len(value)


def mask_email(value: str) -> str:
    value = value or ""
    masked = mask_personal_data(value, kinds=(EMAIL,))
    return masked.text if masked.changed else ("*" * len(value))


def mask_address(value: str) -> str:
    value = value or ""
    if not value:
        return ""
    return value[: min(6, len(value) // 2)] + "****"
