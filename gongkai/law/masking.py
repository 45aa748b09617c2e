"""Mask personal data in a text before it is published.

《个人信息保护法》 and the national website rules forbid publishing a citizen's ID number,
phone number, address details or name with a message; 《条例》第十五条 protects personal
privacy in disclosure. These pure functions find such data and replace it with asterisks
(names with "某"), so that a reply page can be published without leaking the writer.

Finding is generous on purpose: an ID number with a wrong check digit is still an ID
number somebody typed, so it is masked too (only the embedded birth date must be real).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .identifiers import luhn_ok

# Kinds, in the order they are searched (longest digit runs first, so that an ID
# number is not also reported as a bank card or a phone number).
ID_NUMBER = "身份证号"
BANK_CARD = "银行卡号"
MOBILE = "手机号"
LANDLINE = "固定电话"
EMAIL = "电子邮箱"
ROOM = "门牌号"
NAME = "姓名"

ALL_KINDS = (ID_NUMBER, BANK_CARD, MOBILE, LANDLINE, EMAIL, ROOM, NAME)
# A reply written by staff names the office's own landline, e-mail and address on purpose.
REPLY_KINDS = (ID_NUMBER, BANK_CARD, MOBILE, NAME)

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{4})(\d{2})(\d{2})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_OLD_ID_RE = re.compile(r"(?<!\d)(\d{6})(\d{2})(\d{2})(\d{2})(\d{3})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)(\d{4}[ -]?){3,4}\d{1,4}(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[ -]?)?([2-9]\d{2,3})[ -]?(\d{4})(?!\d)")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_ROOM_RE = re.compile(r"\d+\s*(?:号楼|栋|幢|座)\s*(?:\d+\s*单元)?\s*\d*\s*(?:室|号|层|楼)?")
_SELF_NAME_RE = re.compile(r"(?:我叫|本人叫|我的名字是|姓名[:：]\s*|联系人[:：]\s*)([\u4e00-\u9fa5]{2,3})")

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "南宫", "西门", "独孤",
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


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


def _plausible_birth(year: int, month: int, day: int) -> bool:
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


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
    """Every stretch of ``text`` that looks like personal data, without overlaps."""
    text = text or ""
    taken = bytearray(len(text))
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = 1
        found.append(Finding(kind, start, end, text[start:end]))

    if ID_NUMBER in kinds:
        for m in _ID_RE.finditer(text):
            if _plausible_birth(int(m.group(2)), int(m.group(3)), int(m.group(4))):
                add(ID_NUMBER, m.start(), m.end())
        for m in _OLD_ID_RE.finditer(text):
            if _plausible_birth(1900 + int(m.group(2)), int(m.group(3)), int(m.group(4))):
                add(ID_NUMBER, m.start(), m.end())
    if BANK_CARD in kinds:
        for m in _CARD_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if 16 <= len(digits) <= 19 and luhn_ok(digits):
                add(BANK_CARD, m.start(), m.end())
    if MOBILE in kinds:
        for m in _MOBILE_RE.finditer(text):
            add(MOBILE, m.start(), m.end())
    if LANDLINE in kinds:
        for m in _LANDLINE_RE.finditer(text):
            # A bare 7–8 digit run is a phone only with an area code or a phone word nearby.
            has_area = m.group(0)[0] in "0(（"
            context = text[max(0, m.start() - 6): m.start()]
            if has_area or re.search(r"电话|座机|手机|联系|号码|拨打|致电", context):
                add(LANDLINE, m.start(), m.end())
    if EMAIL in kinds:
        for m in _EMAIL_RE.finditer(text):
            add(EMAIL, m.start(), m.end())
    if ROOM in kinds:
        for m in _ROOM_RE.finditer(text):
            add(ROOM, m.start(), m.end())
    if NAME in kinds:
        wanted = {n.strip() for n in names if n and len(n.strip()) >= 2}
        for m in _SELF_NAME_RE.finditer(text):
            if "某" not in m.group(1):  # already masked
                wanted.add(m.group(1))
        for name in sorted(wanted, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                add(NAME, m.start(), m.end())
    return tuple(sorted(found, key=lambda f: f.start))


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
