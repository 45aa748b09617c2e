"""RSS 2.0, Atom and JSON Feed per column (for the WeChat account and electronic screens); the sitemap."""

from __future__ import annotations

import json
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Page

from . import mounts
from .selectors import column_items

FEED_SIZE = 30
CONTENT_TYPES = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8",
                 "json": "application/feed+json; charset=utf-8"}


def _base(request) -> str:
    return f"{request.scheme}://{request.get_host()}" if not getattr(request, "is_static_render", False) \
        else _site_base(request._wagtail_site)


def _site_base(site) -> str:
    return mounts.host_url(site)


def _items(column):
    return list(column_items(column).defer(None)[:FEED_SIZE])


def render_feed(column, kind: str, request) -> bytes:
    base = _base(request)
    site = request._wagtail_site if hasattr(request, "_wagtail_site") else None
    column_url = base + (column.get_url(request=request) or "/")
    items = _items(column)
    title = f"{column.agency.name} · {column.title}"
    if kind == "json":
        data = {
            "version": "https://jsonfeed.org/version/1.1", "title": title, "home_page_url": column_url,
            "feed_url": column_url + "feed/json/", "language": "zh-CN",
            "items": [{
                "id": item.index_number or str(item.pk), "url": base + (item.get_url(request=request) or ""),
                "title": item.title, "summary": item.summary,
                "date_published": item.first_published_at.isoformat() if item.first_published_at else None,
                "_gongkai": {"index_number": item.index_number},
            } for item in items],
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode()
    feed_class = Rss201rev2Feed if kind == "rss" else Atom1Feed
    feed = feed_class(title=title, link=column_url, description=f"{column.title}最新信息", language="zh-cn",
                      feed_url=column_url + f"feed/{kind}/")
    for item in items:
        url = base + (item.get_url(request=request) or "")
        feed.add_item(title=item.title, link=url, description=item.summary or item.title,
                      pubdate=item.first_published_at, unique_id=item.index_number or url,
                      updateddate=item.last_published_at or item.first_published_at)
    del site
    return feed.writeString("utf-8").encode()


def feed_response(column, kind: str, request) -> HttpResponse:
    return HttpResponse(render_feed(column, kind, request), content_type=CONTENT_TYPES[kind])


def render_sitemap(site, request) -> bytes:
    base = mounts.site_url(site)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    pages = (Page.objects.descendant_of(site.root_page, inclusive=True).live().public()
             .order_by("path").values_list("url_path", "last_published_at"))
    root_path = site.root_page.url_path
    for url_path, last_published_at in pages.iterator(chunk_size=5000):
        path = "/" + quote(url_path[len(root_path):])
        stamp = timezone.localtime(last_published_at).date().isoformat() if last_published_at else ""
        lines.append(f"<url><loc>{escape(base + path)}</loc>" + (f"<lastmod>{stamp}</lastmod>" if stamp else "")
                     + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines).encode()
