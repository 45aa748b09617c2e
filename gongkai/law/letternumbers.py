"""文号 of an agency's letters: a pattern such as ``洛退役依申答〔{年}〕{序号}号``.

A pattern is the agency's own (one per letter kind, or one for all kinds). Its placeholders
are :data:`PLACEHOLDERS`; ``{序号}`` is required and appears once. Numbers are counted in a
*series*: the text of the pattern before ``{序号}`` (other placeholders filled, ``{年}`` kept
as written) and the year, so ``洛退役依申答〔2026〕1号`` and ``洛退役依申答〔2027〕1号`` are
two series, and two kinds of letter that share one pattern without ``{类型}`` share one
count. Which number comes next is the database's business (it must never repeat); this
module only checks, splits and fills patterns.
"""

from __future__ import annotations

from gongkai.law.placeholders import TOKEN, placeholder_problem

__all__ = ["DEFAULT_PATTERN", "PLACEHOLDERS", "PatternError", "check_pattern", "render", "series_prefix"]

PLACEHOLDERS = {
    "年": "文书日期所在年份，如 2026",
    "序号": "本机关在该年份、该文号前缀下的顺序号，从 1 起，不重复（必填）",
    "机关简称": "本机关简称（未设简称的用全称）",
    "类型": "文书类型的简称：回、补、征、延、费、期、答",
}
DEFAULT_PATTERN = "{机关简称}依申{类型}〔{年}〕{序号}号"
MAX_LENGTH = 100


class PatternError(ValueError):
    """A pattern that cannot number letters (the message says what to fix, in Chinese)."""


def check_pattern(pattern: str) -> str:
    """The pattern, stripped, or :class:`PatternError` naming what is wrong."""
    text = (pattern or "").strip()
    if not text:
        raise PatternError("请填写文号格式，例如 洛退役依申答〔{年}〕{序号}号。")
    if len(text) > MAX_LENGTH:
        raise PatternError(f"文号格式最长 {MAX_LENGTH} 个字符，现为 {len(text)} 个。")
    problem = placeholder_problem(text, PLACEHOLDERS, what="文号格式", example="{序号}")
    if problem:
        raise PatternError(problem)
    names = TOKEN.findall(text)
    count = names.count("序号")
    if count == 0:
        raise PatternError("文号格式必须包含 {序号}，否则各份文书的文号会重复。例如 洛退役依申答〔{年}〕{序号}号。")
    if count > 1:
        raise PatternError("文号格式中 {序号} 只能出现一次。")
    if text.index("{序号}") == 0:
        raise PatternError("文号格式应以机关代字开头，{序号} 前须有文字，例如 洛退役依申答〔{年}〕{序号}号。")
    return text


def _fill(text: str, values: dict[str, str], keep: tuple[str, ...]) -> str:
    return TOKEN.sub(lambda m: m.group(0) if m.group(1) in keep else str(values[m.group(1)]), text)


def series_prefix(pattern: str, *, short_name: str, kind_code: str) -> str:
    """The part of the pattern before {序号}, agency and kind filled, {年} kept as written."""
    head = check_pattern(pattern).split("{序号}", 1)[0]
    return _fill(head, {"机关简称": short_name, "类型": kind_code}, keep=("年",))


def render(pattern: str, *, short_name: str, kind_code: str, year: int, seq: int) -> str:
    """The 文号 itself: ``render("洛退役依申答〔{年}〕{序号}号", …, year=2026, seq=7)`` → 洛退役依申答〔2026〕7号."""
    if seq < 1:
        raise PatternError("序号从 1 开始。")
    return _fill(check_pattern(pattern), {"机关简称": short_name, "类型": kind_code, "年": str(year),
                                          "序号": str(seq)}, keep=())
