"""Find the six sections by keywords, the title, agency and year, and the format.

Why: reports renumber, reword and misspell headings, flatten them into running text, or
lose them; so a heading is a section keyword near a top-level numeral ("四、"), or alone at
the start of a short line, taken in order. The format is told by the table labels, not the
year (format note §0); the year and agency come from the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import spec

_NUMERAL = r"(?:第?[一二三四五六七八九十]{1,2}(?:部分)?\s*[、.,:]|[一二三四五六七八九十]\s)"
KEYWORDS = {
    "一": r"总\s*体\s*情\s*况",
    "二": r"主\s*动\s*公\s*开(?:\s*政\s*府\s*信\s*息)?\s*(?:情\s*况|工\s*作)",
    "三": r"收\s*到\s*和\s*处\s*理|政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*(?:情\s*况|办\s*理)",
    "四": r"行\s*政\s*复\s*议.{0,8}?行\s*政\s*诉\s*讼",
    "五": r"存\s*在\s*的?\s*(?:主\s*要\s*)?问\s*题|主\s*要\s*问\s*题\s*及",
    "六": r"其\s*他\s*需\s*要?\s*报\s*告",
}
_KEYWORD_RES = {k: re.compile(v) for k, v in KEYWORDS.items()}
_NUMBERED_BEFORE = re.compile(_NUMERAL + r"[^、。,;:!?\n()]{0,12}$")
_ANCHORS = {
    "二": re.compile(r"第\s*二\s*十\s*条"),
    "三": re.compile(r"勾\s*稽|申\s*请\s*人\s*情\s*况|本\s*年\s*新\s*收"),
}


@dataclass(frozen=True)
class Span:
    """Where a section's heading and body are in the normalised text."""

    name: str
    heading_start: int
    start: int
    end: int
    from_heading: bool


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _candidates(text: str, name: str, start: int) -> tuple[list[re.Match], list[re.Match]]:
    """Numbered and line-start occurrences of a section keyword after ``start``."""
    numbered, bare = [], []
    for m in _KEYWORD_RES[name].finditer(text, start):
        ls = _line_start(text, m.start())
        before = text[max(ls, m.start() - 16):m.start()]
        nm = _NUMBERED_BEFORE.search(before)
        if nm:
            hstart = m.start() - len(before) + nm.start()
            while hstart > ls and text[hstart - 1] in " \t#*>":
                hstart -= 1
            numbered.append((m, hstart))
            continue
        line_end = text.find("\n", m.end())
        line = text[ls:line_end if line_end >= 0 else len(text)]
        if not before.strip(" \t#*") and len(line.strip()) <= 40:
            bare.append((m, ls))
    return numbered, bare


_TAIL_RE = re.compile(r"[^\n\d。;]{0,12}?(?:情\s*况|事\s*项|措\s*施)")


def _heading_end(text: str, m: re.Match) -> int:
    """End of a heading: its line end, or in flattened text the end of the heading phrase."""
    line_end = text.find("\n", m.end())
    if line_end < 0:
        line_end = len(text)
    if line_end - m.end() <= 24:
        return line_end
    tail = _TAIL_RE.match(text, m.end())
    return tail.end() if tail else m.end()


def find_sections(text: str, body_start: int = 0) -> dict[str, Span]:
    """The sections found, in order, with their body ranges in ``text``."""
    heads: dict[str, tuple[int, int, bool]] = {}
    pos = body_start
    for name in spec.SECTION_NAMES:
        numbered, bare = _candidates(text, name, pos)
        pick = numbered[0] if numbered else (bare[0] if bare else None)
        if pick is None and name in _ANCHORS:
            m = _ANCHORS[name].search(text, pos)
            if m:
                heads[name] = (m.start(), m.start(), False)
                pos = m.start()
            continue
        if pick is None:
            continue
        m, hstart = pick
        heads[name] = (hstart, _heading_end(text, m), True)
        pos = heads[name][1]
        continue
    order = sorted(heads.items(), key=lambda kv: kv[1][0])
    spans = {}
    for i, (name, (hs, he, real)) in enumerate(order):
        end = order[i + 1][1][0] if i + 1 < len(order) else len(text)
        spans[name] = Span(name, hs, min(he, end), end, real)
    return spans


# -- title, agency, year -----------------------------------------------------------------

_TITLE_RE = re.compile(r"政\s*府\s*信\s*息\s*公\s*开.{0,8}?(?:年\s*度\s*报\s*告?|年\s*报)")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_PREFIX_RE = re.compile(r"^[\s#*>]*(?:标题|名称|题目|title)?\s*[:：]?\s*", re.I)
_PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")


@dataclass(frozen=True)
class Meta:
    title: str | None
    agency: str | None
    year: int | None
    title_end: int


def find_meta(text: str) -> Meta:
    """Title, agency and data year from the first title-like line (or the data period)."""
    lines = text.split("\n")
    offset = 0
    for i, line in enumerate(lines[:80]):
        end = offset + len(line)
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if (0 < len(nxt) <= 12 and "政府信息公开" in line.replace(" ", "")
                and not re.search(r"报\s*告|年\s*报", line) and len(line.strip()) <= 80):
            line, end = line.rstrip() + nxt, end + 1 + len(lines[i + 1])
        m = _TITLE_RE.search(line)
        if m and len(line.strip()) <= 90 and _YEAR_RE.search(line):
            title = _PREFIX_RE.sub("", line.strip()).strip()
            parts = [p for p in re.split(r"\s+[-_|]\s*|\s*[-_|]\s+|(?<=告)[-_|]", title)
                     if _TITLE_RE.search(p)]
            title = parts[0].strip() if parts else title
            agency, year = _agency_year(title)
            return Meta(title, agency, year, end)
        offset = end + 1
    m = _PERIOD_RE.search(text)
    return Meta(None, None, int(m.group(1)) if m else None, 0)


def _agency_year(title: str) -> tuple[str | None, int | None]:
    ym = _YEAR_RE.search(title)
    if not ym:
        return None, None
    year = int(ym.group(1))
    cut = _TITLE_RE.search(title)
    head = title[:cut.start()] if cut else title
    if ym.start() < (cut.start() if cut else len(title)):
        before, after = head[:ym.start()], head[ym.end():]
        agency = before if before.strip() else after
    else:
        agency = head
    agency = re.sub(r"(关于|的|本级)$", "", re.sub(r"\s+", "", agency)).strip("《》:：-")
    return (agency or None), year


# -- format ------------------------------------------------------------------------------

_MARKS = {
    spec.GOV2021: ["本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正",
                   "收费通知要求缴纳费用"],
    spec.GOV2019: ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                   "采购项目数量", "政府集中采购", "其他对外管理服务事项"],
}
_MARK_RES = {fid: [re.compile(r"\s*".join(map(re.escape, m))) for m in marks]
             for fid, marks in _MARKS.items()}
_TABLE_SIGNS = re.compile(r"本\s*年\s*新\s*收|第\s*二\s*十\s*条\s*第|结\s*果\s*维\s*持")


def detect_format(text: str, year: int | None) -> tuple[str, str | None]:
    """(format id, reason when unsupported) from the table labels; the year breaks ties."""
    if year is not None and year < spec.FIRST_YEAR:
        return spec.UNSUPPORTED, (f"{year} 年度报告早于 2019 年试行格式，按 2007 年条例自由编写，"
                                  "没有统一表格，不支持")
    score = {fid: sum(1 for rx in rxs if rx.search(text)) for fid, rxs in _MARK_RES.items()}
    if not any(score.values()) and not _TABLE_SIGNS.search(text):
        return spec.UNSUPPORTED, "未找到年度报告格式的表格（不是 2019 或 2021 格式的政府信息公开工作年度报告）"
    if score[spec.GOV2021] > score[spec.GOV2019]:
        return spec.GOV2021, None
    if score[spec.GOV2019] > score[spec.GOV2021]:
        return spec.GOV2019, None
    if year is not None:
        return spec.format_for_year(year), None
    return spec.GOV2021, None
