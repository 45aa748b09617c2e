"""Mask personal data in a text before it is published.

《个人信息保护法》 and the national website rules forbid publishing a citizen's ID number,
phone number, address details or name with a message; 《条例》第十五条 protects personal
privacy in disclosure. These pure functions find such data and replace it with asterisks
(names with "某"), so that a reply page can be published without leaking the writer.

What counts as personal data is decided by the one detector, `gongkai.law.personaldata`,
with its LENIENT policy: finding is generous on purpose (an ID number with a wrong check
digit is still an ID number somebody typed, so it is masked too; only the embedded birth
date must be real). This module decides how each finding is written once masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .personaldata import (
    ALL_KINDS, BANK_CARD, EMAIL, ID_NUMBER, LANDLINE, LENIENT, MOBILE, NAME, ROOM, Finding, detect,
)

# A reply written by staff names the office's own landline, e-mail and address on purpose.
REPLY_KINDS = (ID_NUMBER, BANK_CARD, MOBILE, NAME)

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "南宫", "西门", "独孤",
)


@dataclass(frozen=True)
class MaskResult:
    """The masked text and what was found (positions refer to the original text)."""

    text: str
    findings: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def summary(self) -> str:
        """A Chinese phrase naming what was masked, e.g. "身份证号1处、手机号2处"."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        return "、".join(f"{kind}{n}处" for kind, n in counts.items())


def mask_name(name: str) -> str:
    """"张三丰" -> "张某某", "欧阳修" -> "欧阳某": keep the surname, one 某 per given-name character."""
    name = name.strip()
    if not name:
        return name
    surname_length = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:surname_length] + "某" * max(1, len(name) - surname_length)


def _mask_digits(text: str, keep_start: int, keep_end: int) -> str:
    """Replace every digit/letter except the first ``keep_start`` and last ``keep_end`` ones."""
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    hidden = set(positions[keep_start: len(positions) - keep_end if keep_end else None])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def find_personal_data(text: str, *, names: tuple[str, ...] | list[str] = (), kinds=ALL_KINDS) -> tuple[Finding, ...]:
    """What masking hides: the LENIENT policy of `gongkai.law.personaldata` (a missed number leaks)."""
    return detect(text, LENIENT, kinds=kinds, names=names)


def _replacement(finding: Finding) -> str:
    value = finding.text
    if finding.kind == ID_NUMBER:
        return _mask_digits(value, 3, 0)
    if finding.kind == BANK_CARD:
        return _mask_digits(value, 0, 4)
    if finding.kind == MOBILE:
        return _mask_digits(value, len(re.sub(r"\D", "", value)) - 8, 4)
    if finding.kind == LANDLINE:
        return _mask_digits(value, 0, 0)
    if finding.kind == EMAIL:
        local, _, domain = value.partition("@")
        return local[:1] + "***@" + domain
    if finding.kind == ROOM:
        return re.sub(r"\d", "*", value)
    if finding.kind == NAME:
        return mask_name(value)
    raise ValueError(finding.kind)  # pragma: no cover


def mask_personal_data(text: str, *, names: tuple[str, ...] | list[str] = (), kinds=ALL_KINDS) -> MaskResult:
    """Return ``text`` with every finding masked; names keep their surname ("张某")."""
    text = text or ""
    findings = find_personal_data(text, names=names, kinds=kinds)
    parts: list[str] = []
    pos = 0
    for finding in findings:
        parts.append(text[pos: finding.start])
        parts.append(_replacement(finding))
        pos = finding.end
    parts.append(text[pos:])
    return MaskResult("".join(parts), findings)
