"""Do two applications ask for the same government information? Text similarity and grouping.

Used twice: one applicant's near-identical applications (《条例》第三十五条、第三十六条第（六）项,
`most_similar`), and many applicants asking for the same information (《条例》第四十四条 — 多个申请人
就相同政府信息提出公开申请的，可以纳入主动公开的范围; `group_cases`).

Similarity is the Dice coefficient of the character bigrams of the normalised texts: Chinese
has no spaces, and two applicants naming the same document share most of its two-character
pieces ("优抚资金发放" → 优抚 抚资 资金 金发 发放) whatever words they put around them. Before
grouping, the phrases every application contains (申请公开、政府信息、相关文件 …) are removed,
so that they do not make unrelated applications look alike.

Grouping joins two cases when their document numbers (文号) are the same after normalisation
(`doc_number_key`: look-alike brackets, spaces, full-width digits, “第”, leading zeros), or
when their texts are at least `threshold` similar. Groups are the connected components. To
stay fast with thousands of cases it never compares every pair: it uses the prefix filter of
similarity joins (Bayardo et al., "Scaling up all pairs similarity search", 2007) — bigrams are
ordered rarest first; two texts with Dice ≥ t must share at least ⌈t·|A|/(2−t)⌉ bigrams, so
they share one among the first |A| − ⌈t·|A|/(2−t)⌉ + 1 of each; only pairs meeting there are
compared. No pair above the threshold is missed. One more rule: texts that both name years
(2024年, 2025年度) but no year in common ask for different information (last year's list is
not this year's), however alike the rest.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

#: One applicant's repeat (《条例》第三十六条第（六）项): nearly the same text.
REPEAT_THRESHOLD = 0.8
#: Many applicants, same information (《条例》第四十四条): the same document in different words.
GROUP_THRESHOLD = 0.6
#: Texts are cut to this many characters before comparing (the subject and the start of the description).
MAX_CHARS = 300

_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)
# Words that nearly every application contains; they say nothing about which information is asked for.
FILLER = ("申请公开", "请求公开", "要求公开", "依申请", "申请人", "政府信息", "公开申请", "本人", "我", "贵局", "贵单位",
          "贵机关", "请予", "予以公开", "请公开", "申请", "公开", "相关", "有关", "提供", "获取", "查询", "复印件",
          "文件", "信息", "资料", "关于", "的", "一份", "全文", "内容")
_FILLER_RE = re.compile("|".join(sorted(map(re.escape, FILLER), key=len, reverse=True)))


def normalise(text: str) -> str:
    """Lower case, NFKC (full-width to half-width), without spaces and punctuation."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text or "").lower())


def bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i:i + 2] for i in range(len(text) - 1)}


def dice(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the normalised texts (1.0 = identical)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return dice(bigrams(na), bigrams(nb))


def most_similar(text: str, candidates) -> tuple[object, float] | tuple[None, float]:
    """The candidate (obj, its text) most similar to `text`, if at or above REPEAT_THRESHOLD."""
    best, score = None, 0.0
    for obj, other in candidates:
        s = similarity(text, other)
        if s > score:
            best, score = obj, s
    return (best, score) if score >= REPEAT_THRESHOLD else (None, score)


def content_bigrams(text: str) -> set[str]:
    """The bigrams that describe the information asked for: normalised, filler phrases removed."""
    return bigrams(_FILLER_RE.sub("", normalise(text))[:MAX_CHARS])


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def years(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(unicodedata.normalize("NFKC", text or "")))


_DOC_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "【": "〔", "】": "〕",
                               "{": "〔", "}": "〕", "<": "〔", ">": "〕", "《": "", "》": ""})
_DOC_SHAPE = re.compile(r"^(?P<code>.+?)〔(?P<year>\d{4})〕第?0*(?P<seq>\d+)号?$")


def doc_number_key(value: str) -> str:
    """A 文号 as a grouping key: 洛退役发[2026]03号, 洛退役发（2026）第3号 and 洛退役发 〔2026〕3号 are one key.

    NFKC turns full-width brackets, digits and spaces into their plain forms (and ﹝﹞ into 〔〕);
    every look-alike bracket becomes 〔〕; spaces, “第” and leading zeros of the serial go.
    An empty or shapeless value gives "" (no key: never grouped by number)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "").translate(_DOC_BRACKETS))
    m = _DOC_SHAPE.match(text)
    if not m or int(m["seq"]) == 0:
        return ""
    return f"{m['code']}〔{m['year']}〕{int(m['seq'])}号"


@dataclass(frozen=True)
class Case:
    """What grouping needs of an application: its id, who applied (a stable key), 文号 and text."""

    id: int
    applicant: str
    doc_number: str
    text: str


@dataclass
class Group:
    ids: list[int]
    applicants: int  # distinct applicants
    doc_numbers: list[str] = field(default_factory=list)  # the shared 文号 keys, if grouped by number
    score: float = 0.0  # the lowest similarity of the links that joined it by text (1.0: by number or same text only)


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def similar_pairs(texts: list[set[str]], threshold: float, tags: list[frozenset] | None = None, joined=None):
    """(j, i, score) for every pair of bigram sets with Dice ≥ threshold, by the prefix filter (module doc).

    `tags` (the years each text names): a pair whose tags are both non-empty and disjoint is skipped.
    `joined(j, i)`: a pair already known to be in one group is not compared (grouping needs no more)."""
    frequency: dict[str, int] = defaultdict(int)
    for grams in texts:
        for g in grams:
            frequency[g] += 1
    ordered = [sorted(grams, key=lambda g: (frequency[g], g)) for grams in texts]
    index: dict[str, list[int]] = defaultdict(list)
    ratio = threshold / (2 - threshold)
    for i, grams in enumerate(ordered):
        size = len(grams)
        if not size:
            continue
        prefix = size - math.ceil(ratio * size) + 1
        seen: set[int] = set()
        for g in grams[:prefix]:
            for j in index[g]:
                if j in seen:
                    continue
                seen.add(j)
                if tags and tags[i] and tags[j] and not tags[i] & tags[j]:
                    continue
                if joined is not None and joined(j, i):
                    continue
                other = len(ordered[j])
                if min(size, other) < ratio * max(size, other):  # sizes too far apart for Dice ≥ t
                    continue
                score = dice(texts[i], texts[j])
                if score >= threshold:
                    yield j, i, score
            index[g].append(i)


def group_cases(cases: list[Case], *, threshold: float = GROUP_THRESHOLD, min_applicants: int = 3) -> list[Group]:
    """Groups of cases asking for the same information, with at least `min_applicants` distinct applicants.

    One applicant applying three times counts once. Groups come in the order of their
    first case in `cases`; each group's ids keep that order too."""
    n = len(cases)
    union = _Union(n)
    by_number: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        key = doc_number_key(case.doc_number)
        if key:
            by_number[key].append(i)
    for members in by_number.values():
        for j in members[1:]:
            union.join(members[0], j)
    # Cases whose texts say the same thing once the filler is gone are one text to compare (and joined).
    texts, tags, first_of = [], [], {}
    text_of = []
    for i, case in enumerate(cases):
        grams, named = content_bigrams(case.text), years(case.text)
        if not grams:  # nothing describes the information: never grouped by text
            text_of.append(-1)
            continue
        key = (frozenset(grams), named)
        if key not in first_of:
            first_of[key] = len(texts)
            texts.append(grams)
            tags.append(named)
        text_of.append(first_of[key])
    holder: dict[int, int] = {}
    for i, t in enumerate(text_of):
        if t < 0:
            continue
        if t in holder:
            union.join(holder[t], i)
        else:
            holder[t] = i
    # Blocked by year: texts naming a year are compared with texts naming the same year, and with those naming none.
    blocks: dict[str | None, list[int]] = defaultdict(list)
    for t, named in enumerate(tags):
        for year in named or (None,):
            blocks[year].append(t)
    timeless = blocks.pop(None, [])
    block_list = [members + timeless for members in blocks.values()] if blocks else [timeless]
    links = []
    for members in block_list:
        def joined(a: int, b: int, members=members) -> bool:
            return union.find(holder[members[a]]) == union.find(holder[members[b]])

        for a, b, score in similar_pairs([texts[t] for t in members], threshold, None, joined):
            union.join(holder[members[a]], holder[members[b]])
            links.append((holder[members[a]], score))
    weakest: dict[int, float] = {}
    for i, score in links:
        root = union.find(i)
        weakest[root] = min(weakest.get(root, 1.0), score)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[union.find(i)].append(i)
    groups = []
    for root, idx in members.items():
        applicants = len({cases[i].applicant for i in idx})
        if len(idx) < 2 or applicants < min_applicants:
            continue
        numbers = sorted({k for i in idx if (k := doc_number_key(cases[i].doc_number))
                          and len(by_number[k]) > 1})
        groups.append(Group(ids=[cases[i].id for i in idx], applicants=applicants, doc_numbers=numbers,
                            score=round(weakest.get(root, 1.0), 3)))
    return groups  # a component's root is its first case, so `members` is already in that order
