"""Template helpers for the public site: the chrome (navigation, footer) of the current site."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models.page_base import STATUTORY_CATEGORIES
from ..selectors import site_agency_id
from ..models.pages import HomePage
from ..selectors import navigation
from ..models.sites import PortalSite

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_chrome(context):
    """Home page, navigation and footer data of the site being rendered (cached per request/run)."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    home = None
    if page is not None and getattr(page, "agency_id", None):
        agency_id = page.agency_id
    else:  # a page of no portal page (apply, messages, search, errors): the agency whose site this is
        agency_id = site_agency_id(request) if request is not None else None
    shared = getattr(request, "_portal_shared", None)
    if shared is None and request is not None:
        shared = request._portal_shared = {}
    key = ("chrome", agency_id)
    if shared is not None and key in shared:
        return shared[key]

    home = HomePage.objects.filter(agency_id=agency_id).select_related("agency").first() if agency_id else None
    settings_row = PortalSite.objects.filter(agency_id=agency_id).first() if agency_id else None
    chrome = {"home": home, "nav": navigation(home), "site": settings_row, "agency": home.agency if home else None,
              "year": timezone.localdate().year}
    if shared is not None:
        shared[key] = chrome
    return chrome


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
