"""Static publishing (内网编辑、外网发布): write published pages as HTML files under PUBLISH_ROOT.

Documents: the files that live pages use are copied to ``<site>/documents/<id>/<filename>``
(their URL); every publication of the site removes copies no live page uses any more.

Layout: ``PUBLISH_ROOT/<site hostname>/<url path>/index.html`` (feeds as ``index.rss``,
``index.atom``, ``index.json``; ``sitemap.xml`` at the root); ``PUBLISH_ROOT/_default``
is a symlink to the default site's directory. A site directory is itself a symlink to a
build directory, so a full rebuild is swapped in at once.

Safety: every output of one publication is rendered in memory first; only when all of
them rendered are they written, each to a temporary file that is then renamed over the
old one (`os.replace`). A reader sees the old file or the new one, never half a file; a
crash while rendering leaves every previous file in place. A file lock serialises
writers across gunicorn workers and commands.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import get_script_prefix, set_script_prefix
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from . import mounts
from .models.disclosure_pages import CataloguePage, StatutoryContentPage
from .documents import public_document_ids
from .feeds import render_feed, render_sitemap
from .nginx import HOST_MAP
from .models.pages import ColumnPage, HomePage, InterpretationPage, PolicyDocumentPage

log = logging.getLogger(__name__)

_suspended: ContextVar[bool] = ContextVar("gongkai_static_publish_suspended", default=False)


@contextmanager
def suspended():
    """Skip per-page static writes (bulk loads call `rebuild_all` once at the end instead)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_suspended() -> bool:
    return _suspended.get()


FEED_KINDS = {"rss": "index.rss", "atom": "index.atom", "json": "index.json"}


def publish_root() -> Path:
    return Path(settings.PUBLISH_ROOT)


def host_dirname(hostname: str, port: int) -> str:
    return hostname if port in (80, 443) else f"{hostname}_{port}"


def site_dir(site: Site) -> Path:
    """PUBLISH_ROOT/<host> for a site with its own host; .../_mounts/<shared host>/bm/<code> for a mounted one."""
    mount = mounts.mount_of(site.hostname)
    if mount is not None:
        return publish_root() / mounts.MOUNTS_DIR / host_dirname(mount.host, site.port) / mount.prefix.strip("/")
    return publish_root() / host_dirname(site.hostname, site.port)


@contextmanager
def publish_lock():
    root = publish_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see either the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass
class Output:
    relpath: str  # relative to the site directory, e.g. "news/item/index.html"
    data: bytes


class Renderer:
    """Renders pages of one site as an anonymous visitor would receive them.

    A mounted site (mounts.py) renders with its mount as the script prefix, as a request
    under /bm/<code>/ would; its files are written relative to the site's directory.
    """

    def __init__(self, site: Site):
        self.site = site
        self.factory = RequestFactory()
        self.shared: dict = {}  # chrome (navigation, footer) reused across pages of one run
        mount = mounts.mount_of(site.hostname)
        self.prefix = mount.prefix if mount else ""
        self.host = mount.host if mount else site.hostname
        # Every site's address, read once per run: with a thousand sites Wagtail's lookup (the
        # cache, unpickled) cost more than rendering a page; pages and links read it from here.
        self.root_paths = Site.get_site_root_paths()
        self._any_request = self.request("/")

    def request(self, path: str):
        request = self.factory.get(path, HTTP_HOST=self.host, SERVER_PORT=str(self.site.port),
                                   SCRIPT_NAME=self.prefix)
        request.user = AnonymousUser()
        request._wagtail_site = self.site
        request._wagtail_cached_site_root_paths = self.root_paths
        request._portal_shared = self.shared
        request.is_static_render = True
        return request

    @contextmanager
    def script_prefix(self):
        previous = get_script_prefix()
        set_script_prefix(self.prefix + "/")
        try:
            yield
        finally:
            set_script_prefix(previous)

    def page_path(self, page) -> str | None:
        """The page's path within the site (without a mount's /bm/<code>)."""
        parts = page.get_url_parts(self._any_request)
        if parts is None:
            return None
        site_id, _root, page_path = parts
        if site_id != self.site.pk or page_path is None:
            return None
        return self.within_site(page_path)

    def within_site(self, path: str) -> str:
        return path[len(self.prefix):] if self.prefix and path.startswith(self.prefix + "/") else path

    def render_page(self, page) -> list[Output]:
        url = self.page_path(page)
        if url is None:
            return []
        page = page.specific
        with self.script_prefix():
            return self._render(page, url)

    def _render(self, page, url: str) -> list[Output]:
        response = page.serve(self.request(url))
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            raise RuntimeError(f"page {page.pk} rendered with status {response.status_code}")
        outputs = [Output(_rel(url) + "index.html", response.content)]

        if isinstance(page, ColumnPage):
            for kind, name in FEED_KINDS.items():
                outputs.append(Output(_rel(url) + f"feed/{kind}/{name}",
                                      render_feed(page, kind, self.request(url + f"feed/{kind}/"))))
        return outputs

    def render_sitemap(self) -> Output:
        with self.script_prefix():
            return Output("sitemap.xml", render_sitemap(self.site, self.request("/sitemap.xml")))


def _rel(url_path: str) -> str:
    """File path for a URL path: percent-escapes decoded (nginx and the WSGI wrapper look up decoded paths)."""
    return unquote(url_path).lstrip("/")


def affected_pages(page) -> list:
    """The page and every page that shows it: ancestors' listings, home, catalogue, linked pages."""
    page = page.specific
    result = {p.pk: p for p in page.get_ancestors().filter(depth__gt=1).live().specific()}
    if page.live:
        result[page.pk] = page
    agency_id = getattr(page, "agency_id", None)
    for model in (CataloguePage, StatutoryContentPage):
        for p in model.objects.live().filter(agency_id=agency_id):
            result[p.pk] = p
    if isinstance(page, InterpretationPage) and page.policy_id:
        policy = PolicyDocumentPage.objects.live().filter(pk=page.policy_id).first()
        if policy:
            result[policy.pk] = policy
    if isinstance(page, PolicyDocumentPage):
        for p in page.live_interpretations():
            result[p.pk] = p
    return list(result.values())


def needs_full_rebuild(page) -> bool:
    """Pages shown in every page's navigation (the home and its menu columns) change every page."""
    page = page.specific
    return isinstance(page, HomePage) or (page.depth == 3 and page.show_in_menus)


def site_for(page) -> Site | None:
    parts = page.get_url_parts()
    if parts is None:
        return None
    return Site.objects.filter(pk=parts[0]).first()


def _current_dir(site: Site) -> Path:
    """The directory pages are written into, creating the site's first build when needed."""
    link = site_dir(site)
    if not link.exists():
        build = new_build_dir(site)
        _swap_symlink(link, build)
        _update_default_link(site)
        write_host_map()
    return link.resolve()


def _swap_symlink(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    tmp = link.parent / f".{link.name}.{time.time_ns()}.lnk"
    os.symlink(os.path.relpath(target, link.parent), tmp)
    os.replace(tmp, link)


def _update_default_link(site: Site) -> None:
    if site.is_default_site:
        _swap_symlink(publish_root() / "_default", site_dir(site))


def host_map_lines() -> list[str]:
    """nginx `map "$host:$server_port" $gongkai_site` entries: each host (own or shared) -> its directory name."""
    lines = {}
    for site in Site.objects.order_by("hostname", "port"):
        mount = mounts.mount_of(site.hostname)
        host = mount.host if mount else site.hostname
        if not mounts.HOSTNAME_RE.match(host):
            continue  # a host name typed in Wagtail's site settings that is no host name: never into nginx
        ports = (80, 443) if site.port in (80, 443) else (site.port,)
        for port in ports:
            lines.setdefault(f"{host}:{port}", host_dirname(host, site.port))
    return [f'"{key}" {value};' for key, value in sorted(lines.items())]


def write_host_map() -> None:
    """PUBLISH_ROOT/nginx-sites.map, included by deploy/nginx.conf's map (reload nginx after a new site)."""
    text = "# 由 Gongkai 生成（每个网站的主机名 → 发布目录）；新增网站后请执行 nginx -s reload\n" + \
        "\n".join(host_map_lines()) + "\n"
    target = publish_root() / HOST_MAP
    if not target.exists() or target.read_text() != text:
        write_atomic(target, text.encode())


def write_outputs(site: Site, outputs: list[Output], remove: list[str] = ()) -> None:
    base = _current_dir(site)
    for output in outputs:
        write_atomic(base / output.relpath, output.data)
    for rel in remove:
        target = base / rel
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)


DOCUMENTS_DIR = "documents"


def site_documents(site: Site) -> dict[str, str]:
    """Static path -> uploaded file of every document the site's live pages publish.

    The static path is the document's own URL (``documents/<id>/<filename>``, what
    Wagtail's serve view answers), so a link in a published page works the same whether
    the static copy or Django answers it.
    """
    ids = public_document_ids(Page.objects.descendant_of(site.root_page, inclusive=True).live())
    files = {}
    for document in get_document_model().objects.filter(pk__in=ids):
        try:
            files[f"{DOCUMENTS_DIR}/{document.pk}/{document.filename}"] = document.file.path
        except (NotImplementedError, ValueError):  # no local file (remote storage or missing)
            continue
    return files


def _copy_atomic(source: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sync_documents(base: Path, files: dict[str, str]) -> None:
    """Copy the published documents into a site directory and remove every other one there."""
    for rel, source in files.items():
        target = base / rel
        try:
            src = os.stat(source)
        except OSError:
            log.warning("published document file %s is missing; not copied", source)
            continue
        try:
            dst = os.stat(target)
            if dst.st_size == src.st_size and dst.st_mtime >= src.st_mtime:
                continue
        except OSError:
            pass
        _copy_atomic(source, target)
    root = base / DOCUMENTS_DIR
    if not root.is_dir():
        return
    wanted = {Path(rel) for rel in files}
    for folder in root.iterdir():
        for item in folder.iterdir() if folder.is_dir() else [folder]:
            if item.relative_to(base) not in wanted:
                shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def publish_page(page_id: int, *, removed: bool = False, removed_path: str | None = None,
                 fallback_id: int | None = None) -> list[str]:
    """Write one page and everything that shows it; on removal delete its files. Returns paths written.

    A deleted page no longer exists: its parent (`fallback_id`) is republished instead and
    the deleted page's directory removed.
    """
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        if fallback_id is None or not removed_path:
            return []
        page = Page.objects.filter(pk=fallback_id).first()
        if page is None:
            return []
        site = site_for(page)
        if site is None:
            return []
        renderer = Renderer(site)
        outputs = [o for p in affected_pages(page) for o in renderer.render_page(p)] + [renderer.render_sitemap()]
        files = site_documents(site)
        removed_path = renderer.within_site(removed_path)
        with publish_lock():
            write_outputs(site, outputs, [_rel(removed_path).rstrip("/")] if removed_path != "/" else [])
            sync_documents(_current_dir(site), files)
        return [o.relpath for o in outputs]
    page = page.specific
    site = site_for(page)
    if site is None:
        return []
    if needs_full_rebuild(page) and not removed:
        rebuild_site(site)
        return ["*"]
    renderer = Renderer(site)
    outputs: list[Output] = []
    for affected in affected_pages(page):
        outputs.extend(renderer.render_page(affected))
    outputs.append(renderer.render_sitemap())
    remove = []
    if removed or not page.live:
        path = renderer.within_site(removed_path) if removed_path else renderer.page_path(page)
        if path and path != "/":
            remove.append(_rel(path).rstrip("/"))
    files = site_documents(site)
    with publish_lock():
        write_outputs(site, outputs, remove)
        sync_documents(_current_dir(site), files)
    return [o.relpath for o in outputs]


def new_build_dir(site: Site) -> Path:
    """An empty directory for a new build of the site, beside the builds in use."""
    name = site_dir(site).relative_to(publish_root()).as_posix().replace("/", "~")
    build = publish_root() / ".builds" / f"{name}-{time.time_ns()}"
    build.mkdir(parents=True)
    return build


def live_pages(site: Site):
    return Page.objects.descendant_of(site.root_page, inclusive=True).live().order_by("path")


def render_into(build: Path, renderer: Renderer, pages) -> int:
    """Render the pages into a build directory (not yet visible); returns how many."""
    count = 0
    for page in pages:
        for output in renderer.render_page(page):
            target = build / output.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
        count += 1
    return count


def complete_build(site: Site, build: Path, renderer: Renderer | None = None) -> None:
    """Add the sitemap and the published documents to a build, then make it the site's copy.

    Safe to run twice: the second run finds the site already on this build.
    """
    sitemap = (renderer or Renderer(site)).render_sitemap()
    (build / sitemap.relpath).write_bytes(sitemap.data)
    sync_documents(build, site_documents(site))
    with publish_lock():
        link = site_dir(site)
        old = link.resolve() if link.is_symlink() else None
        if link.exists() and not link.is_symlink():
            shutil.rmtree(link)
        _swap_symlink(link, build)
        _update_default_link(site)
        write_host_map()
        if old is not None and old != build and old.parent.name == ".builds":
            shutil.rmtree(old, ignore_errors=True)


def rebuild_site(site: Site, *, progress=None) -> int:
    """Render every live page of a site in this process into a new build directory, then swap it in.

    Background rebuilds split the same work into chunks for many workers
    (`gongkai.portal.tasks.start_rebuild`).
    """
    renderer = Renderer(site)
    build = new_build_dir(site)
    count = 0
    try:
        for page in live_pages(site).specific().iterator(chunk_size=500):
            count += render_into(build, renderer, [page])
            if progress and count % 500 == 0:
                progress(count)
        complete_build(site, build, renderer)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return count


def rebuildable_sites() -> list[Site]:
    """The agency sites (a site whose root is an agency's home page), by host name."""
    return [site for site in Site.objects.select_related("root_page").order_by("hostname", "port")
            if hasattr(site.root_page.specific, "agency_id")]


def rebuild_all(progress=None) -> dict[str, int]:
    return {site.hostname: rebuild_site(site, progress=progress) for site in rebuildable_sites()}
