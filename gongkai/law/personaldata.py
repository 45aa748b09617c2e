"""The one detector of personal data in text, with two policies (《个人信息保护法》, 《条例》第十五条).

Two callers look for the same kinds of data for different purposes, so the rules live here
once and a :class:`Policy` says how much evidence a number needs:

- :data:`STRICT` — the 保密审查 scan of a page and its attachments before publication
  (`gongkai.law.pii`). Every hit becomes a task a reviewer must confirm, so a number counts
  only with proof: an ID number needs the right GB 11643 check character; only ID numbers,
  mobile numbers and bank cards are looked for (a landline or an e-mail address in a
  published notice is usually the office's own).
- :data:`LENIENT` — masking a value before it is shown or published (`gongkai.law.masking`:
  message pages, staff lists, supervisors' reads). A missed number leaks, so the benefit of
  the doubt goes the other way: an ID number with a mistyped check character and a 15-digit
  pre-1999 number still count, and landlines, e-mail addresses, room numbers and names are
  found too.

Both policies share the shapes, so neither mistakes ordinary figures for personal data:
an 18-character ID number must contain a real birth date (1900–2099), a bank card needs
16–19 digits, a Luhn check and an issuer digit (3–9: no date, 统一社会信用代码 or 索引号
starts a card), a bare 7–8 digit run is a landline only with an area code or a phone word
just before it. Findings never overlap; longer digit runs are searched first, so an ID
number is not also reported as a card or a phone number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .identifiers import id_number_check_char, luhn_ok

# Kinds (their Chinese names are also what a masking summary prints), in search order.
ID_NUMBER = "身份证号"
BANK_CARD = "银行卡号"
MOBILE = "手机号"
LANDLINE = "固定电话"
EMAIL = "电子邮箱"
ROOM = "门牌号"
NAME = "姓名"

ALL_KINDS = (ID_NUMBER, BANK_CARD, MOBILE, LANDLINE, EMAIL, ROOM, NAME)

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{4})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_OLD_ID_RE = re.compile(r"(?<!\d)(\d{6})(\d{2})(\d{2})(\d{2})(\d{3})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[ -]?)?([2-9]\d{2,3})[ -]?(\d{4})(?!\d)")
_PHONE_WORDS = re.compile(r"电话|座机|手机|联系|号码|拨打|致电")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_ROOM_RE = re.compile(r"\d+\s*(?:号楼|栋|幢|座)\s*(?:\d+\s*单元)?\s*\d*\s*(?:室|号|层|楼)?")
_SELF_NAME_RE = re.compile(r"(?:我叫|本人叫|我的名字是|姓名[:：]\s*|联系人[:：]\s*)([\u4e00-\u9fa5]{2,3})")
CARD_ISSUER_DIGITS = "3456789"  # 3 JCB/Amex, 4 Visa, 5 Mastercard, 6 UnionPay …


@dataclass(frozen=True)
class Policy:
    """How much evidence a stretch of text needs to count as personal data."""

    name: str
    kinds: tuple[str, ...]  # what the policy looks for at all (in ALL_KINDS order)
    id_check_character: bool  # an 18-character ID number needs its GB 11643 check character
    old_id_numbers: bool  # 15-digit ID numbers (issued before 1999, no check character)


STRICT = Policy("strict", kinds=(ID_NUMBER, BANK_CARD, MOBILE), id_check_character=True, old_id_numbers=False)
LENIENT = Policy("lenient", kinds=ALL_KINDS, id_check_character=False, old_id_numbers=True)


@dataclass(frozen=True)
class Finding:
    """One stretch of personal data; ``start``/``end`` index the text searched."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def value(self) -> str:
        """The datum itself, the same however it was written: digits of a number without
        separators or the +86 prefix, an ID number's X in upper case."""
        if self.kind == ID_NUMBER:
            return self.text.upper()
        if self.kind == MOBILE:
            return re.sub(r"\D", "", self.text)[-11:]
        if self.kind == BANK_CARD:
            return re.sub(r"\D", "", self.text)
        return self.text


def _plausible_birth(year: int, month: int, day: int) -> bool:
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def detect(text: str, policy: Policy = LENIENT, *, kinds=None,
           names: tuple[str, ...] | list[str] = ()) -> tuple[Finding, ...]:
    """Every stretch of ``text`` that ``policy`` counts as personal data, in text order, without overlaps.

    ``kinds`` narrows the search to some of the policy's kinds (a kind the policy does not
    look for is an error); ``names`` are names known to belong to the writer (LENIENT only).
    """
    text = text or ""
    wanted_kinds = set(policy.kinds if kinds is None else kinds)
    if not wanted_kinds <= set(policy.kinds):
        raise ValueError(f"policy {policy.name} does not look for {sorted(wanted_kinds - set(policy.kinds))}")
    taken = bytearray(len(text))
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = 1
        found.append(Finding(kind, start, end, text[start:end]))

    if ID_NUMBER in wanted_kinds:
        for m in _ID_RE.finditer(text):
            if not _plausible_birth(int(m.group(2)), int(m.group(3)), int(m.group(4))):
                continue
            if policy.id_check_character and m.group(6).upper() != id_number_check_char(m.group(0)[:17]):
                continue
            add(ID_NUMBER, m.start(), m.end())
        if policy.old_id_numbers:
            for m in _OLD_ID_RE.finditer(text):
                if _plausible_birth(1900 + int(m.group(2)), int(m.group(3)), int(m.group(4))):
                    add(ID_NUMBER, m.start(), m.end())
    if BANK_CARD in wanted_kinds:
        for m in _CARD_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if 16 <= len(digits) <= 19 and digits[0] in CARD_ISSUER_DIGITS and luhn_ok(digits):
                add(BANK_CARD, m.start(), m.end())
    if MOBILE in wanted_kinds:
        for m in _MOBILE_RE.finditer(text):
            add(MOBILE, m.start(), m.end())
    if LANDLINE in wanted_kinds:
        for m in _LANDLINE_RE.finditer(text):
            has_area_code = m.group(0)[0] in "0(（"
            if has_area_code or _PHONE_WORDS.search(text[max(0, m.start() - 6): m.start()]):
                add(LANDLINE, m.start(), m.end())
    if EMAIL in wanted_kinds:
        for m in _EMAIL_RE.finditer(text):
            add(EMAIL, m.start(), m.end())
    if ROOM in wanted_kinds:
        for m in _ROOM_RE.finditer(text):
            add(ROOM, m.start(), m.end())
    if NAME in wanted_kinds:
        known = {n.strip() for n in names if n and len(n.strip()) >= 2}
        for m in _SELF_NAME_RE.finditer(text):
            if "某" not in m.group(1):  # already masked
                known.add(m.group(1))
        for name in sorted(known, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                add(NAME, m.start(), m.end())
    return tuple(sorted(found, key=lambda f: f.start))
