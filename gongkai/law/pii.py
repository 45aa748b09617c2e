"""Find personal data and sensitive words in text before it is published (保密审查).

Pure functions: the confidentiality-review task calls `scan_text` on the page text and
on the text of each attachment, and shows every hit to the reviewer. Personal data is
found by the one detector, `gongkai.law.personaldata`, with its STRICT policy: numbers
are only reported when their check digit is right (身份证号 per GB 11643, bank cards per
Luhn), so a 18-digit serial number or a document number does not drown the reviewer in
noise. Hit kinds are stable codes (``id_number`` …): a reviewer's confirmation is stored
under a fingerprint made from them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .personaldata import BANK_CARD, ID_NUMBER, MOBILE, STRICT, detect

DEFAULT_KEYWORDS = ("绝密", "机密", "秘密", "内部", "不宜公开", "内部资料", "注意保密")

KIND_LABELS = {
    "id_number": "身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "keyword": "敏感词",
    "unscanned": "未能扫描",
}

#: The detector's kinds → the codes hits are stored under.
KIND_CODES = {ID_NUMBER: "id_number", MOBILE: "mobile", BANK_CARD: "bank_card"}

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

    def add(kind: str, value: str, start: int, end: int) -> None:
        if (kind, value) in seen:
            return
        seen.add((kind, value))
        hits.append(Hit(kind, value, where, _context(text, start, end)))

    for finding in detect(text, STRICT):
        add(KIND_CODES[finding.kind], finding.value, finding.start, finding.end)
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
