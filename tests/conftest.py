"""Shared fixtures: agencies, staff, and a real Chromium for browser tests."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from gongkai.agencies.roles import Role

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def agency(db):
    from tests.factories import make_agency

    return make_agency("测试市退役军人事务局")


@pytest.fixture
def other_agency(db):
    from tests.factories import make_agency

    return make_agency("测试市民政局")


@pytest.fixture
def staff_factory(db):
    from tests.factories import make_user

    def factory(agency, role=Role.APPLICATION_OFFICER, username=None):
        return make_user(username, agency=agency, role=role)

    return factory


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} 不存在：CI 必须安装 chromium (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} 不存在：请运行 apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _wagtail_initial_data(request):
    """Restore what Wagtail's migrations create (locale, root page, root collection).

    A transactional test ends by flushing every table, which also removes the rows the
    migrations made; tests that run after it would find no page tree.
    """
    if request.node.get_closest_marker("django_db") is None and not any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from wagtail.models import Collection, Locale, Page

    if not Locale.objects.exists():
        Locale.objects.create(language_code="zh-hans")
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=Locale.objects.first())
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(scope="session", autouse=True)
def _private_file_roots(tmp_path_factory):
    """Keep files written by tests (static pages, uploads) out of the developer's var/."""
    from django.conf import settings

    settings.PUBLISH_ROOT = tmp_path_factory.mktemp("publish")
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
