"""Availability probes over real HTTP: a server that answers, one too slow, one that is not there."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai.inspection import tasks
from gongkai.inspection.models import AvailabilityProbe
from gongkai.inspection.probe import probe_site, probes_as_facts
from gongkai.law.inspection import ProbeFacts
from gongkai.portal.models.sites import PortalSite

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    delay = 0.0
    status = 200
    hosts: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hosts.append(self.headers.get("Host"))
        time.sleep(self.delay)
        body = "<html><title>首页</title></html>".encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    started = []

    def start(delay=0.0, status=200):
        handler = type("H", (Handler,), {"delay": delay, "status": status, "hosts": []})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}", handler

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def portal(agency):
    from gongkai.portal.setup import ensure_agency_portal

    ensure_agency_portal(agency, hostname="mzj.example.test", port=80, default=True)
    return PortalSite.objects.get(agency=agency)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens once it is closed


def test_a_site_that_answers_200_is_up_and_gets_its_own_host_name(settings, server, portal):
    base, handler = server()
    settings.GONGKAI_PROBE_BASE_URL = base
    probe = probe_site(portal)
    assert probe.ok and probe.status_code == 200 and probe.error == ""
    assert probe.url == base + "/" and 0 <= probe.seconds < 5
    assert handler.hosts == ["mzj.example.test"]
    assert AvailabilityProbe.objects.get() == probe and probe.agency_id == portal.agency_id


def test_a_site_too_slow_is_a_failed_visit(settings, server, portal):
    base, _handler = server(delay=2.0)
    settings.GONGKAI_PROBE_BASE_URL = base
    probe = probe_site(portal, timeout=0.5)
    assert not probe.ok and probe.status_code is None
    assert probe.error == "访问超时（超过 0.5 秒未响应）"
    assert 0.4 <= probe.seconds < 2.0


def test_a_refused_connection_is_a_failed_visit(settings, portal):
    settings.GONGKAI_PROBE_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    probe = probe_site(portal, timeout=2)
    assert not probe.ok and probe.status_code is None
    assert probe.error.startswith("无法连接：连接被拒绝")


def test_an_error_page_is_a_failed_visit(settings, server, portal):
    base, _handler = server(status=503)
    settings.GONGKAI_PROBE_BASE_URL = base
    probe = probe_site(portal)
    assert not probe.ok and probe.status_code == 503
    assert probe.error == "首页返回状态码 503（应为 200）"


def test_without_a_base_url_the_site_own_address_is_visited(settings, server, portal):
    base, handler = server()
    settings.GONGKAI_PROBE_BASE_URL = ""
    port = int(base.rsplit(":", 1)[1])
    portal.site.hostname, portal.site.port = "127.0.0.1", port
    portal.site.save()
    probe = probe_site(portal)
    assert probe.ok and probe.url == f"http://127.0.0.1:{port}/"
    assert handler.hosts == [f"127.0.0.1:{port}"]


def test_probes_become_the_rules_facts_in_china_time(portal):
    now = timezone.now()
    for minutes, ok in ((90, True), (60, False), (10, True)):
        AvailabilityProbe.objects.create(agency_id=portal.agency_id, site=portal, at=now - timedelta(minutes=minutes),
                                         url="http://x/", ok=ok, seconds=0.1 * minutes)
    facts = probes_as_facts(portal, now - timedelta(minutes=75), now)
    assert [f.ok for f in facts] == [False, True]
    assert all(isinstance(f, ProbeFacts) for f in facts)
    assert facts[0].at.utcoffset() == timedelta(hours=8) and facts[0].seconds == pytest.approx(6.0)


def test_the_probe_task_and_command_visit_every_site(settings, server, portal):
    base, handler = server()
    settings.GONGKAI_PROBE_BASE_URL = base
    assert tasks.probe_sites_task.call() == "1/1 ok"
    call_command("inspection_probe", "--site", str(portal.pk), stdout=(out := __import__("io").StringIO()))
    assert "成功" in out.getvalue()
    assert AvailabilityProbe.objects.filter(site=portal, ok=True).count() == 2
    with pytest.raises(CommandError, match="没有编号为 987654 的网站"):
        call_command("inspection_probe", "--site", "987654")
    with pytest.raises(CommandError, match="没有编号为 987654 的网站"):
        call_command("inspection_crawl", "--site", "987654")
