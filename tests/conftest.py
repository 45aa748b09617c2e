"""Shared fixtures: agencies, staff, and a real Chromium for browser tests."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import uuid

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Real workers started by the tests do not probe the test sites' made-up host names.
os.environ.setdefault("GONGKAI_PROBE_EVERY_MINUTES", "0")
# The demo's link crawl at load costs seconds each of the many times the suite loads the demo; the
# tests that look at it turn it on (tests/inspection/test_browser.py).
os.environ.setdefault("GONGKAI_DEMO_CRAWL", "0")

from django.conf import settings as django_settings
from django.core.signals import setting_changed

from gongkai.agencies.roles import Role

# A fixed key for personal data at rest (gongkai.core.crypto), never the demo's var/field.key.
TEST_FIELD_KEY = "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcyEhISE="
django_settings.GONGKAI_FIELD_KEY = TEST_FIELD_KEY
# Background jobs run at once in the process that asks for them (the immediate engine);
# tests of the queue itself switch to the database engine and run a real worker process.
django_settings.GONGKAI_TASKS = "immediate"
django_settings.GONGKAI_DEMO_CRAWL = os.environ["GONGKAI_DEMO_CRAWL"] not in ("0", "false", "no")
django_settings.TASKS = {"default": {"BACKEND": django_settings.TASK_ENGINES["immediate"]}}
setting_changed.send(sender=None, setting="TASKS", value=django_settings.TASKS, enter=True)
# Test accounts need no costly password hash (PBKDF2 at 1,000,000 rounds took ~0.3 s per user).
django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """Refusals (403, 404) are what many tests ask for — the URL enumeration alone makes thousands; Django
    logs each as a warning with its traceback, which cost a few ms apiece. Server errors are still logged.
    Set before every test: a test that runs `django.setup()` again (the CLI) resets Django's loggers."""
    logging.getLogger("django.request").setLevel(logging.ERROR)


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
def fixed_today(monkeypatch):
    """Freeze today (and now, at 10:00 that day) for every app through `gongkai.core.clock`.

    Starts at 2 March 2026; returns a setter: ``fixed_today(date(2026, 1, 20))``.
    """
    from datetime import date, datetime, time

    from django.utils import timezone

    from gongkai.core import clock

    state = {"today": date(2026, 3, 2)}
    monkeypatch.setattr(clock, "today", lambda: state["today"])
    monkeypatch.setattr(clock, "now", lambda: timezone.make_aware(datetime.combine(state["today"], time(10))))

    def set_today(d: date) -> date:
        state["today"] = d
        return d

    return set_today


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


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return any(name in item.fixturenames for name in ("transactional_db", "live_server"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Every transactional test (live server, browser) rolls back by re-loading the migrated rows.

    A transactional test ends with a flush of every table. Without serialized rollback the
    flush re-runs post_migrate, which re-creates content types and permissions under new ids
    while the process still caches the old ones, and deletes what Wagtail's migrations made
    (locale, root page, default site). In random order any test may follow such a test, so
    each one restores the migrated state when it ends (`pytest_runtest_teardown`).
    """
    for item in items:
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    _deselect_engine_free(config, items)
    _schedule(items)  # after pytest-randomly's shuffle and pytest-django's grouping


def _uses_database(item) -> bool:
    """Whether a test can reach the database: pytest-django refuses database access to any other test."""
    return item.get_closest_marker("django_db") is not None or any(
        name in item.fixturenames for name in ("db", "transactional_db", "live_server", "django_db_setup"))


def _uses_browser(item) -> bool:
    return item.get_closest_marker("browser") is not None or any(
        name in item.fixturenames for name in ("browser", "page"))


def _deselect_engine_free(config, items) -> None:
    """`GONGKAI_TESTS=database-only[,no-browser][,first-pass-done]`: the second engine's pass.

    CI runs the whole suite on SQLite, then again on PostgreSQL with all three:

    - a test that cannot touch the database (pytest-django blocks it) gives the same result on
      either engine, so running it twice only costs time;
    - a browser test (marker ``browser``) checks what Chromium shows and does — layout, scripts,
      keyboard, axe — on top of server code that the Django-client tests exercise on both
      engines; run twice it doubled CI's time beyond its 30 minutes. `make test` with a
      PostgreSQL ``DATABASE_URL`` and no ``GONGKAI_TESTS`` still runs them there;
    - ``first-pass-done``: a test marked ``first_pass_only`` ran in the first pass: the URL
      enumeration's GET-only role walks (the accounts that also POST walk every URL on both
      engines) and the Celery tests on Redis (RabbitMQ runs on both).
    """
    wanted = {part.strip() for part in os.environ.get("GONGKAI_TESTS", "").split(",") if part.strip()}
    if not wanted & {"database-only", "no-browser", "first-pass-done"}:
        return

    def keep(item) -> bool:
        if "database-only" in wanted and not _uses_database(item):
            return False
        if "first-pass-done" in wanted and item.get_closest_marker("first_pass_only"):
            return False
        return not ("no-browser" in wanted and _uses_browser(item))

    kept = [item for item in items if keep(item)]
    dropped = [item for item in items if not keep(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _schedule_rank(item) -> int:
    if item.get_closest_marker("heavy"):
        return 0
    return 1 if item.get_closest_marker("browser") else 2


def _schedule(items) -> None:
    """Long tests first (keeping the random order among them), so parallel workers end together.

    A 100-second test drawn last would leave one worker running it alone while the other
    waits. `make test` runs `--dist load --maxschedchunk 1`: each worker takes the next test
    when it is free, so the long ones spread over the workers. (xdist's default chunks, and
    worksteal's halves, gave one worker every long test in a row.)
    """
    items.sort(key=_schedule_rank)


_MIGRATED_ROWS: dict[str, str] = {}  # alias -> the rows the migrations made, serialized


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized migrated rows where every connection object finds them.

    Django keeps them on the connection object, but code that runs under Playwright's
    greenlets gets new connection objects, whose flush would then re-run post_migrate.
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents:
            _MIGRATED_ROWS[conn.alias] = contents
            type(conn)._test_serialized_contents = contents  # one test database per engine


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put back the rows the migrations created.

    A hook, not a fixture: it must run after every fixture of the test has been torn down,
    the database flush included, whatever order the fixtures were set up in.
    """
    yield
    if nextitem is None or not _is_transactional(item):
        return
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for alias, contents in _MIGRATED_ROWS.items():
            conn = connections[alias]
            if contents:
                # Content types first, without signals: saving a row runs Wagtail's reference
                # index handler, which would create a missing content type under a new id.
                ContentType.objects.using(conn.alias).bulk_create([
                    ContentType(pk=row["pk"], **row["fields"])
                    for row in json.loads(contents) if row["model"] == "contenttypes.contenttype"
                ], ignore_conflicts=True)
                conn.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file per worker, so the live server thread has its own connection.

    With the default in-memory database, pytest-django hands the test thread's connection to
    the live server thread; under load both threads use it at once and fail with "no such
    savepoint" or TransactionManagementError.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _private_file_roots(tmp_path_factory):
    """Keep files written by tests (static pages, uploads) out of the developer's var/."""
    from django.conf import settings

    settings.PUBLISH_ROOT = tmp_path_factory.mktemp("publish")
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


# -- the Celery engine on real brokers (RabbitMQ and Redis on 127.0.0.1) ---------------------

BROKERS = {
    "rabbitmq": ("amqp://guest:guest@127.0.0.1:5672//", 5672),
    "redis": ("redis://127.0.0.1:6379/0", 6379),
}


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(params=[b if b == "rabbitmq" else pytest.param(b, marks=pytest.mark.first_pass_only)
                        for b in sorted(BROKERS)])
def celery_engine(request, settings):
    """Switch this test to the Celery engine on one broker (once per broker), with a queue of its own.

    The second engine's CI pass runs it on RabbitMQ only: what the broker does is the same over
    either database, and what the database does is the same behind either broker.

    Returns a function that starts a `gongkai_worker` on that broker and queue.
    """
    from django_tasks import default_task_backend

    from tests.helpers.workers import start_worker  # it imports this module

    url, port = BROKERS[request.param]
    if not _listening(port):
        pytest.fail(f"{request.param} is not listening on 127.0.0.1:{port}: start it (CI machines run it)")
    queue = f"gongkai-test-{uuid.uuid4().hex[:12]}"
    settings.GONGKAI_TASKS = "celery"
    settings.TASKS = {"default": {"BACKEND": django_settings.TASK_ENGINES["celery"],
                                  "OPTIONS": {"BROKER_URL": url, "QUEUE": queue}}}
    settings.WORKER_BEAT_SECONDS = 1
    env = {"GONGKAI_CELERY_BROKER": url, "GONGKAI_CELERY_QUEUE": queue, "GONGKAI_WORKER_BEAT_SECONDS": "1",
           "GONGKAI_CELERY_VISIBILITY_TIMEOUT": "5"}
    yield lambda *args: start_worker(*args, engine="celery", **env)
    default_task_backend.delete_queue()
