"""Public views of the portal that are not pages: the sitemap for crawlers and the 网站地图 for people
(the search page is in search/)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from wagtail.models import Site

from .feeds import render_sitemap
from .models.pages import ArticlePage, HomePage, InterpretationPage, PolicyDocumentPage, ServiceGuidePage

ITEM_TYPES = (ArticlePage, PolicyDocumentPage, InterpretationPage, ServiceGuidePage)  # items, not the site's structure
MAP_DEPTH = 3  # home, its sections, their columns, and one level more


def sitemap(request):
    site = Site.find_for_request(request)
    return HttpResponse(render_sitemap(site, request), content_type="application/xml; charset=utf-8")


def site_map(request):
    """网站地图: every section and column of the site, nested, as a page a person reads."""
    site = Site.find_for_request(request)
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        raise Http404("本网站尚未建立")
    pages = (home.get_descendants().live().public().filter(depth__lte=home.depth + MAP_DEPTH)
             .not_type(*ITEM_TYPES).order_by("path").specific())
    children: dict[str, list] = {}
    for page in pages:
        children.setdefault(page.path[:-page.steplen], []).append(page)

    def tree(parent) -> list[dict]:
        return [{"page": p, "children": tree(p)} for p in children.get(parent.path, [])]

    return render(request, "portal/site_map.html", {"page": None, "home": home, "tree": tree(home)})
