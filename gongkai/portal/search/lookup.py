"""Is it already published? Items of an agency's site that match what someone describes.

For the 依申请公开 app (through the hooks of `gongkai.applications.published`): the
suggestions on `/apply/` while a citizen types (“这些信息已经公开”), the 依申请转主动 board,
and the page staff point to when replying 已主动公开. One index query ("any word" mode,
ranked); a hit must contain at least half of the describing words (all of them when there
are one or two), so a page sharing only 退役军人 with the request is not offered. Only live
pages of that agency's own site, checked again against the page tree.
"""

from __future__ import annotations

import math

from django.utils import timezone

from ..models.page_base import DisclosablePage
from .backends import SearchQuery, get_backend, query_tokens

# Words of nearly every application: they say nothing about which information is wanted.
STOP_WORDS = frozenset({"申请", "公开", "信息", "政府", "政府信息", "相关", "有关", "文件", "资料", "提供", "获取", "查询",
                        "请求", "要求", "本局", "贵局", "本人", "我", "关于", "全文", "内容", "情况", "复印件", "一份",
                        "年", "年度", "的", "请", "予以"})


def describing_words(text: str) -> list[str]:
    return [w for w in query_tokens(text) if len(w) >= 2 and w not in STOP_WORDS]


def _item(page, published_at) -> dict:
    return {"page_id": page.pk, "title": page.title, "url": page.get_full_url() or page.url or "",
            "published_on": timezone.localdate(published_at) if published_at else None}


def published_matches(agency, text: str, limit: int = 5) -> list[dict]:
    words = describing_words(text)
    if not words:
        return []
    need = len(words) if len(words) <= 2 else math.ceil(len(words) / 2)
    results = get_backend().search(SearchQuery(q=" ".join(words), agency_id=agency.pk, match="any", size=20))
    hits = sorted((h for h in results.hits if h.matched >= need and h.agency_id == agency.pk),
                  key=lambda h: -h.matched)[:limit]
    pages = DisclosablePage.objects.live().filter(agency=agency, pk__in=[h.page_id for h in hits]).in_bulk()
    return [_item(pages[h.page_id], h.published_at) for h in hits if h.page_id in pages]


def published_page(agency, page_id) -> dict | None:
    """One live page of the agency's site (what a reply says the information is published at)."""
    try:
        page = DisclosablePage.objects.live().filter(agency=agency).get(pk=int(page_id))
    except (DisclosablePage.DoesNotExist, TypeError, ValueError):
        return None
    return _item(page, page.first_published_at)


def pages_by_title(agency, text: str, limit: int = 10) -> list[dict]:
    """Live pages of the agency whose title contains the words typed (the staff's page picker), newest first."""
    words = [w for w in (text or "").split() if w][:5]
    if not words:
        return []
    qs = DisclosablePage.objects.live().filter(agency=agency)
    for w in words:
        qs = qs.filter(title__icontains=w[:50])
    return [_item(p, p.first_published_at) for p in qs.order_by("-first_published_at", "-pk")[:limit]]
