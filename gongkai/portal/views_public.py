"""Public views of the portal that are not pages: the sitemap (the search page is in search/)."""

from django.http import HttpResponse
from wagtail.models import Site

from .feeds import render_sitemap


def sitemap(request):
    site = Site.find_for_request(request)
    return HttpResponse(render_sitemap(site, request), content_type="application/xml; charset=utf-8")
