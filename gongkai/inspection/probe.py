"""Availability probes of the self-inspection: visit a site's home page over real HTTP, as the inspectors do.

The national indicators (站点无法访问) count the visits of the 7 days before the check day, at
least 20 a day; a visit that fails or takes more than 15 s is a failure. `probe_site` makes one
visit and stores it as an `AvailabilityProbe`; the schedule runs it for every site (tasks.py).

The visit goes to the site's own public address (``http://host[:port]/`` or, for a mounted
site, ``http://shared-host/bm/<code>/``), or — when ``GONGKAI_PROBE_BASE_URL`` is set (e.g.
``http://127.0.0.1:8000``, the server seen from this machine) — to that address with the
site's host name in the Host header, as a visitor's request would arrive. Only 200 counts as
a success: a redirect is not followed (a Host header would not survive it).

`probes_as_facts` and `links_as_facts` turn the stored records into the pure rules' facts
(`gongkai.law.inspection.ProbeFacts`, `LinkFacts`).
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from gongkai.core import clock
from gongkai.law.inspection import LinkFacts, ProbeFacts
from gongkai.portal import mounts

from .models import AvailabilityProbe, LinkCheckRun

DEFAULT_TIMEOUT = 15.0  # the national rule: a visit over 15 s is a failure


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx answer is the result


_opener = urllib.request.build_opener(_NoRedirect())


def probe_target(portal_site) -> tuple[str, str | None]:
    """(URL to request, Host header or None) for the site's home page."""
    public = mounts.site_url(portal_site.site) + "/"
    base = (getattr(settings, "GONGKAI_PROBE_BASE_URL", "") or "").strip().rstrip("/")
    if not base:
        return public, None
    parts = urlsplit(public)
    return base + parts.path, parts.netloc


def _error_text(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return f"访问超时（超过 {timeout:g} 秒未响应）"
    if isinstance(exc, ConnectionRefusedError):
        return "无法连接：连接被拒绝（网站服务未运行或端口未开放）"
    if isinstance(exc, socket.gaierror):
        return "无法连接：域名无法解析"
    if isinstance(exc, (ConnectionResetError, http.client.RemoteDisconnected)):
        return "连接被服务器中断"
    if isinstance(exc, OSError):
        return f"无法连接：{exc.strerror or exc}"
    return f"访问出错：{type(exc).__name__}: {exc}"


def probe_site(portal_site, *, timeout: float = DEFAULT_TIMEOUT) -> AvailabilityProbe:
    """Visit the site's home page once; store and return the probe (ok = 200 within the timeout)."""
    url, host = probe_target(portal_site)
    headers = {"User-Agent": "Gongkai-Probe/1.0 (government website self-inspection)"}
    if host:
        headers["Host"] = host
    at = clock.now()
    started = time.monotonic()
    status, error = None, ""
    try:
        request = urllib.request.Request(url, headers=headers, method="GET")
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            response.read()  # the page has loaded when its body has
    except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
        status = exc.code
        exc.close()
    except Exception as exc:  # noqa: BLE001 — every failure is a failed visit, with its reason
        error = _error_text(exc, timeout)
    seconds = time.monotonic() - started
    if status is not None and status != 200:
        error = f"首页返回状态码 {status}（应为 200）"
    elif status == 200 and seconds > timeout:
        error = f"访问超时（用时 {seconds:.1f} 秒，超过 {timeout:g} 秒）"
    return AvailabilityProbe.objects.create(
        agency_id=portal_site.agency_id, site=portal_site, at=at, url=url[:500], ok=status == 200 and not error,
        seconds=round(seconds, 3), status_code=status, error=error[:300])


def probes_as_facts(site, since, until) -> list[ProbeFacts]:
    """The site's probes with since <= at < until, oldest first, as the rules' facts.

    Times are in local (China) time: the rules count the visits of each calendar day by ``at.date()``.
    """
    probes = AvailabilityProbe.objects.filter(site=site, at__gte=since, at__lt=until).order_by("at")
    return [ProbeFacts(at=timezone.localtime(p.at), ok=p.ok, seconds=p.seconds) for p in probes]


def links_as_facts(run: LinkCheckRun | None) -> list[LinkFacts] | None:
    """The problems of a finished link check as the rules' facts; None when there is no usable run."""
    if run is None or run.finished_at is None or run.error:
        return None
    return [LinkFacts(source_ref=p.get("source_ref", ""), source_title=p.get("source_title", ""), url=p.get("url", ""),
                      status=p.get("status", "dead"), reason=p.get("reason", "")) for p in run.problems]
