"""Text normalisation, label patterns and the cell tokeniser shared by every parser.

Why: reports arrive as tab-separated text, Markdown tables, PDF text with labels broken over
lines, or crawler text with cells run together. Everything is reduced to one normalised
text (NFKC, page footers removed) in which labels are found by pattern and the text between
two labels is cut into value tokens (a number, a blank cell, or text to ignore).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# -- normalisation -----------------------------------------------------------------------

class _CharMap(dict):
    """NFKC of each character when it is one character (full-width to ASCII), else itself.

    Why per character: the normalised text keeps the length of the original, so a span
    found in it (a prose section) can be cut from the original with its own punctuation.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        norm = unicodedata.normalize("NFKC", ch)
        value = norm if len(norm) == 1 else ch
        self[code] = value
        return value


_MAP = _CharMap({ord("\r"): "\n", 0x3000: " ", 0xA0: " ",
                 **{ord(c): " " for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}})
_FOOTER_RES = [
    re.compile(r"第\s*\d+\s*页\s*(?:[,/]?\s*共\s*\d+\s*页)?"),
    re.compile(r"共\s*\d+\s*页\s*第\s*\d+\s*页"),
    re.compile(r"(?m)^[ \t]*[-—–][ \t]*\d{1,4}[ \t]*[-—–][ \t]*$"),
    re.compile(r"(?m)^[ \t]*\d{1,4}[ \t]*/[ \t]*\d{1,4}[ \t]*$"),
    re.compile(r"(?im)^[ \t]*page[ \t]+\d+(?:[ \t]+of[ \t]+\d+)?[ \t]*$"),
]


def normalize_pair(text: str) -> tuple[str, str]:
    """(normalised, original) of equal length: NFKC per character, page footers blanked.

    The normalised text is for finding things; the original is for prose to keep.
    """
    text = text.replace("\r\n", " \n").replace("\r", "\n")
    norm = text.translate(_MAP)
    orig = text
    for zw in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
        if zw in orig:
            orig = orig.replace(zw, " ")
    spans = [m.span() for rx in _FOOTER_RES for m in rx.finditer(norm)]
    for a, b in sorted(spans):
        blank = " " * (b - a)
        norm = norm[:a] + blank + norm[b:]
        orig = orig[:a] + blank + orig[b:]
    return norm, orig


def normalize(text: str) -> str:
    """Full-width punctuation and digits to ASCII, one kind of newline, no page footers."""
    return normalize_pair(text)[0]


def squash(text: str) -> str:
    """Normalised text without any whitespace, for comparing labels."""
    return re.sub(r"\s+", "", normalize(text))


# -- label patterns ----------------------------------------------------------------------

_QUOTES = "\"'“”‘’「」『』"
_ENUM = "、,，"


def _char_pattern(ch: str) -> str:
    if ch in _QUOTES:
        return "[" + re.escape(_QUOTES) + "]?"
    if ch in _ENUM:
        return "[、,]"
    if ch in "()":
        return re.escape(ch)
    return re.escape(ch)


def phrase_pattern(phrase: str) -> str:
    """Regex for a label phrase that tolerates whitespace and line breaks between characters."""
    phrase = squash(phrase)
    return r"\s*".join(_char_pattern(c) for c in phrase)


_NUMBERING_RE = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+\.)")


def numbering_pattern(label: str) -> str | None:
    """Regex for the numbering that starts an official label ("1." "(一)" "一、"), or None."""
    m = _NUMBERING_RE.match(squash(label))
    if not m:
        return None
    num = m.group(1)
    if num.startswith("("):
        return r"\(\s*" + num[1:-1] + r"\s*\)\s*"
    if num.endswith("、"):
        return num[:-1] + r"\s*[、.,]\s*"
    return num[:-1] + r"\s*[.、,]\s*"


@lru_cache(maxsize=512)
def label_regex(label: str, phrase: str) -> re.Pattern:
    """Pattern finding a row: ``phrase`` with the label's numbering as an optional prefix.

    A phrase written ``@numbered:X`` needs the numbering (e.g. "3.其他").
    """
    required = phrase.startswith("@numbered:")
    if required:
        phrase = phrase[len("@numbered:"):]
    num = numbering_pattern(label)
    body = phrase_pattern(phrase)
    if num is None:
        return re.compile(body)
    if required:
        return re.compile(num + body)
    return re.compile(f"(?:{num})?" + body)


# -- tokens ------------------------------------------------------------------------------

NUM = "num"
BLANKTOK = "blank"
TEXT = "text"

_BLANK_MARKS = {"", "-", "—", "——", "–", "/", "\\", "无", "/ ", "×"}
_FULL_NUM = re.compile(
    r"([+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:万元|元|件|个|项|条|次|%)?")
_LEAD_NUM = re.compile(r"([+\-]?\d+(?:\.\d+)?)(?![\d.])(?=[^\d\s.、,])")
_SEPARATOR_CELL = re.compile(r":?-{3,}:?")


@dataclass(frozen=True)
class Token:
    """A value token: a number (``raw`` holds its digits when it may be a run to split), a
    blank cell, or text."""

    kind: str
    value: int | float | None = None
    raw: str | None = None
    text: str = ""

    @property
    def negative(self) -> bool:
        return self.kind == NUM and self.value is not None and self.value < 0


def to_number(s: str) -> int | float:
    s = s.replace(",", "")
    if "." in s:
        v = float(s)
        return v
    return int(s)


def classify(piece: str) -> list[Token]:
    """Classify one cell's text: blank mark, number, leading number + text, or text."""
    return list(_classify(piece.strip()))


@lru_cache(maxsize=8192)
def _classify(piece: str) -> tuple[Token, ...]:
    if piece.isdigit() and piece.isascii():
        return (Token(NUM, int(piece), piece),)
    return tuple(_classify_slow(piece))


def _classify_slow(piece: str) -> list[Token]:
    if piece in _BLANK_MARKS:
        return [Token(BLANKTOK)]
    out: list[Token] = []
    for part in piece.split():
        m = _FULL_NUM.fullmatch(part)
        if m:
            out.append(_num_token(m.group(1)))
            continue
        if part in _BLANK_MARKS:
            out.append(Token(BLANKTOK))
            continue
        m = _LEAD_NUM.match(part)
        if m:
            out.extend(_glued(part))
            continue
        out.append(Token(TEXT, text=part))
    return out


def _num_token(num: str) -> Token:
    """A number; its digits stay splittable (a leading sign goes to the first part)."""
    digits = num.lstrip("+-")
    return Token(NUM, to_number(num), digits if digits.isdigit() else None)


def _glued(part: str) -> list[Token]:
    """Numbers glued to each other or to text ("3917-22143第二十条"): the numbers, then text."""
    out = []
    pos = 0
    while pos < len(part):
        m = _LEAD_NUM.match(part, pos) or _FULL_NUM.fullmatch(part, pos)
        if not m or (out and part[pos] not in "+-"):
            break
        out.append(_num_token(m.group(1)))
        pos = m.end(1) if m.re is _LEAD_NUM else len(part)
    if pos < len(part):
        out.append(Token(TEXT, text=part[pos:]))
    return out


def split_cells(line: str) -> tuple[str, list[str]] | None:
    """Cut a line into cells; returns (mode, cells) or None for a Markdown rule line."""
    if "\t" in line:
        return "tab", line.split("\t")
    stripped = line.strip()
    if stripped.count("|") >= 1 and (stripped.startswith("|") or stripped.count("|") >= 2):
        inner = stripped
        if inner.startswith("|"):
            inner = inner[1:]
        if inner.endswith("|"):
            inner = inner[:-1]
        cells = inner.split("|")
        if all(_SEPARATOR_CELL.fullmatch(c.strip()) for c in cells if c.strip()):
            return None
        return "pipe", cells
    return "space", [stripped] if stripped else []


def line_tokens(line: str, first: bool = False) -> list[Token]:
    """Tokens of one line of a region. ``first``: the line starts right after a label, so its
    first cell is the rest of the label cell (kept only if it is a number)."""
    if first:
        lead = line.lstrip(" ")
        if lead[:1] in ("\t", "|"):
            line, first = lead[1:], False
            if "\t" not in line and "|" in line:
                line = "|" + line
    split = split_cells(line)
    if split is None:
        return []
    mode, cells = split
    toks: list[Token] = []
    for i, cell in enumerate(cells):
        if first and i == 0:
            head = classify(cell) if cell.strip() else []
            while head and head[0].kind == TEXT:
                head.pop(0)
            if mode != "space" and head and head[0].kind != NUM:
                head = []
            toks.extend(head)
            continue
        if mode != "space" and not cell.strip():
            toks.append(Token(BLANKTOK))
            continue
        if mode != "space" and _SEPARATOR_CELL.fullmatch(cell.strip()):
            continue
        toks.extend(classify(cell))
    return toks


def values_of(tokens: list[Token], continuation: bool) -> list[Token]:
    """The value tokens of a line; a continuation line without any number gives none."""
    vals = [t for t in tokens if t.kind != TEXT]
    if continuation and not any(t.kind == NUM for t in vals):
        return []
    return vals
