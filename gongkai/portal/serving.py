"""Serve the publish directory in front of Django (the `make run` server; nginx does this in production).

A GET or HEAD without a query string whose path names a published file of the
requested site is answered straight from PUBLISH_ROOT, without entering Django; every
other request (search, forms, status pages, admin, documents, filtered listings) goes
to the Django application.
"""

from __future__ import annotations

import os
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from csp.utils import build_policy
from django.conf import settings

from .mounts import MOUNTS_DIR, SEGMENT as MOUNT_SEGMENT

INDEX_FILES = ("index.html", "index.rss", "index.atom", "index.json")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8", ".json": "application/feed+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}
SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN"),
                    ("Referrer-Policy", "same-origin")]


def security_headers() -> list[tuple[str, str]]:
    """The headers Django's middleware gives a dynamic page, for a published file served here.

    The same Content-Security-Policy as settings.CONTENT_SECURITY_POLICY (a published page
    has no inline script, so it needs no nonce) and, when DEBUG is off, HSTS with the
    settings' max-age (browsers ignore it on plain HTTP, as RFC 6797 says).
    """
    headers = list(SECURITY_HEADERS)
    policy = build_policy()
    if policy:
        headers.append(("Content-Security-Policy", policy))
    seconds = getattr(settings, "SECURE_HSTS_SECONDS", 0)
    if seconds:
        value = f"max-age={seconds}"
        if getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False):
            value += "; includeSubDomains"
        if getattr(settings, "SECURE_HSTS_PRELOAD", False):
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    return headers
CACHE_LIMIT = 4096
MAX_CACHED_BYTES = 512 * 1024


class StaticPublishApp:
    def __init__(self, app, root: str | os.PathLike | None = None):
        self.app = app
        if root is None:
            root = settings.PUBLISH_ROOT
        self.root = Path(root)
        self._cache: dict[str, tuple[float, int, bytes]] = {}
        self.security_headers = security_headers()

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method in ("GET", "HEAD") and not environ.get("QUERY_STRING"):
            found = self._find(environ)
            if found is not None:
                return self._serve(found, environ, start_response, head=method == "HEAD")
        return self.app(environ, start_response)

    def _site_dirs(self, environ, mounted: bool) -> list[Path]:
        """The directories that may hold the path: the host's own site, or (for /bm/…) its mounted sites."""
        host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "").lower()
        name, _, port = host.partition(":")
        port = port or ("443" if environ.get("wsgi.url_scheme") == "https" else "80")
        base = self.root / MOUNTS_DIR if mounted else self.root
        dirs = []
        if name and "/" not in name and not name.startswith("."):
            dirs += [base / (name if port in ("80", "443") else f"{name}_{port}"), base / name]
        if not mounted:
            dirs.append(self.root / "_default")
        return dirs

    def _find(self, environ) -> str | None:
        path = environ.get("PATH_INFO") or "/"
        try:
            path = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith(".") or "\\" in p or "\0" in p for p in parts):
            return None
        mounted = len(parts) > 2 and parts[0] == MOUNT_SEGMENT
        for base in self._site_dirs(environ, mounted):
            if not base.is_dir() or (mounted and not (base / parts[0] / parts[1]).is_dir()):
                continue
            target = base.joinpath(*parts)
            if path.endswith("/"):
                for index in INDEX_FILES:
                    candidate = target / index
                    if candidate.is_file():
                        return str(candidate)
                return None
            if parts and "." in parts[-1] and target.is_file():
                return str(target)
            return None
        return None

    def _read(self, filename: str, stat) -> bytes:
        cached = self._cache.get(filename)
        if cached and cached[0] == stat.st_mtime and cached[1] == stat.st_size:
            return cached[2]
        with open(filename, "rb") as fh:
            data = fh.read()
        if len(data) <= MAX_CACHED_BYTES:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[filename] = (stat.st_mtime, stat.st_size, data)
        return data

    def _serve(self, filename: str, environ, start_response, head: bool):
        try:
            stat = os.stat(filename)
            data = self._read(filename, stat)
        except OSError:
            return self.app(environ, start_response)
        etag = f'"{int(stat.st_mtime_ns):x}-{stat.st_size:x}"'
        headers = [("Content-Type", CONTENT_TYPES.get(os.path.splitext(filename)[1], "application/octet-stream")),
                   ("ETag", etag), ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
                   ("Cache-Control", "public, max-age=60"), ("X-Gongkai-Static", "1")] + self.security_headers
        if environ.get("HTTP_IF_NONE_MATCH") == etag or self._not_modified(environ, stat.st_mtime):
            start_response("304 Not Modified", headers)
            return [b""]
        headers.append(("Content-Length", str(len(data))))
        start_response("200 OK", headers)
        return [b""] if head else [data]

    @staticmethod
    def _not_modified(environ, mtime: float) -> bool:
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if not since or environ.get("HTTP_IF_NONE_MATCH"):
            return False
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
