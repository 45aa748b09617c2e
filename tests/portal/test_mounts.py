"""Agencies under a shared host (集约化): www.shared.test/bm/<code>/ is a whole site, dynamic and static."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from wagtail.models import Site

from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.law.identifiers import credit_code_check_char
from gongkai.portal import mounts, publish
from gongkai.portal.actions.sites import agency_with_site_create
from gongkai.portal.models.pages import ColumnPage
from gongkai.portal.serving import StaticPublishApp

from .conftest import make_policy

pytestmark = pytest.mark.django_db

SHARED = "www.shared.test"


def credit_code(n: int) -> str:
    first17 = f"11410300MB{n:07d}"
    return first17 + credit_code_check_char(first17)


def create(address: str, name: str, n: int, **extra):
    agency, site, _head, _password = agency_with_site_create(
        actor=None, hostname=address, port=80, name=name, short_name=name[-3:], credit_code=credit_code(n),
        level="city", kind="department", **extra)
    return agency, site


def add_policy(site, title: str):
    home = site.root_page.specific
    column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
    home.add_child(instance=column)
    column.save_revision().publish()
    return column, make_policy(column, title=title, publish=True)


@pytest.fixture
def mounted(settings, django_capture_on_commit_callbacks):
    settings.ALLOWED_HOSTS = [SHARED, "mzj.example.test", "testserver"]
    with django_capture_on_commit_callbacks(execute=True):  # publication writes the static copy on commit
        agency, site = create(f"{SHARED}/bm/mzj", "洛阳市民政局", 1)
        column, policy = add_policy(site, "困难群众救助办法")
        other_agency, other_site = create(f"{SHARED}/bm/jyj", "洛阳市教育局", 2)
        add_policy(other_site, "困难学生资助办法")
    return {"agency": agency, "site": site, "column": column, "policy": policy, "other": other_site}


def test_the_address_names_the_mount_and_the_audit_says_where(mounted):
    site = mounted["site"]
    assert site.hostname == f"bm-mzj.{SHARED}" and site.port == 80
    assert mounts.public_address(site.hostname, site.port) == f"{SHARED}/bm/mzj"
    event = AuditEvent.objects.get(action="portal.agency_site_create", agency=mounted["agency"])
    assert event.new["site"] == f"{SHARED}/bm/mzj"
    # Every URL of the mounted site's pages is under the shared host's /bm/mzj/.
    policy = mounted["policy"]
    assert policy.full_url == f"http://{SHARED}/bm/mzj/zcwj/{policy.slug}/"
    assert mounted["site"].root_page.specific.full_url == f"http://{SHARED}/bm/mzj/"


def test_a_visitor_gets_the_mounted_site_with_its_links_search_and_forms_under_the_mount(mounted):
    client = Client(HTTP_HOST=SHARED)
    home = client.get("/bm/mzj/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "洛阳市民政局" in html and "洛阳市教育局" not in html
    assert 'href="/bm/mzj/zcwj/"' in html
    assert re.search(r'action="/bm/mzj/search/"', html), "the search box stays on the agency's site"
    policy = mounted["policy"]
    page = client.get(f"/bm/mzj/zcwj/{policy.slug}/")
    assert page.status_code == 200 and policy.index_number in page.content.decode()
    # Search under the mount searches that agency's pages only.
    found = client.get("/bm/mzj/search/", {"q": "办法"}).content.decode()
    assert "困难群众救助<mark>办法</mark>" in found and "困难学生资助" not in found
    assert f'href="http://{SHARED}/bm/mzj/zcwj/{policy.slug}/"' in found
    other = client.get("/bm/jyj/search/", {"q": "办法"}).content.decode()
    assert "困难学生资助<mark>办法</mark>" in other and "困难群众救助" not in other
    # Without the slash: one redirect; an unknown code or another host: not found.
    response = client.get("/bm/mzj")
    assert response.status_code == 301 and response["Location"] == "/bm/mzj/"
    assert client.get("/bm/nosuch/").status_code == 404
    assert Client(HTTP_HOST="mzj.example.test").get("/bm/mzj/").status_code == 404
    # The admin has one address: never under a mount.
    assert client.get("/bm/mzj/admin/").status_code == 404
    # A request under the mount does not leave its prefix behind for the next one.
    from django.urls import get_script_prefix

    assert get_script_prefix() == "/"


def test_the_static_copy_lives_under_the_shared_host_and_is_served_from_there(mounted, publish_root):
    policy = mounted["policy"]
    base = publish_root / "_mounts" / SHARED / "bm" / "mzj"
    page_file = base / "zcwj" / policy.slug / "index.html"
    assert page_file.exists()
    html = page_file.read_text()
    assert 'href="/bm/mzj/zcwj/"' in html and 'action="/bm/mzj/search/"' in html
    assert not (publish_root / SHARED).exists(), "a mounted site writes nothing into the shared host's own copy"
    sitemap = (base / "sitemap.xml").read_text()
    assert f"<loc>http://{SHARED}/bm/mzj/zcwj/{policy.slug}/</loc>" in sitemap
    assert "/bm/jyj/" not in sitemap
    # The host map that nginx includes names the shared host once.
    lines = (publish_root / "nginx-sites.map").read_text().splitlines()
    assert f'"{SHARED}:80" {SHARED};' in lines and f'"{SHARED}:443" {SHARED};' in lines

    served = []
    app = StaticPublishApp(lambda environ, start: served.append(environ["PATH_INFO"]) or [b"django"],
                           root=publish_root)

    def get(path, host=SHARED):
        status = []
        body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": host,
                             "wsgi.url_scheme": "http"}, lambda s, h: status.append((s, dict(h)))))
        return status[0] if status else None, body

    status, body = get(f"/bm/mzj/zcwj/{policy.slug}/")
    assert status[0].startswith("200") and status[1]["X-Gongkai-Static"] == "1"
    assert "困难群众救助办法" in body.decode()
    # The other mount, a path never published, another host: not from this copy.
    assert get("/bm/jyj/zcwj/")[0][0].startswith("200")
    assert get("/bm/mzj/search/") == (None, b"django")
    assert get(f"/bm/mzj/zcwj/{policy.slug}/", host="other.test") == (None, b"django")


def test_removing_a_page_of_a_mounted_site_removes_its_file(mounted, publish_root, django_capture_on_commit_callbacks):
    policy = mounted["policy"]
    page_file = publish_root / "_mounts" / SHARED / "bm" / "mzj" / "zcwj" / policy.slug / "index.html"
    assert page_file.exists()
    with django_capture_on_commit_callbacks(execute=True):
        policy.unpublish()
    assert not page_file.exists()


def test_a_full_rebuild_of_a_mounted_site_swaps_in_its_own_directory(mounted, publish_root):
    count = publish.rebuild_site(mounted["site"])
    assert count == 3  # home, column, policy
    link = publish_root / "_mounts" / SHARED / "bm" / "mzj"
    assert link.is_symlink() and (link / "zcwj" / mounted["policy"].slug / "index.html").exists()
    assert (publish_root / "_mounts" / SHARED / "bm" / "jyj" / "zcwj").is_dir(), "the other mount is untouched"


@pytest.mark.parametrize("address, message", [
    (f"{SHARED}/bm/", "共享主机下的网站地址应为"),
    (f"{SHARED}/news/mzj", "共享主机下的网站地址应为"),
    (f"{SHARED}/bm/MZJ_1", "只能含小写字母和数字"),
    ("bm-mzj.shared.test", "留给共享主机下的网站"),
    ("shared test/bm/mzj", "网站主机名"),
])
def test_a_bad_address_is_refused_in_chinese_and_nothing_is_created(address, message):
    from gongkai.agencies.models import Agency

    before = (Agency.objects.count(), Site.objects.count())
    with pytest.raises(DomainError) as caught:
        create(address, "洛阳市民政局", 3)
    assert message in str(caught.value) and caught.value.field == "host"
    assert (Agency.objects.count(), Site.objects.count()) == before


def test_a_mount_already_taken_is_refused(mounted):
    with pytest.raises(DomainError) as caught:
        create(f"{SHARED}/bm/mzj", "洛阳市文旅局", 4)
    assert f"{SHARED}/bm/mzj 已由" in str(caught.value)
