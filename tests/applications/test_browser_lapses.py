"""In a real browser: the clerk finds what the system did by itself, and the head sets a 文号 pattern."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from gongkai.applications import actions
from gongkai.applications.models import CaseNotice, LetterNumberPattern

from .helpers import register
from .test_browser import demo, login  # noqa: F401 - the demo fixture

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots/applications"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()


def test_the_clerk_reads_the_automatic_step_and_the_head_sets_a_pattern(live_server, page, demo, fixed_today):
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = get_user_model().objects.get(username="demo_officer")
    fixed_today(date(2026, 9, 24))
    app = register(demo["agency"], officer, received=date(2026, 9, 22), description="请公开某项目中标价格。")
    actions.application_consult(app, actor=officer, on=date(2026, 9, 24), party_kind="third_party",
                                party_name="洛阳某商贸公司", matter="该公司的中标价格")
    fixed_today(date(2026, 10, 23))
    call_command("lapse_windows", stdout=io.StringIO())

    login(page, base, "demo_officer")
    item = page.locator("#todo-applications a", has_text="系统自动处理")
    assert item.count() == 1
    with page.expect_navigation():
        item.click()
    assert "#auto" in page.url
    auto = page.inner_text("#auto")
    assert "征求意见逾期未答复" in auto and "2026-10-22" in auto
    assert "系统自动" in page.inner_text("#history")
    page.screenshot(path=str(SHOTS / "lapse-case.png"), full_page=True)
    with page.expect_navigation():
        page.click("#auto button[name=notice_seen]")
    assert CaseNotice.objects.get(application=app).seen_by == officer
    page.goto(f"{base}/admin/")
    assert page.locator("#todo-applications a", has_text="系统自动处理").count() == 0

    login(page, base, "demo_head")
    page.goto(f"{base}/admin/snippets/applications/letternumberpattern/add/")
    page.select_option("#id_letter_kind", "reply")
    page.fill("#id_pattern", "洛退役依申答〔{年}〕号")
    save(page)
    assert "文号格式必须包含 {序号}" in page.content()
    assert page.input_value("#id_pattern") == "洛退役依申答〔{年}〕号"
    page.screenshot(path=str(SHOTS / "pattern-refused.png"), full_page=True)
    page.fill("#id_pattern", "洛退役依申答〔{年}〕{序号}号")
    save(page)
    assert LetterNumberPattern.objects.get(agency=demo["agency"]).pattern == "洛退役依申答〔{年}〕{序号}号"
