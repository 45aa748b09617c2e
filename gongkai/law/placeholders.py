"""Texts with {占位符} (letter templates, 文号 patterns): what is wrong with one, in Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterable

TOKEN = re.compile(r"\{([^{}]*)\}")


def placeholder_problem(text: str, known: Iterable[str], *, what: str, example: str) -> str:
    """The message for an unknown placeholder or an unpaired brace in `text`, or "" when there is none."""
    known = list(known)
    unknown = sorted({name for name in TOKEN.findall(text) if name not in known})
    if unknown:
        return (f"{what}中有无法识别的占位符：" + "、".join("{" + u + "}" for u in unknown)
                + "。可用的占位符：" + "、".join("{" + k + "}" for k in known) + "。")
    rest = TOKEN.sub("", text)
    if "{" in rest or "}" in rest:
        return f"{what}中的花括号不成对：占位符应写成 {example} 这样的形式。"
    return ""
