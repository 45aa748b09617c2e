"""/apply/ on a phone: while the citizen describes the information, the items already published appear."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import make_policy

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots")) / "applications"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_shows_already_published_items_while_typing_on_a_phone(live_server, browser, column, agency):
    from tests.factories import make_agency

    agency.supervisor = make_agency("测试市政府办公室")
    agency.save()
    published = make_policy(column, title="2025年度退役军人优抚资金发放汇总表", body="<p>全市优抚资金发放情况汇总。</p>",
                            publish=True)
    make_policy(column, title="2025年度退役军人优抚资金发放明细（未发布）", body="<p>优抚资金发放明细</p>")
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{live_server.url}/apply/")
    page.select_option("#id_agency", str(agency.pk))
    page.locator("#id_description").press_sequentially("我想申请2025年退役军人优抚资金发放汇总表", delay=20)
    box = page.locator("#published-matches")
    box.locator("text=这些信息已经公开").wait_for(timeout=10_000)
    links = box.locator("a")
    assert links.count() == 1 and links.first.inner_text() == published.title
    assert links.first.get_attribute("href") == published.get_full_url()
    assert "未发布" not in box.inner_text()
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width  # nothing scrolls sideways on the phone
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "apply-published-phone.png"), full_page=True)
    # changing the description to something not published clears the list; the form is still there to submit
    page.fill("#id_description", "请公开本局2026年部门预算")
    page.locator("#id_description").press("End")
    page.locator("#id_description").press_sequentially("。", delay=20)
    box.locator("a").first.wait_for(state="detached", timeout=10_000)
    assert page.locator("main button[type=submit]:has-text('提交申请')").is_visible()
    context.close()
