"""Page slugs that would hide an application route once the page is published.

A page `apply` directly under a site root is published as PUBLISH_ROOT/<site>/apply/
index.html, and the static server (serving.py, nginx `try_files`) answers /apply/ from
that file before Django ever sees the request: the real application form, the admin or
the search would be gone. Likewise a child called `feed` under a column hides the
column's own /feed/rss/. So such slugs are refused, in the page editor (the form knows
the parent before the page exists) and in the model's clean() (every other path).

The top-level names come from the URL resolver, so a new route is covered without
anyone adding it here; RESERVED adds the paths served outside Django.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_resolver
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site

from .slugs import needs_reading, readable_slug

RESERVED = frozenset({
    "apply", "hudong", "admin", "search", "documents", "static", "media", "accounts", "annual-reports", "api",
    "healthz", "sitemap", "sitemap.xml", "feeds", "robots.txt", "favicon.ico",
})


def _first_segment(pattern) -> str:
    text = str(pattern).lstrip("^")
    return re.split(r"[/$(?<\\\[]", text, maxsplit=1)[0].lower()


def reserved_top_level() -> frozenset[str]:
    """Every first path segment the application answers itself (URLconf, static and media URLs)."""
    names = set(RESERVED)
    for entry in get_resolver().url_patterns:
        first = _first_segment(entry.pattern)
        if first:
            names.add(first)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        first = (url or "").strip("/").split("/")[0].lower()
        if first and "://" not in (url or ""):
            names.add(first)
    return frozenset(names)


def _is_site_root(page) -> bool:
    return page.depth == 2 or Site.objects.filter(root_page_id=page.pk).exists()


def _route_segments(page) -> frozenset[str]:
    """First segments of the sub-routes of a routable page (a column's feed/, a catalogue's export/)."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(specific, RoutablePageMixin):
        return frozenset()
    return frozenset(s for s in (_first_segment(p.pattern) for p in specific.get_subpage_urls()) if s)


def reserved_slug_error(slug: str, parent) -> str | None:
    """A Chinese message when `slug` under `parent` would hide a route; None when it is free."""
    if not slug or parent is None:
        return None
    name = slug.lower()
    if _is_site_root(parent) and name in reserved_top_level():
        return (f"网址名称“{slug}”不能使用：网址 /{name}/ 已是平台自身的功能（如依申请公开、互动交流、站内检索、"
                "管理后台），页面发布后会把该功能遮住。请换一个网址名称，例如栏目名称的拼音缩写。")
    if name in _route_segments(parent):
        return (f"网址名称“{slug}”不能使用：上级栏目“{parent.title}”的网址 {name}/ 已用于订阅或导出等功能，"
                "页面发布后会把该功能遮住。请换一个网址名称。")
    return None


class ReservedSlugPageForm(WagtailAdminPageForm):
    """The editor's page form: checks the slug against the parent before the page exists."""

    SLUG_HELP = "页面网址的最后一段：可用小写字母、数字和连字符；不填或填写中文时，保存时按拼音生成（如 tuiyijunren-youdai）。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].help_text = self.SLUG_HELP  # Wagtail's example is an English address
            self.fields["slug"].required = False  # an empty slug is made from the title

    def clean_slug(self):
        """Chinese or nothing becomes readable pinyin (slugs.py); an address the page already has stays."""
        slug = (self.cleaned_data.get("slug") or "").strip()
        if self.instance.pk and slug == self.instance.slug or not needs_reading(slug):
            return slug
        # No -2 suffix here: a slug a sibling already has is refused by Wagtail's check below, as a typed one is
        # (the editor's autosave may post the same new page twice; a suffix would make two pages of it).
        return readable_slug(slug) or readable_slug(self.cleaned_data.get("title") or self.data.get("title") or "") \
            or "page"

    def clean(self):
        cleaned = super().clean()
        # A page already in the tree is checked by its model's clean() (run by _post_clean).
        if not self.instance.path and "slug" not in self.errors:
            message = reserved_slug_error(cleaned.get("slug") or "", self.parent_page)
            if message:
                self.add_error("slug", message)
        return cleaned
