"""Spam checks for the public message form: links, repeated text, duplicates.

Pure functions returning a Chinese message (or None), so the form can show the writer
exactly what to change. Bursts are handled by rate limits in the view
(`gongkai.core.ratelimit`); duplicates of earlier messages by `fingerprint`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

MIN_CONTENT_LENGTH = 10
MAX_CONTENT_LENGTH = 2000

_LINK_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|top|xyz|info|cc|io|me|vip|shop|site|club|"
    r"online|biz|link|click|ru|tk|ml|app|fun|live|pro|icu|work)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Government sites may be named: a writer often says where they read a policy.
_GOV_RE = re.compile(r"(?:^|[./])gov\.cn(?:/|$)|\.gov\.cn\b", re.IGNORECASE)
_RUN_RE = re.compile(r"(.)\1{9,}")
_PHRASE_RE = re.compile(r"(.{2,12}?)\1{4,}")


def normalise(text: str) -> str:
    """Lower-case, NFKC, without whitespace and punctuation: what "the same text" means."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c).startswith(("P", "S"))))


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def find_links(text: str) -> list[str]:
    found = []
    for m in _LINK_RE.finditer(text or ""):
        link = m.group(0)
        if _GOV_RE.search(link):
            continue
        found.append(link)
    return found


def link_problem(text: str) -> str | None:
    links = find_links(text)
    if not links:
        return None
    shown = "、".join(dict.fromkeys(links[:3]))
    return f"留言中不能包含网址链接（发现：{shown}）。如需引用网页，请用文字说明网页名称后再提交。"


def repetition_problem(text: str) -> str | None:
    """Refuse keyboard mashing and copy-pasted repetitions; normal prose passes."""
    text = text or ""
    compact = normalise(text)
    if _RUN_RE.search(compact):
        return "留言中同一个字符连续重复过多，请用文字说明您的问题。"
    if _PHRASE_RE.search(compact):
        return "留言中同一段文字反复出现，请删去重复内容，简明说明您的问题。"
    if len(compact) >= 60:
        ratio = len(zlib.compress(compact.encode())) / len(compact.encode())
        if ratio < 0.12 or len(set(compact)) < len(compact) * 0.08:
            return "留言内容重复过多，请删去重复内容，简明说明您的问题。"
    return None


def length_problem(text: str) -> str | None:
    compact = normalise(text)
    if len(compact) < MIN_CONTENT_LENGTH:
        return f"留言内容太短（至少{MIN_CONTENT_LENGTH}个字），请具体说明您要咨询、建议或投诉的事项。"
    if len(text) > MAX_CONTENT_LENGTH:
        return f"留言内容超过{MAX_CONTENT_LENGTH}字（现为{len(text)}字），请精简；详细材料可作为附件上传。"
    return None


def content_problems(title: str, content: str) -> dict[str, str]:
    """Field name -> message for every problem found in the writer's text."""
    problems: dict[str, str] = {}
    for field, value in (("title", title), ("content", content)):
        message = link_problem(value) or repetition_problem(value)
        if message:
            problems[field] = message
    if "content" not in problems:
        message = length_problem(content)
        if message:
            problems["content"] = message
    return problems
