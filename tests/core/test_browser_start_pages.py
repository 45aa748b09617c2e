"""Each role's start page (今日待办) in a real browser at 1366 px: it opens, shows the role's panels, does not
scroll sideways, and is saved as a screenshot (/tmp/shots/admin/start-<user>.png) for people to look at."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers.foreign import login

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots")) / "admin"
# The panels each demo user must see (others may show too).
EXPECTED = {
    "demo_head": {"applications", "messages", "annual-reports", "publishing", "inspection"},
    "demo_officer": {"applications"},
    "demo_editor": {"publishing"},
    "demo_messages": {"messages"},
    "demo_supervisor": {"applications", "messages", "annual-reports"},
    "demo_secrecy": {"publishing", "review"},
    "demo_reviewer": {"publishing", "review"},
    "demo_signer": {"publishing"},
}


@pytest.mark.browser
@pytest.mark.heavy
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_role_opens_a_start_page_of_things_to_do(browser, live_server, settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.PUBLISH_ROOT = tmp_path / "publish"
    call_command("load_demo", stdout=io.StringIO())
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for username, panels in EXPECTED.items():
        client = Client()
        login(client, get_user_model().objects.get(username=username))
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        tab = context.new_page()
        response = tab.goto(f"{live_server.url}/admin/")
        assert response.status == 200 and tab.url.rstrip("/").endswith("/admin"), (username, tab.url)
        shown = set(tab.locator("section.todo-panel").evaluate_all("els => els.map(e => e.id.replace('todo-', ''))"))
        if tab.locator("#awaiting-review, [aria-labelledby=awaiting-review-heading], .w-panel:has-text('等待您审核')").count():
            shown.add("review")  # Wagtail's own panel of the pages waiting for this user's step
        if not panels <= shown:
            problems.append(f"{username}: missing {sorted(panels - shown)} (has {sorted(shown)})")
        if tab.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            problems.append(f"{username}: the start page scrolls sideways")
        tab.screenshot(path=str(SHOTS / f"start-{username}.png"), full_page=True)
        context.close()
    assert not problems, "\n".join(problems)
