"""Template helpers for the public site: the chrome (navigation, footer) of the current site."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import sitecache
from ..models.page_base import STATUTORY_CATEGORIES


register = template.Library()


@register.simple_tag(takes_context=True)
def portal_chrome(context):
    """Home page, navigation and footer data of the site being rendered.

    Kept per static publishing run (the renderer's shared dict), and between requests in each
    process for dynamic pages (sitecache.py)."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    if page is not None and getattr(page, "agency_id", None):
        agency_id = page.agency_id
    else:  # a page of no portal page (apply, messages, search, errors): the agency whose site this is
        agency_id = sitecache.site_agency_id(request) if request is not None else None
    shared = getattr(request, "_portal_shared", None)
    if shared is None and request is not None:
        shared = request._portal_shared = {}
    key = ("chrome", agency_id)
    if shared is not None and key in shared:
        return shared[key]

    if request is None or getattr(request, "is_static_render", False):
        data = sitecache.build_chrome(agency_id, request)
    else:
        data = sitecache.chrome(agency_id, request)
    chrome = dict(data, year=timezone.localdate().year)
    if shared is not None:
        shared[key] = chrome
    return chrome


class ChromeFragmentNode(template.Node):
    def __init__(self, nodelist, chrome, name: str, vary):
        self.nodelist, self.chrome, self.name, self.vary = nodelist, chrome, name, vary

    def render(self, context):
        chrome = self.chrome.resolve(context)
        store = chrome.get("fragments") if isinstance(chrome, dict) else None
        if store is None:
            return self.nodelist.render(context)
        key = (self.name, *(value.resolve(context) for value in self.vary))
        html = store.get(key)
        if html is None:
            html = store[key] = self.nodelist.render(context)
        return html


@register.tag
def chrome_fragment(parser, token):
    """``{% chrome_fragment chrome "name" value… %}…{% endchrome_fragment %}``: what is inside is rendered
    once for the site's chrome (kept as long as the chrome is: sitecache.py) and each set of the values
    given, so those values must be everything inside that does not come from ``chrome`` or the site."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("chrome_fragment takes the chrome and a name")
    nodelist = parser.parse(("endchrome_fragment",))
    parser.delete_first_token()
    return ChromeFragmentNode(nodelist, parser.compile_filter(bits[1]), bits[2],
                              [parser.compile_filter(bit) for bit in bits[3:]])


@register.filter
def category_label(code):
    return dict(STATUTORY_CATEGORIES).get(code, "")


@register.filter
def local_date(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localdate(value)
    return f"{value:%Y-%m-%d}"


@register.simple_tag
def search_hit(hit):
    """One result of the search page, written here rather than in the template: twenty a page, and the
    template's lookups cost more than the search. `title_html` and `snippet` are escaped HTML already."""
    meta = (f"{escape(hit.agency_label)}　" if hit.agency_label else "") + (
        f"索引号：{escape(hit.index_number)}　" if hit.index_number else "")
    return mark_safe(f'<li><h2><a href="{escape(hit.url)}">{hit.title_html}</a></h2>\n'
                     f'<p class="snippet">{hit.snippet}</p>\n'
                     f'<p class="hit-meta">{meta}发布日期：{local_date(hit.published_at)}</p></li>')
