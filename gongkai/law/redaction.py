"""The rules of redaction for 部分公开 (《条例》第三十七条): what a box may cite, what to look for, and the verdict.

A redacted file is released only when a check of the *output* finds nothing that was meant
to be removed. This module is the pure part: the legal bases a box is labelled with, the
mark specifications staff give (a string, a kind of personal data, a region), how a mark is
found in text however it was typeset ("张 三", a number broken over two lines, full-width
digits), and the verdict on the text read back from the output.

Personal data is found by the one detector, `gongkai.law.personaldata`, with its LENIENT
policy. A redaction is the last gate before release, so a missed number is worse than an
extra box: an ID number with a mistyped check character, a 15-digit pre-1999 number, and an
OCR misreading of one digit of a scanned check character are all still ID numbers that must
not be released (the STRICT policy of the 保密审查 scan would let them through). Staff see
every box in the output and may confirm a value as allowed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .masking import mask_personal_data
from .personaldata import BANK_CARD, EMAIL, ID_NUMBER, LANDLINE, LENIENT, MOBILE, NAME, ROOM, detect
from .pii import KIND_CODES
from .replies import PART_REASONS, REPLY_TYPES


class RedactionRuleError(ValueError):
    """A mark that cannot be applied; the message says in Chinese what to fix."""


@dataclass(frozen=True)
class Basis:
    """A legal basis a redaction box cites: the article of the reply type it belongs to, and the subject."""

    key: str
    reply_type: str  # the withheld-part reason of the reply letter (PART_REASONS)
    subject: str

    @property
    def article(self) -> str:
        """The first article the reply type cites, e.g. "第十五条" (from 《条例》第十五条、第三十六条第（三）项)."""
        return _ARTICLE.search(REPLY_TYPES[self.reply_type].article).group(0)

    @property
    def label(self) -> str:
        """What the black box says, e.g. "第十五条 个人隐私"."""
        return f"{self.article} {self.subject}"


_ARTICLE = re.compile(r"第[一二三四五六七八九十百]+条")

# Key → (withheld-part reason, subject). The article comes from the reply type, so a box and
# the reply letter's reason for the withheld part never disagree.
_BASIS_SOURCES = {
    "state_secret": ("result.denied.state_secret", "国家秘密"),
    "law_prohibited": ("result.denied.law_prohibited", "法律法规禁止公开"),
    "security_stability": ("result.denied.security_stability", "危及“三安全一稳定”"),
    "privacy": ("result.denied.third_party", "个人隐私"),
    "trade_secret": ("result.denied.third_party", "商业秘密"),
    "internal_affairs": ("result.denied.internal_affairs", "内部事务信息"),
    "process": ("result.denied.process_info", "过程性信息"),
    "enforcement_file": ("result.denied.enforcement_file", "行政执法案卷"),
}
assert {reason for reason, _ in _BASIS_SOURCES.values()} <= set(PART_REASONS)

BASIS_INFO: dict[str, Basis] = {key: Basis(key, reason, subject) for key, (reason, subject) in _BASIS_SOURCES.items()}

#: Basis key → the label printed on the box, e.g. BASES["privacy"] == "第十五条 个人隐私".
BASES: dict[str, str] = {key: basis.label for key, basis in BASIS_INFO.items()}

#: Pattern kind codes (stored and typed, as in the 保密审查 scan) → the detector's kinds.
PATTERN_KINDS: dict[str, str] = {
    **{code: kind for kind, code in KIND_CODES.items()},
    "landline": LANDLINE, "email": EMAIL, "room": ROOM, "name": NAME,
}

#: Personal data the check of an output always looks for, marked or not: never the office's own.
ALWAYS_CHECKED = (ID_NUMBER, BANK_CARD, MOBILE)
#: What `--pii` redacts.
DEFAULT_PII = tuple(code for code, kind in PATTERN_KINDS.items() if kind in ALWAYS_CHECKED)


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise RedactionRuleError(f"遮盖依据“{basis}”不存在，请从以下依据中选择：{'、'.join(BASES)}。")


@dataclass(frozen=True)
class TextMark:
    """Every occurrence of a string (whitespace and full-width forms do not matter)."""

    text: str
    basis: str = "privacy"

    def __post_init__(self):
        _check_basis(self.basis)
        if not normalize(self.text)[0]:
            raise RedactionRuleError("要遮盖的文字为空，请填写要遮盖的内容。")


@dataclass(frozen=True)
class PatternMark:
    """Every stretch of one kind of personal data the detector finds (`PATTERN_KINDS`)."""

    kind: str
    basis: str = "privacy"

    def __post_init__(self):
        _check_basis(self.basis)
        if self.kind not in PATTERN_KINDS:
            raise RedactionRuleError(f"个人信息类别“{self.kind}”不存在，请从以下类别中选择：{'、'.join(PATTERN_KINDS)}。")


@dataclass(frozen=True)
class RegionMark:
    """A rectangle of one page (page numbers from 1; PDF points, origin at the top left)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    basis: str = "privacy"

    def __post_init__(self):
        _check_basis(self.basis)
        if self.page < 1:
            raise RedactionRuleError(f"页码 {self.page} 无效，页码从 1 开始。")
        if not (self.x0 < self.x1 and self.y0 < self.y1):
            raise RedactionRuleError("遮盖区域无效：左上角坐标须小于右下角坐标。")


# ---------------------------------------------------------------------------------------
# Finding marks in text


_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def normalize(text: str, *, keep_space: bool = False) -> tuple[str, list[int]]:
    """Text in one comparable form, and for each character the index it came from.

    NFKC (full-width digits and letters become ASCII), case-folded, invisible characters
    dropped, and whitespace (spaces, line breaks) dropped unless `keep_space`, in which case
    each run of it becomes one space.
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text or ""):
        if ch in _INVISIBLE:
            continue
        if ch.isspace():
            if keep_space and out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        for n in unicodedata.normalize("NFKC", ch).casefold():
            if n.isspace():
                continue
            out.append(n)
            where.append(i)
    return "".join(out), where


@dataclass(frozen=True)
class Span:
    """A stretch of the searched text to remove: ``start``/``end`` index the original text."""

    start: int
    end: int
    basis: str
    what: str  # "text" or the detector's kind
    text: str


def _occurrences(haystack: str, needle: str):
    start = haystack.find(needle)
    while needle and start >= 0:
        yield start
        start = haystack.find(needle, start + len(needle))


def find_text(text: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of every occurrence of `needle`, ignoring whitespace, width and case."""
    norm, where = normalize(text)
    target = normalize(needle)[0]
    return [(where[s], where[s + len(target) - 1] + 1) for s in _occurrences(norm, target)]


def find_personal_data(text: str, kinds) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, value) of personal data in `text`, also where a line break or space splits it.

    The detector runs on the text with whitespace kept (two numbers side by side stay two)
    and with it removed (a number broken over two lines is one again); both are reported.
    """
    kinds = tuple(k for k in LENIENT.kinds if k in set(kinds))
    if not kinds:
        return []
    found: dict[tuple[int, int], tuple[int, int, str, str]] = {}
    for keep_space in (True, False):
        norm, where = normalize(text, keep_space=keep_space)
        for f in detect(norm, LENIENT, kinds=kinds):
            a, b = where[f.start], where[f.end - 1] + 1
            found.setdefault((a, b), (a, b, f.kind, f.value))
    return sorted(found.values())


def find_marks(text: str, marks) -> list[Span]:
    """Every stretch of `text` the text and pattern marks cover (region marks are placed by the file adapter)."""
    spans: list[Span] = []
    by_kind: dict[str, str] = {}
    for mark in marks:
        if isinstance(mark, TextMark):
            spans += [Span(a, b, mark.basis, "text", text[a:b]) for a, b in find_text(text, mark.text)]
        elif isinstance(mark, PatternMark):
            by_kind.setdefault(PATTERN_KINDS[mark.kind], mark.basis)
    for a, b, kind, _value in find_personal_data(text, by_kind):
        spans.append(Span(a, b, by_kind[kind], kind, text[a:b]))
    return sorted(spans, key=lambda s: (s.start, s.end))


# ---------------------------------------------------------------------------------------
# The verdict on an output


@dataclass(frozen=True)
class PageText:
    """What could be read back from one page of an output (page 0: the document's properties)."""

    page: int
    text: str = ""
    has_images: bool = False  # the page shows images (or drawn shapes only), so OCR must read it
    ocr_text: str | None = None  # None: not OCR-read
    in_regions: tuple[str, ...] = ()  # text still found inside the region marks of this page


@dataclass(frozen=True)
class Survivor:
    page: int
    source: str  # 文字层 / 图像识别 / 文档属性 / 遮盖区域
    what: str  # "text" or the detector's kind
    text: str

    @property
    def shown(self) -> str:
        """The surviving text, personal data masked, as reports print it."""
        if self.what == "text":
            return self.text
        return mask_personal_data(self.text).text


@dataclass(frozen=True)
class Verdict:
    ok: bool
    survivors: tuple[Survivor, ...] = ()
    unverified_pages: tuple[int, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        if self.ok:
            return "核验通过：输出文件中未发现标记内容或未经确认的个人信息。"
        return "核验未通过：" + "；".join(self.reasons) + "。"


def _where(page: int, source: str) -> str:
    return "文档属性" if page == 0 else f"第{page}页（{source}）"


def _label_spans(text: str) -> list[tuple[int, int]]:
    return [span for label in set(BASES.values()) for span in find_text(text, label)]


def _overlaps(a: int, b: int, spans) -> bool:
    return any(a < e and s < b for s, e in spans)


def _canonical(value: str) -> str:
    """A confirmed value as the detector gives it ("138-1234-5678" → "13812345678")."""
    found = detect(normalize(value, keep_space=True)[0], LENIENT)
    return normalize(found[0].value if len(found) == 1 else value)[0]


def verdict(pages, marks, *, allowed=()) -> Verdict:
    """Whether an output may be released: no marked string, no unconfirmed personal data, every page read.

    `pages` are :class:`PageText`; `allowed` are personal-data values staff confirmed may stay
    (e.g. the office's published phone number). The box labels themselves never count.
    """
    allowed_values = {_canonical(v) for v in allowed}
    kinds = set(ALWAYS_CHECKED) | {PATTERN_KINDS[m.kind] for m in marks if isinstance(m, PatternMark)}
    texts = [m.text for m in marks if isinstance(m, TextMark)]
    survivors: list[Survivor] = []
    seen = set()

    def add(s: Survivor) -> None:
        if (s.page, s.source, s.what, normalize(s.text)[0]) not in seen:
            seen.add((s.page, s.source, s.what, normalize(s.text)[0]))
            survivors.append(s)

    unverified: list[int] = []
    for page in pages:
        sources = [("文档属性" if page.page == 0 else "文字层", page.text)]
        if page.ocr_text is not None:
            sources.append(("图像识别", page.ocr_text))
        for source, text in sources:
            labels = _label_spans(text)
            for needle in texts:
                for a, b in find_text(text, needle):
                    if not _overlaps(a, b, labels):
                        add(Survivor(page.page, source, "text", text[a:b]))
            for a, b, kind, value in find_personal_data(text, kinds):
                if normalize(value)[0] not in allowed_values and not _overlaps(a, b, labels):
                    add(Survivor(page.page, source, kind, text[a:b]))
        for leftover in page.in_regions:
            rest = normalize(leftover)[0]
            for label in set(BASES.values()):
                rest = rest.replace(normalize(label)[0], "")
            if rest:
                add(Survivor(page.page, "遮盖区域", "text", leftover.strip()))
        if page.has_images and not normalize(page.ocr_text or "")[0]:
            unverified.append(page.page)
    reasons = [f"{_where(s.page, s.source)}仍有{'标记内容' if s.what == 'text' else s.what}“{s.shown}”"
               for s in survivors]
    if unverified:
        reasons.append(f"第{'、'.join(map(str, unverified))}页是图像，未能识别出文字，未能核验，须人工逐页查看")
    return Verdict(not survivors and not unverified, tuple(survivors), tuple(unverified), tuple(reasons))
