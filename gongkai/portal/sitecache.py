"""What a site's dynamic pages show whatever the request, kept in each process between requests.

The search page, the forms, the messages and the error pages all draw the same things from
the database on every request: which site the host name is, its home page and agency, the
menu, the footer settings, the search form's columns and the agencies the office supervises.
None of it changes from one request to the next, so each process keeps it, per site, and
rebuilds it when it changes:

- a *generation* token in the shared cache (settings.CACHES: the database, which every
  gunicorn worker and the background workers share) names the current state of all sites;
- every change to what is kept — a page of a site's first two levels (the home and its
  menu columns) saved, published, unpublished, moved or deleted, a site's settings, an
  agency, a Wagtail site — replaces the token (`changed`, from the signals in receivers.py);
- each request reads the token once (one small query) and a copy built under another
  token is rebuilt.

The token is written in the changing transaction (the database cache takes part in it), so
other processes see the new token exactly when they can see the change, and a rolled-back
change leaves the old token in place; it is written again once the transaction commits,
for a cache outside the database (on PostgreSQL the token's row stays locked until then: a
second change waits for the first to commit). A copy is also rebuilt after `MAX_AGE` seconds whatever
the token says: changes made past the ORM's signals (a queryset update, SQL by hand)
show within that time.

A thread that changed something builds afresh and keeps nothing until its next request
(or its commit): what it would keep could be a change its transaction then rolls back.

The copies are read by many threads at once and must not be changed by a request.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http.request import split_domain_port

log = logging.getLogger(__name__)

GENERATION_KEY = "portal:site-generation"
MAX_AGE = 60  # seconds
MAX_ENTRIES = 512  # sites and host names kept per process (the least recently used go first)

_lock = threading.Lock()
_entries: OrderedDict = OrderedDict()  # key -> (token, built_at, value)
_NOTHING = object()
_thread = threading.local()  # .dirty: this thread changed something not yet committed


@dataclass(frozen=True)
class SiteContext:
    """One Wagtail site as its dynamic pages need it; `home` is None for a site that is no agency's portal."""

    site: object
    home: object = None
    columns: tuple = ()  # the home's live columns, in tree order (the search form's 栏目)
    supervised: tuple[int, ...] = ()  # every agency below the home's agency, sorted
    agency_labels: dict = field(default_factory=dict)  # short name (or name) of each of those and of its own


def generation(request=None) -> str | None:
    """The current token (read once per request); None when the shared cache cannot be read."""
    token = getattr(request, "_portal_generation", None) if request is not None else None
    if token is not None:
        return token
    try:
        with _guarded():
            token = cache.get(GENERATION_KEY)
            if token is None:
                token = uuid.uuid4().hex
                if not cache.add(GENERATION_KEY, token, timeout=None):
                    token = cache.get(GENERATION_KEY) or token
    except DatabaseError:  # no cache table yet (a command before createcachetable): nothing is kept
        log.warning("portal site cache: the shared cache cannot be read", exc_info=True)
        return None
    if request is not None:
        request._portal_generation = token
    return token


def changed() -> None:
    """Something a site's pages show changed: every process rebuilds its copies at its next request."""
    if not transaction.get_connection().in_atomic_block:
        _write_token()
        return
    _thread.dirty = True
    _write_token()
    transaction.on_commit(_committed)


def _committed() -> None:
    _thread.dirty = False
    _write_token()


def request_started(**kwargs) -> None:
    _thread.dirty = False


def _guarded():
    """Inside a transaction, a savepoint: a failed cache statement (no cache table yet) must not spoil it."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


def _write_token() -> None:
    try:
        with _guarded():
            cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except DatabaseError:
        log.warning("portal site cache: the generation could not be replaced", exc_info=True)
    with _lock:  # this process need not wait for its next read of the token
        _entries.clear()


def cached(key, request, build):
    """`build()`, or the copy this process built under the current token less than MAX_AGE ago."""
    token = generation(request)
    if token is None or getattr(_thread, "dirty", False):
        return build()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry[0] == token and now - entry[1] < MAX_AGE:
            _entries.move_to_end(key)
            return entry[2]
    value = build()  # outside the lock: a slow build holds up no other request
    with _lock:
        _entries[key] = (token, now, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()


def site_context(request) -> SiteContext | None:
    """The request's site (set as Wagtail's `request._wagtail_site` too), or None when no site answers."""
    from wagtail.models import Site

    site = getattr(request, "_wagtail_site", _NOTHING)
    if site is _NOTHING:  # Wagtail's lookup, kept per host name and port
        host = (split_domain_port(request._get_raw_host())[0], request.get_port())
        site_id = cached(("host", host), request, lambda: getattr(Site._find_for_request(request), "pk", None))
        context = cached(("site", site_id), request, lambda: _build(site_id)) if site_id else None
        request._wagtail_site = context.site if context else None
        return context
    if site is None:
        return None
    return cached(("site", site.pk), request, lambda: _build(site.pk))


def _build(site_id: int) -> SiteContext | None:
    from wagtail.models import Site

    from gongkai.agencies.access import supervised_agency_ids
    from gongkai.agencies.models import Agency

    from .models.pages import ColumnPage, HomePage

    site = Site.objects.select_related("root_page").filter(pk=site_id).first()
    if site is None:
        return None
    home = HomePage.objects.select_related("agency").filter(pk=site.root_page_id).first()
    if home is None:
        return SiteContext(site=site)
    supervised = tuple(sorted(supervised_agency_ids({home.agency_id})))
    labels = {a.pk: a.short_name or a.name
              for a in Agency.objects.filter(pk__in=(home.agency_id, *supervised)).only("name", "short_name")}
    return SiteContext(site=site, home=home, columns=tuple(ColumnPage.objects.child_of(home).live().order_by("path")),
                       supervised=supervised, agency_labels=labels)


@dataclass(frozen=True)
class NavItem:
    """A menu entry: its address is worked out once, for the site and mount it is shown on."""

    title: str
    path: str  # the page's tree path (the menu marks the section the page shown is in)
    url: str | None


def chrome(agency_id: int | None, request) -> dict:
    """The agency site's home, menu, footer settings and agency (see portal_tags.portal_chrome)."""
    from django.urls import get_script_prefix

    context = site_context(request)  # the menu's addresses depend on the site they are shown on
    key = ("chrome", agency_id, context.site.pk if context else None, get_script_prefix())
    return cached(key, request, lambda: build_chrome(agency_id, request))


def build_chrome(agency_id: int | None, request) -> dict:
    from .models.pages import HomePage
    from .models.sites import PortalSite
    from .selectors import navigation

    home = HomePage.objects.filter(agency_id=agency_id).select_related("agency").first() if agency_id else None
    settings_row = PortalSite.objects.filter(agency_id=agency_id).first() if agency_id else None
    nav = tuple(NavItem(title=page.title, path=page.path, url=page.get_url(request)) for page in navigation(home))
    return {"home": home, "nav": nav, "site": settings_row, "agency": home.agency if home else None,
            "fragments": {}}  # the header's menu and the footer, rendered (portal_tags.chrome_fragment)


# What the copies hold, and so what replaces the token when it changes (receivers.py connects these).
MENU_DEPTH = 3  # the home (depth 2) and its children: the menu and the search form's columns


def page_changed(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page) and (instance.depth or 0) <= MENU_DEPTH:
        changed()


def model_changed(sender, instance=None, **kwargs) -> None:
    changed()


def site_agency_id(request) -> int | None:
    """The agency whose site the request is on (its host, or its /bm/<code>/ mount), if any."""
    context = site_context(request)
    if context is not None and context.home is not None:
        return context.home.agency_id
    site = context.site if context is not None else None
    root = site.root_page.specific_deferred if site is not None else None
    return getattr(root, "agency_id", None)
