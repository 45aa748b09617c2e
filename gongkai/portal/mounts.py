"""Agencies under a shared host (集约化): ``https://www.ly.gov.cn/bm/mzj/`` instead of a host of their own.

A province or city platform often gives a department no host name: its site lives under
the platform's host, at ``/bm/<code>/``. Such a site is an ordinary Wagtail site whose
host name says where it is mounted — ``bm-<code>.<shared host>`` (with the shared host's
port) — so nothing else stores the mount and nothing can disagree with it:

- `MountMiddleware` answers ``<shared host>/bm/<code>/…``: it finds that site, takes
  ``/bm/<code>`` off the path (Django and Wagtail route the rest as on the site's own host)
  and makes it the script prefix, so every URL Django builds for the request (search,
  apply, documents, page links) stays under the mount;
- `url_parts` gives every portal page of a mounted site its public address (the shared
  host, the path under ``/bm/<code>/``), whatever request — or none — builds it;
- the static publisher writes the site to ``PUBLISH_ROOT/_mounts/<shared host>/bm/<code>/``
  (publish.py), which nginx serves for ``/bm/`` (nginx.py).

Staff paths (/admin/, /accounts/) are never mounted: the admin has one address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix

HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
SEGMENT = "bm"
MOUNTS_DIR = "_mounts"  # PUBLISH_ROOT/_mounts/<shared host>/bm/<code>: the mounted sites' static copies
CODE = r"[a-z0-9]{1,30}"
CODE_RE = re.compile(rf"^{CODE}$")
PATH_RE = re.compile(rf"^/{SEGMENT}/({CODE})(/.*)?$")
HOST_PREFIX = f"{SEGMENT}-"
STAFF_PATHS = ("/admin/", "/accounts/", "/metrics", "/healthz")


@dataclass(frozen=True)
class Mount:
    code: str
    host: str  # the shared host name (no port)

    @property
    def prefix(self) -> str:
        return f"/{SEGMENT}/{self.code}"


def site_hostname(code: str, shared_host: str) -> str:
    """The Wagtail host name of the site mounted at <shared_host>/bm/<code>/."""
    return f"{HOST_PREFIX}{code}.{shared_host}"


def mount_of(hostname: str) -> Mount | None:
    if not hostname or not hostname.startswith(HOST_PREFIX):
        return None
    code, _, shared = hostname[len(HOST_PREFIX):].partition(".")
    if CODE_RE.match(code) and shared:
        return Mount(code, shared)
    return None


def public_address(hostname: str, port: int) -> str:
    """What a person types: mzj.ly.gov.cn, www.ly.gov.cn/bm/mzj, or with a port other than 80/443."""
    mount = mount_of(hostname)
    host = mount.host if mount else hostname
    text = host if port in (80, 443) else f"{host}:{port}"
    return text + (mount.prefix if mount else "")


def host_url(site) -> str:
    """scheme://host[:port] that serves the site: the shared host for a mounted one (no /bm/<code>)."""
    mount = mount_of(site.hostname)
    return site.root_url if mount is None else _shared_root(site.root_url, mount)


def site_url(site) -> str:
    """The site's public root without the final slash: http://mzj.ly.gov.cn or http://www.ly.gov.cn/bm/mzj."""
    mount = mount_of(site.hostname)
    return host_url(site) + (mount.prefix if mount else "")


def parse_address(text: str) -> tuple[str, str]:
    """'www.ly.gov.cn/bm/mzj' -> ('www.ly.gov.cn', 'mzj'); 'mzj.ly.gov.cn' -> ('mzj.ly.gov.cn', '')."""
    text = (text or "").strip().lower()
    for scheme in ("http://", "https://"):
        if text.startswith(scheme):
            text = text[len(scheme):]
    host, slash, path = text.partition("/")
    if not slash:
        return host.rstrip("."), ""
    path = path.strip("/")
    segment, _, code = path.partition("/")
    if segment != SEGMENT or not code:
        raise ValueError(f"网站地址“{text}”无效：共享主机下的网站地址应为 主机名/bm/代码，例如 www.ly.gov.cn/bm/mzj。")
    if not CODE_RE.match(code):
        raise ValueError(f"网站代码“{code}”无效：只能含小写字母和数字（1–30 个），例如 mzj。")
    return host.rstrip("."), code


def url_parts(parts):
    """Wagtail's (site_id, root_url, page_path) with a mounted site's public root and path.

    During a request under a mount the script prefix is that mount; it is taken off first
    so that a page of another site does not inherit it.
    """
    if not parts or parts[1] is None or parts[2] is None:
        return parts
    site_id, root_url, page_path = parts
    current = get_script_prefix()
    if current != "/" and PATH_RE.match(current.rstrip("/")) and page_path.startswith(current):
        page_path = "/" + page_path[len(current):]
    mount = mount_of(root_url.partition("://")[2].partition(":")[0])
    if mount is None:
        return site_id, root_url, page_path
    return site_id, _shared_root(root_url, mount), mount.prefix + page_path


def _shared_root(root_url: str, mount: Mount) -> str:
    """http://bm-mzj.www.ly.gov.cn:8080 -> http://www.ly.gov.cn:8080"""
    scheme, _, hostport = root_url.partition("://")
    _host, colon, port = hostport.partition(":")
    return f"{scheme}://{mount.host}{colon}{port}"


def find_site(request, code: str):
    """The site mounted at /bm/<code>/ of the request's host (the port decides only between two)."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    sites = list(Site.objects.select_related("root_page").filter(hostname=site_hostname(code, hostname))[:10])
    if len(sites) <= 1:
        return sites[0] if sites else None
    port = str(request.get_port())
    return next((site for site in sites if str(site.port) == port), None)


class MountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = PATH_RE.match(request.path_info)
        if match is None:
            return self.get_response(request)
        rest = match.group(2) or ""
        if rest.startswith(STAFF_PATHS) or rest in ("/admin", "/accounts"):
            return self.get_response(request)
        site = find_site(request, match.group(1))
        if site is None:
            return self.get_response(request)
        prefix = f"/{SEGMENT}/{match.group(1)}"
        if not rest:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(prefix + "/" + (f"?{query}" if query else ""))
        previous = get_script_prefix()
        request.path_info = rest
        request.META["SCRIPT_NAME"] = prefix
        request._wagtail_site = site
        set_script_prefix(prefix + "/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)
