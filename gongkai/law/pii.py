"""Find personal data and sensitive words in text before it is published (保密审查).

Pure functions: the confidentiality-review task calls `scan_text` on the page text and
on the text of each attachment, and shows every hit to the reviewer. Numbers are only
reported when their check digit is right (身份证号 per GB 11643, bank cards per Luhn), so
a 18-digit serial number or a document number does not drown the reviewer in noise.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .identifiers import is_valid_id_number, luhn_ok

DEFAULT_KEYWORDS = ("绝密", "机密", "秘密", "内部", "不宜公开", "内部资料", "注意保密")

KIND_LABELS = {
    "id_number": "身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "keyword": "敏感词",
    "unscanned": "未能扫描",
}

# Digit runs not glued to other digits/letters; an ID number may end in X.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d(?:[- ]?\d{4}){2})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)((?:\d[ -]?){15,18}\d)(?!\d)")


_LONG_DIGITS = re.compile(r"\d{6,}[\dXx]?")


def _mask(v: str) -> str:
    keep = 2 if len(v) <= 8 else 3 if len(v) <= 11 else 4
    return v[:keep] + "*" * max(len(v) - 2 * keep, 1) + v[-keep:]


@dataclass(frozen=True)
class Hit:
    kind: str
    value: str
    where: str
    context: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def masked(self) -> str:
        """The value with its middle hidden, for screens and audit records."""
        if self.kind in ("keyword", "unscanned"):
            return self.value
        return _mask(self.value)

    @property
    def masked_context(self) -> str:
        """The surrounding text with every long digit run partly hidden."""
        return _LONG_DIGITS.sub(lambda m: _mask(m.group(0)), self.context)

    @property
    def fingerprint(self) -> str:
        """Stable identity of a hit, so a confirmation applies to later revisions too."""
        raw = f"{self.kind}|{self.value}|{self.where}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return f"{left}【{text[start:end]}】{right}".replace("\n", " ")


def scan_text(text: str, where: str, keywords: tuple[str, ...] | list[str] = DEFAULT_KEYWORDS) -> list[Hit]:
    """Every ID number, mobile number, bank card number and keyword found in `text`."""
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        taken.append((start, end))
        if (kind, value) in seen:
            return
        seen.add((kind, value))
        hits.append(Hit(kind, value, where, _context(text, start, end)))

    for m in _ID_RE.finditer(text):
        if is_valid_id_number(m.group(1)):
            add("id_number", m.group(1).upper(), m.start(1), m.end(1))
    for m in _MOBILE_RE.finditer(text):
        if any(s <= m.start(1) < e for s, e in taken):
            continue
        add("mobile", re.sub(r"[- ]", "", m.group(1)), m.start(1), m.end(1))
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(1))
        if not 16 <= len(digits) <= 19 or any(s <= m.start(1) < e for s, e in taken):
            continue
        if luhn_ok(digits) and digits[0] in "3456789":
            add("bank_card", digits, m.start(1), m.end(1))
    for word in keywords:
        word = word.strip()
        if not word:
            continue
        start = text.find(word)
        if start >= 0:
            add("keyword", word, start, start + len(word))
    return hits


def unscanned_hit(where: str, reason: str) -> Hit:
    """A stand-in hit for an attachment whose text could not be read: a person must look."""
    return Hit("unscanned", where, where, reason)
