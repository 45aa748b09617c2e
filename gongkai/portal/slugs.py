"""Readable page addresses: a Chinese title becomes a short pinyin slug, not 200 characters of %E5….

关于做好2026年退役军人优待证申领工作的通知 → guanyu-zuohao-2026-nian-tuiyijunren-youdaizheng-shenling.
Words come from the segmenter the search uses (rjieba), each word's pinyin is written together
and words are joined by hyphens, cut at a word boundary. An editor may type any slug of
lowercase letters, digits and hyphens; a slug with Chinese in it is turned into pinyin when
it is first given (the page form and the model's full_clean), never for a page that keeps
the slug it already has, so no published address changes by itself. Pages made by code get
`-2`, `-3`… when a sibling has the address; in the editor a taken address is refused like a
typed one (Wagtail's autosave may post a new page twice: a suffix would make two pages).
"""

from __future__ import annotations

import re

import rjieba
from pypinyin import lazy_pinyin

MAX_LENGTH = 50
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def readable_slug(text: str, max_length: int = MAX_LENGTH) -> str:
    """Pinyin words joined by hyphens ('' when the text has nothing to write)."""
    words = []
    for word in rjieba.cut((text or "")[:200]):
        written = _NOT_SLUG.sub("-", "".join(lazy_pinyin(word)).lower()).strip("-")
        if written:
            words.append(written)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length:
            break
        slug = longer
    return slug or "-".join(words)[:max_length].strip("-")


def needs_reading(slug: str | None) -> bool:
    """True for an empty slug or one with characters outside a-z, 0-9 and '-' (Chinese, spaces…)."""
    return not slug or not re.fullmatch(r"[A-Za-z0-9_-]+", slug)


def free_slug(base: str, parent, page=None) -> str:
    """`base`, or `base-2`, `base-3`… : the first that no sibling under `parent` uses."""
    from wagtail.models import Page

    siblings = parent.get_children() if parent is not None else Page.objects.none()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def slug_for(typed: str | None, title: str | None, parent, page=None) -> str:
    """The slug a page gets when `typed` (what the editor or the code gave) is empty or not readable."""
    base = readable_slug(typed or "") or readable_slug(title or "") or "page"
    return free_slug(base, parent, page)
