"""One naming scheme for views and URL modules, checked on what the URL resolver serves.

A view a citizen reaches lives in a `views_public*.py`, a staff view in a `views_admin*.py`;
their URL modules are `urls_public.py` and `urls_admin.py`. The only exceptions are the
project's root `gongkai/urls.py` and the Wagtail viewset views that are declared beside
their viewset (`wagtail_hooks.py`, `agencies/admin_scoping.py`). The resolver is walked, so
a view added anywhere is checked without anyone adding a line here.
"""

from __future__ import annotations

import pathlib
import re

from django.urls import URLResolver, get_resolver

import gongkai

VIEW_MODULE = re.compile(r"^views_(admin|public)(_[a-z]+)?$")
URL_MODULE = re.compile(r"^urls_(admin|public)$")
VIEWSET_MODULES = {"wagtail_hooks", "admin_scoping"}


def _served():
    """(view module, URLconf module) names of every gongkai view the resolver serves."""
    views, urlconfs = set(), set()

    def descend(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                name = entry.urlconf_name if isinstance(entry.urlconf_name, str) else \
                    getattr(entry.urlconf_name, "__name__", "")
                if str(name).startswith("gongkai."):
                    urlconfs.add(str(name))
                descend(entry)
            else:
                view = getattr(entry.callback, "view_class", entry.callback)
                if view.__module__.startswith("gongkai."):
                    views.add(view.__module__)

    descend(get_resolver())
    return views, urlconfs


def test_every_served_view_lives_in_a_views_module():
    views, _ = _served()
    assert len(views) > 10  # the walk found the apps' views
    wrong = sorted(m for m in views if not VIEW_MODULE.match(m.rsplit(".", 1)[1])
                   and m.rsplit(".", 1)[1] not in VIEWSET_MODULES)
    assert not wrong, f"views outside views_admin*/views_public* modules: {wrong}"


def test_every_included_urlconf_is_urls_admin_or_public():
    _, urlconfs = _served()
    assert urlconfs
    wrong = sorted(m for m in urlconfs if not URL_MODULE.match(m.rsplit(".", 1)[1]))
    assert not wrong, f"URL modules not named urls_admin/urls_public: {wrong}"


def test_no_module_uses_another_naming_scheme():
    """No file is named like a view or URL module outside the scheme (dead or unreached ones too)."""
    root = pathlib.Path(gongkai.__file__).parent
    wrong = []
    for path in root.rglob("*.py"):
        stem = path.stem
        if path == root / "urls.py" or "migrations" in path.parts:
            continue
        if re.search(r"(^|_)(views?|urls?)(_|$)", stem) and not (VIEW_MODULE.match(stem) or URL_MODULE.match(stem)):
            wrong.append(str(path.relative_to(root)))
    assert not wrong, f"name view/URL modules views_admin*, views_public*, urls_admin or urls_public: {wrong}"
