"""Flag identical or near-identical applications by the same applicant (《条例》第三十五条、第三十六条第（六）项)."""

from __future__ import annotations

import re
import unicodedata

THRESHOLD = 0.8
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", text or "").lower())


def _bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i:i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the normalised texts (1.0 = identical)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ga, gb = _bigrams(na), _bigrams(nb)
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def most_similar(text: str, candidates) -> tuple[object, float] | tuple[None, float]:
    """The candidate (obj, its text) most similar to `text`, if at or above THRESHOLD."""
    best, score = None, 0.0
    for obj, other in candidates:
        s = similarity(text, other)
        if s > score:
            best, score = obj, s
    return (best, score) if score >= THRESHOLD else (None, score)
