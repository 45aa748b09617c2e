"""The Chinese admin in a real browser: log in, see the menu, refuse another agency's record."""

import os
from pathlib import Path

import pytest

from gongkai.agencies.roles import Role
from tests.factories import PASSWORD, make_agency, make_user

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots/foundation"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_office_head_logs_in_to_the_chinese_admin(live_server, page):
    mine = make_agency("浏览器测试局")
    theirs = make_agency("别的局")
    make_user("head_browser", agency=mine, role=Role.OFFICE_HEAD)
    page.goto(f"{live_server.url}/admin/login/")
    assert "登录" in page.content()
    page.fill("input[name=username]", "head_browser")
    page.fill("input[name=password]", "wrong-one-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "密码不匹配" in page.content()
    assert "登录 · 政府信息公开平台" in page.content() and "Password" not in page.inner_text("form")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/snippets/agencies/agency/")
    body = page.content()
    assert "浏览器测试局" in body and "别的局" not in body
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-agencies.png"), full_page=True)
    response = page.goto(f"{live_server.url}/admin/snippets/agencies/agency/edit/{theirs.pk}/")
    assert response.status == 403 and "别的局" not in page.content()  # refused by the admin guard
