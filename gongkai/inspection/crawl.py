"""The link check of the self-inspection: crawl one site's own published pages and list the dead links.

`crawl_site` starts at the site's home page and follows every link a visitor's browser would
load or follow (``a[href]``, ``link[href]``, ``img[src]``, ``script[src]`` — attachments are
ordinary links to ``/documents/…``) on the site's own host. The pages are requested
**in-process**, through Django's request handling with the site's Host header (as nginx would
pass it), so the crawl needs no network and sees exactly what Django serves; a mounted site
(``www.ly.gov.cn/bm/mzj/``) is crawled under its ``/bm/<code>/`` prefix. Each URL is
requested once; only the site's own HTML pages are read for further links.

A link is dead when it answers 400 or more, redirects to a target that is dead (or redirects
too often), or the request raises. External links (other hosts) are checked over the network
only when ``GONGKAI_CHECK_EXTERNAL_LINKS`` is on (or ``check_external=True``): HEAD, then GET,
10 s each; otherwise each is recorded once as *unchecked* — the inspection then says
未能检查, never 合格.

The run is stored as a `LinkCheckRun` (problems only). A crawl that cannot be done (the home
page does not load, an unexpected error) stores the reason in ``error`` and returns the run:
the caller never gets an exception, the inspection reports the link check as 未能检查.
"""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from gongkai.core import clock
from gongkai.portal import mounts

from .models import LinkCheckRun

log = logging.getLogger(__name__)

EXTERNAL_TIMEOUT = 10.0
MAX_REDIRECTS = 5
UNCHECKED_REASON = "未检查外部链接（未开启外网检查）"
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "about:")
SKIPPED_RELS = {"preconnect", "dns-prefetch"}
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "area": "href", "iframe": "src",
                   "source": "src", "video": "src", "audio": "src", "embed": "src"}
STATUS_REASONS = {400: "请求无效", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 405: "不允许的请求方法",
                  410: "页面已删除", 500: "服务器内部错误", 502: "网关错误", 503: "服务暂不可用", 504: "网关超时"}


def status_reason(status: int) -> str:
    """'页面不存在（404）' — the reason a link with this HTTP status is dead."""
    text = STATUS_REASONS.get(status) or ("服务器错误" if status >= 500 else "无法访问")
    return f"{text}（{status}）"


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and attrs.get("href") and self.base is None:
            self.base = attrs["href"]
        elif tag == "title":
            self._in_title = True
        name = LINK_ATTRIBUTES.get(tag)
        if name is None or not attrs.get(name):
            return
        if tag == "link" and SKIPPED_RELS & set((attrs.get("rel") or "").lower().split()):
            return
        self.links.append(attrs[name].strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "title":
            self._in_title = False

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse_html(text: str) -> tuple[list[str], str, str | None]:
    """(links as written, the page title, the <base href>) of an HTML page."""
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.links, " ".join(parser.title.split()), parser.base


@dataclass
class _Result:
    ok: bool
    reason: str = ""
    html: str | None = None  # the body, for a page of the site read for further links
    url: str = ""  # whose body it is (after redirects)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _netloc_key(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    try:
        port = parts.port or _default_port(parts.scheme)
    except ValueError:
        return None
    return parts.hostname.lower().rstrip("."), port


class SiteCrawler:
    """One crawl of one Wagtail site (see the module docstring)."""

    def __init__(self, wagtail_site, *, check_external: bool, max_pages: int):
        self.check_external = check_external
        self.max_pages = max_pages
        self.root = mounts.site_url(wagtail_site) + "/"  # http://host[:port][/bm/code]/
        parts = urlsplit(self.root)
        self.scheme = parts.scheme
        self.host = (parts.hostname or "").lower()
        self.port = parts.port or _default_port(parts.scheme)
        self.http_host = parts.netloc  # host[:port], as a browser sends it
        self.scope = parts.path  # "/" or "/bm/code/": pages under it are the site's own
        self.client = Client(raise_request_exception=False)
        self.results: dict[str, _Result] = {}
        self.pages = 0
        self.problems: list[dict] = []
        self._reported: set[tuple[str, str]] = set()
        self._unchecked: set[str] = set()

    # --- classification
    def is_internal(self, url: str) -> bool:
        return _netloc_key(url) == (self.host, self.port)

    def in_scope(self, url: str) -> bool:
        path = urlsplit(url).path or "/"
        return self.is_internal(url) and path.startswith(self.scope) and not path[len(self.scope) - 1:].startswith(
            tuple(p for p in mounts.STAFF_PATHS))

    @staticmethod
    def ref(url: str) -> str:
        parts = urlsplit(url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    # --- fetching
    def fetch_internal(self, url: str, hops: int = 0) -> _Result:
        if url in self.results:
            return self.results[url]
        self.results[url] = _Result(ok=False, reason="重定向循环")  # a loop back here finds this
        result = self._fetch_internal(url, hops)
        self.results[url] = result
        return result

    def _fetch_internal(self, url: str, hops: int) -> _Result:
        parts = urlsplit(url)
        static = static_name(parts.path)
        if static is not None:
            return _Result(ok=True) if static_exists(static) else _Result(ok=False, reason="文件不存在（404）")
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            response = self.client.get(path, HTTP_HOST=self.http_host, secure=self.scheme == "https")
        except Exception as exc:  # noqa: BLE001 — the link is dead, with the reason
            log.warning("link check: %s raised", url, exc_info=True)
            return _Result(ok=False, reason=f"请求出错（{type(exc).__name__}）")
        try:
            status = response.status_code
            if 300 <= status < 400 and response.has_header("Location"):
                if hops >= MAX_REDIRECTS:
                    return _Result(ok=False, reason=f"重定向次数过多（超过 {MAX_REDIRECTS} 次）")
                target = urldefrag(urljoin(url, response["Location"]))[0]
                if self.is_internal(target):
                    after = self.fetch_internal(target, hops + 1)
                    if after.ok:
                        return _Result(ok=True, html=after.html, url=after.url)
                    return _Result(ok=False, reason=f"重定向到无法访问的地址 {self.ref(target)}：{after.reason}")
                return _Result(ok=True)  # a redirect out of the site: the site's own link works
            if status >= 400:
                return _Result(ok=False, reason=status_reason(status))
            if (status == 200 and self.in_scope(url) and self.pages < self.max_pages
                    and response.get("Content-Type", "").startswith("text/html")):
                self.pages += 1
                body = response.content.decode(response.charset or "utf-8", errors="replace")
                return _Result(ok=True, html=body, url=url)
            return _Result(ok=True)
        finally:
            _close_unread(response)

    def fetch_external(self, url: str) -> _Result:
        if url in self.results:
            return self.results[url]
        result = check_external_url(url)
        self.results[url] = result
        return result

    # --- the crawl
    def run(self) -> tuple[int, int, list[dict]]:
        start = self.fetch_internal(self.root)
        if not start.ok or start.html is None:
            raise CrawlError(f"网站首页 {self.root} 无法访问：{start.reason or '不是网页'}。")
        queue = deque([(start.url, start)])
        seen_pages = {start.url}
        while queue:
            page_url, page = queue.popleft()
            links, title, base = parse_html(page.html)
            page.html = None  # the text is not kept
            base_url = urljoin(page_url, base) if base else page_url
            for raw in links:
                url = self._absolute(base_url, raw)
                if url is None:
                    continue
                if self.is_internal(url):
                    result = self.fetch_internal(url)
                    if not result.ok:
                        self._report(page_url, title, url, "dead", result.reason)
                    elif result.html is not None and result.url not in seen_pages:
                        seen_pages.add(result.url)
                        queue.append((result.url, result))
                elif self.check_external:
                    result = self.fetch_external(url)
                    if not result.ok:
                        self._report(page_url, title, url, "dead", result.reason)
                elif url not in self._unchecked:
                    self._unchecked.add(url)
                    self.results.setdefault(url, _Result(ok=True))
                    self._report(page_url, title, url, "unchecked", UNCHECKED_REASON)
        return self.pages, len(self.results), self.problems

    @staticmethod
    def _absolute(base_url: str, raw: str) -> str | None:
        if not raw or raw.startswith("#") or raw.lower().startswith(SKIPPED_SCHEMES):
            return None
        try:
            url = urldefrag(urljoin(base_url, raw))[0]
        except ValueError:
            return None
        if urlsplit(url).scheme not in ("http", "https"):
            return None
        return url

    def _report(self, source_url: str, source_title: str, url: str, status: str, reason: str) -> None:
        key = (source_url, url)
        if key in self._reported:
            return
        self._reported.add(key)
        shown = self.ref(url) if self.is_internal(url) else url
        self.problems.append({"source_ref": self.ref(source_url), "source_title": source_title, "url": shown,
                              "status": status, "reason": reason})


def static_name(path: str) -> str | None:
    """The static file a /static/… path names (None: not a static path)."""
    prefix = urlsplit(settings.STATIC_URL or "").path
    if not prefix or prefix == "/" or not path.startswith(prefix):
        return None
    return unquote(path[len(prefix):])


def static_exists(name: str) -> bool:
    """Static files are served beside Django (WhiteNoise or nginx, from STATIC_ROOT): checked where they are,
    in the collected files or else (no collectstatic yet: development, tests) where the apps keep them."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    if not name or name.endswith("/") or ".." in name.split("/"):
        return False
    try:
        if staticfiles_storage.exists(name):
            return True
    except Exception:  # noqa: BLE001 — a storage that cannot answer: ask the finders
        pass
    return bool(finders.find(name))


def _close_unread(response) -> None:
    """Close a streamed response (an attachment) without reading it.

    The test client closes other responses itself. Closing sends `request_finished`, whose
    `close_old_connections` would close this process's database connection (and, inside a
    transaction, lose it): it is kept out, as Django's test client does.
    """
    if not getattr(response, "streaming", False):
        return
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


class CrawlError(Exception):
    """The crawl could not be done; the message (Chinese) goes on the run."""


def check_external_url(url: str, *, timeout: float = EXTERNAL_TIMEOUT) -> _Result:
    """Is an external link alive? HEAD, then GET when HEAD is refused or fails; redirects are followed."""
    headers = {"User-Agent": "Gongkai-LinkCheck/1.0 (government website self-inspection)"}
    last = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 — http(s) only
                if response.status < 400:
                    return _Result(ok=True)
                last = status_reason(response.status)
        except urllib.error.HTTPError as exc:
            last = status_reason(exc.code)
        except (TimeoutError, socket.timeout):
            last = f"访问超时（超过 {timeout:g} 秒）"
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                last = f"访问超时（超过 {timeout:g} 秒）"
            elif isinstance(reason, socket.gaierror):
                last = "域名无法解析"
            elif isinstance(reason, ConnectionRefusedError):
                last = "连接被拒绝"
            else:
                last = f"无法连接（{reason}）"
        except Exception as exc:  # noqa: BLE001
            last = f"无法访问（{type(exc).__name__}）"
    return _Result(ok=False, reason=last)


def external_checking_default() -> bool:
    return bool(getattr(settings, "GONGKAI_CHECK_EXTERNAL_LINKS", False))


def crawl_site(portal_site, *, check_external: bool | None = None, max_pages: int = 5000) -> LinkCheckRun:
    """Crawl the site's own pages, store and return the `LinkCheckRun` (see the module docstring)."""
    if check_external is None:
        check_external = external_checking_default()
    run = LinkCheckRun.objects.create(agency_id=portal_site.agency_id, site=portal_site, started_at=clock.now())
    try:
        crawler = SiteCrawler(portal_site.site, check_external=check_external, max_pages=max_pages)
        pages, links, problems = crawler.run()
    except CrawlError as exc:
        run.error = str(exc)
    except Exception as exc:  # noqa: BLE001 — recorded on the run; the inspection says 未能检查
        log.exception("link check of %s failed", portal_site)
        run.error = f"链接检查未能完成：{type(exc).__name__}: {exc}"[:2000]
    else:
        run.pages, run.links, run.problems = pages, links, problems
    run.finished_at = clock.now()
    run.save()
    return run
