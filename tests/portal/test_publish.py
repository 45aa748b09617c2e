"""Static publishing: files appear on publish, go on unpublish, are never half-written, and are served first."""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from gongkai.portal import publish
from gongkai.portal.serving import StaticPublishApp

from .conftest import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kw)
    return run


def site_dir(publish_root):
    return publish_root / "testserver"


def test_publish_writes_page_and_everything_showing_it(column, publish_root, run_on_commit):
    page = make_policy(column, title="退役军人优待证申领办法")
    run_on_commit(page.get_latest_revision().publish)
    page.refresh_from_db()
    base = site_dir(publish_root)
    article = (base / "zcwj" / page.slug / "index.html").read_text()
    assert page.index_number in article and "退役军人优待证申领办法" in article
    assert "退役军人优待证申领办法" in (base / "zcwj" / "index.html").read_text()  # column listing
    assert "退役军人优待证申领办法" in (base / "index.html").read_text()  # home
    rss = ElementTree.fromstring((base / "zcwj" / "feed" / "rss" / "index.rss").read_bytes())
    assert [i.findtext("title") for i in rss.iter("item")] == ["退役军人优待证申领办法"]
    feed = json.loads((base / "zcwj" / "feed" / "json" / "index.json").read_text())
    assert feed["items"][0]["_gongkai"]["index_number"] == page.index_number
    atom = (base / "zcwj" / "feed" / "atom" / "index.atom").read_text()
    assert "http://www.w3.org/2005/Atom" in atom and page.title in atom
    assert f"/zcwj/{page.slug}/" in (base / "sitemap.xml").read_text()
    assert (publish_root / "_default").resolve() == base.resolve()


def test_unpublish_removes_file_and_listings(column, publish_root, run_on_commit):
    page = make_policy(column, title="将要撤下的通知")
    run_on_commit(page.get_latest_revision().publish)
    target = site_dir(publish_root) / "zcwj" / page.slug / "index.html"
    assert target.exists()
    page.refresh_from_db()
    run_on_commit(page.unpublish)
    assert not target.exists()
    assert "将要撤下的通知" not in (site_dir(publish_root) / "zcwj" / "index.html").read_text()


def test_failed_render_leaves_previous_files(column, publish_root, run_on_commit, monkeypatch):
    page = make_policy(column, title="第一版标题")
    run_on_commit(page.get_latest_revision().publish)
    target = site_dir(publish_root) / "zcwj" / page.slug / "index.html"
    listing = site_dir(publish_root) / "zcwj" / "index.html"
    before = (target.read_bytes(), listing.read_bytes())
    calls = {"n": 0}
    original = publish.Renderer.render_page

    def flaky(self, p):
        calls["n"] += 1
        if calls["n"] == 3:  # crash half-way through the affected pages
            raise RuntimeError("disk on fire")
        return original(self, p)

    monkeypatch.setattr(publish.Renderer, "render_page", flaky)
    page.refresh_from_db()
    page.title = "第二版标题"
    run_on_commit(page.save_revision().publish)
    assert calls["n"] >= 3
    assert (target.read_bytes(), listing.read_bytes()) == before
    monkeypatch.setattr(publish.Renderer, "render_page", original)
    call_command("portal_rebuild", "--here", stdout=io.StringIO())
    assert "第二版标题" in target.read_text()


def test_write_atomic_never_leaves_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "a" / "index.html"
    publish.write_atomic(target, b"old")

    def boom(fd):
        raise OSError("no space left")

    monkeypatch.setattr(publish.os, "fsync", boom)
    with pytest.raises(OSError):
        publish.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_rebuild_command_here_and_bad_input(column, publish_root):
    make_policy(column, title="重建测试", publish=True)
    out = io.StringIO()
    call_command("portal_rebuild", "--here", stdout=out)
    assert "testserver" in out.getvalue()
    assert (site_dir(publish_root) / "zcwj" / "index.html").exists()
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="没有主机名"):
        call_command("portal_rebuild", "--site", "nosuch.example")
    with pytest.raises(CommandError, match="--chunk 必须是正整数"):
        call_command("portal_rebuild", "--chunk", "0")


def _wsgi(app, path, query="", host="testserver", method="GET", headers=None):
    captured = {}

    def start_response(status, hdrs):
        captured["status"], captured["headers"] = status, dict(hdrs)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": host,
               "wsgi.url_scheme": "http"}
    environ.update(headers or {})
    body = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], body


def test_wsgi_wrapper_serves_static_and_passes_dynamic(publish_root):
    base = publish_root / "_default"
    (base / "news").mkdir(parents=True)
    (base / "news" / "index.html").write_text("静态栏目", encoding="utf-8")
    (base / "sitemap.xml").write_text("<urlset/>")

    def django(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]

    app = StaticPublishApp(django, publish_root)
    status, headers, body = _wsgi(app, "/news/")
    assert status == "200 OK" and body.decode() == "静态栏目" and headers["X-Gongkai-Static"] == "1"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert _wsgi(app, "/news/", headers={"HTTP_IF_NONE_MATCH": headers["ETag"]})[0] == "304 Not Modified"
    assert _wsgi(app, "/news/", method="HEAD")[2] == b""
    assert _wsgi(app, "/sitemap.xml")[1]["Content-Type"].startswith("application/xml")
    for path, query in [("/news/", "page=2"), ("/search/", "q=退役"), ("/admin/", ""), ("/../etc/passwd", ""),
                        ("/news/.hidden", ""), ("/missing/", "")]:
        assert _wsgi(app, path, query)[2] == b"django", path
    assert _wsgi(app, "/news/", method="POST")[2] == b"django"
