"""A real nginx with the shipped configuration serves the publish directory and proxies the rest."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gongkai.portal.nginx import render

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def test_shipped_config_is_the_generated_one():
    shipped = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
    assert shipped.read_text() == render()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, *, raw=False):
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=10) as r:
            return r.status, (r.headers if raw else dict(r.headers)), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, (e.headers if raw else dict(e.headers)), e.read().decode(errors="replace")


class NginxServer(str):
    """The base URL, which also knows the port and how to make nginx re-read the host map."""

    def __new__(cls, base, port, command):
        obj = super().__new__(cls, base)
        obj.port, obj.command = port, command
        return obj

    def reload(self):
        pid_file = Path(self.command[2]) / "nginx.pid"
        old_workers = _workers(pid_file)
        subprocess.run(self.command + ["-s", "reload"], check=True, capture_output=True)
        for _ in range(100):  # the new workers answer once the old ones are gone
            if not (old_workers & _workers(pid_file)):
                return
            time.sleep(0.05)


def _workers(pid_file: Path) -> set[int]:
    master = pid_file.read_text().strip()
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", master], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


@pytest.fixture
def nginx(tmp_path, live_server, publish_root, settings):
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx 不存在：CI 必须安装 nginx (apt-get install nginx)")
        pytest.skip("nginx 不存在：请运行 apt-get install -y nginx")
    port = _free_port()
    upstream = live_server.url.split("://", 1)[1]
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    server = render(listen=f"127.0.0.1:{port}", server_name="_", publish_root=str(publish_root),
                    static_root=str(settings.STATIC_ROOT), upstream=upstream, header=False)
    publish_root.mkdir(parents=True, exist_ok=True)
    (publish_root / "nginx-sites.map").touch()  # Gongkai writes it on the first publication
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        f"events {{ worker_connections 256; }}\nhttp {{\n access_log off;\n client_body_temp_path {prefix}/body;\n"
        f" proxy_temp_path {prefix}/proxy;\n fastcgi_temp_path {prefix}/fcgi;\n uwsgi_temp_path {prefix}/uwsgi;\n"
        f" scgi_temp_path {prefix}/scgi;\n{server}\n}}\n")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("nginx 启动失败：" + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.05)
    yield NginxServer(base, port, [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")])
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nginx_serves_published_pages_and_proxies_dynamic_ones(nginx, agency, publish_root):
    from django.db import transaction

    from gongkai.portal.models.pages import ColumnPage
    from gongkai.portal.setup import ensure_agency_portal

    from .conftest import make_policy

    with transaction.atomic():
        home = ensure_agency_portal(agency, hostname="testserver", default=True)
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
        page = make_policy(column, title="退役军人优待办法", publish=True)
    page.refresh_from_db()
    assert (publish_root / "_default" / "zcwj" / page.slug / "index.html").exists()

    status, headers, body = _get(f"{nginx}/zcwj/{page.slug}/", raw=True)
    assert status == 200 and headers.get("X-Gongkai-Static") == "nginx"
    assert page.index_number in body
    # A published file gets the security headers Django gives a dynamic page, each once.
    from gongkai.core.cspconfig import static_policy

    assert headers.get_all("Content-Security-Policy") == [static_policy()]
    assert "script-src 'self';" in static_policy() and "object-src 'none'" in static_policy()
    assert headers.get_all("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers.get_all("X-Frame-Options") == ["SAMEORIGIN"]
    assert headers.get_all("Referrer-Policy") == ["same-origin"]
    status, headers, body = _get(f"{nginx}/zcwj/feed/rss/")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml") and page.title in body
    # Dynamic: search, a query string on a published path, the admin.
    status, headers, body = _get(f"{nginx}/search/?q=" + urllib.request.quote("优待"))
    assert status == 200 and "X-Gongkai-Static" not in headers and "<mark>优待</mark>" in body
    status, headers, body = _get(f"{nginx}/zcwj/?page=1")
    assert status == 200 and "X-Gongkai-Static" not in headers and page.title in body
    status, headers, _ = _get(f"{nginx}/admin/login/", raw=True)
    assert status == 200 and "X-Gongkai-Static" not in headers
    # Proxied pages keep Django's own policy: one header, never doubled by nginx.
    assert len(headers.get_all("Content-Security-Policy")) == 1
    # A page removed from the site disappears from nginx at once.
    with transaction.atomic():
        page.unpublish()
    assert _get(f"{nginx}/zcwj/{page.slug}/")[0] == 404


def _get_host(base, host, path):
    request = urllib.request.Request(base + path, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode(errors="replace")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_server_block_serves_every_site_and_every_mount_by_the_host_map(nginx, publish_root, settings):
    """Two agencies with hosts of their own and one under a shared host's /bm/, all through one server block."""
    from django.db import transaction

    from gongkai.law.identifiers import credit_code_check_char
    from gongkai.portal.actions.sites import agency_with_site_create
    from gongkai.portal.models.pages import ColumnPage

    from .conftest import make_policy

    settings.ALLOWED_HOSTS = ["*"]
    pages = {}
    for n, (address, name, title) in enumerate([
            ("mzj.example.test", "洛阳市民政局", "困难群众救助办法"),
            ("jyj.example.test", "洛阳市教育局", "困难学生资助办法"),
            ("www.example.test/bm/wlj", "洛阳市文化广电和旅游局", "文物保护单位名录")], start=1):
        first17 = f"11410300MB{n:07d}"
        with transaction.atomic():
            _agency, site, _, _ = agency_with_site_create(
                actor=None, hostname=address, port=nginx.port, name=name, credit_code=first17 + credit_code_check_char(first17),
                level="city", kind="department")
            column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
            site.root_page.add_child(instance=column)
            column.save_revision().publish()
            pages[address] = make_policy(column, title=title, publish=True)
    host_map = (publish_root / "nginx-sites.map").read_text()
    assert f'"mzj.example.test:{nginx.port}" mzj.example.test_{nginx.port};' in host_map
    assert f'"www.example.test:{nginx.port}" www.example.test_{nginx.port};' in host_map
    nginx.reload()  # a new site: nginx re-reads the host map

    for address, page in pages.items():
        host, _, mount = address.partition("/")
        path = (f"/{mount}" if mount else "") + f"/zcwj/{page.slug}/"
        status, headers, body = _get_host(nginx, f"{host}:{nginx.port}", path)
        assert status == 200 and headers.get("X-Gongkai-Static") == "nginx", (address, status)
        assert page.title in body and all(p.title not in body for p in pages.values() if p is not page)
    # The shared host's mount: its search goes to Django, which keeps it on that agency.
    status, headers, body = _get_host(nginx, f"www.example.test:{nginx.port}",
                                      "/bm/wlj/search/?q=" + urllib.request.quote("名录"))
    assert status == 200 and "X-Gongkai-Static" not in headers
    assert "文物保护单位<mark>名录</mark>" in body and 'action="/bm/wlj/search/"' in body
    # An unknown host gets the default site, never a directory named after what it typed.
    status, _, body = _get_host(nginx, f"../../etc:{nginx.port}", "/zcwj/")
    assert status in (400, 404)
    status, _, _ = _get_host(nginx, f"nosuch.example.test:{nginx.port}", f"/zcwj/{pages['mzj.example.test'].slug}/")
    assert status == 404
