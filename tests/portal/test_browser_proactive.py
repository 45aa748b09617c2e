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
    from tests.portal.test_browser_axe import axe_violations

    assert axe_violations(page) == []  # the suggestions added nothing serious or critical for axe-core
    # changing the description to something not published clears the list; the form is still there to submit
    page.fill("#id_description", "请公开本局2026年部门预算")
    page.locator("#id_description").press("End")
    page.locator("#id_description").press_sequentially("。", delay=20)
    box.locator("a").first.wait_for(state="detached", timeout=10_000)
    assert page.locator("main button[type=submit]:has-text('提交申请')").is_visible()
    context.close()


def test_board_converts_a_group_into_a_draft_once(live_server, browser, agency, home, staff_factory, fixed_today):
    from datetime import date

    from gongkai.agencies.roles import Role
    from gongkai.portal.models.disclosure_pages import DisclosureIndexPage
    from gongkai.portal.models.pages import ContentPage
    from tests.applications.helpers import person, register
    from tests.factories import PASSWORD

    index = DisclosureIndexPage(title="政府信息公开", slug="xxgk")
    home.add_child(instance=index)
    index.save_revision().publish()
    officer = staff_factory(agency, Role.APPLICATION_OFFICER, "officer9")
    for i, (name, text) in enumerate([("王五", "申请公开2025年度本局退役军人优抚资金发放汇总表"),
                                      ("赵六", "请提供2025年退役军人优抚资金发放情况汇总表"),
                                      ("孙七", "我想获取贵局2025年度优抚资金发放汇总表的复印件")]):
        register(agency, officer, received=date(2026, 1, 5 + i), applicant=person(name=name, id_number=_id(i),
                                                                                   phone=f"1390000{i:04d}"),
                 subject=text[:20], description=text)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "officer9")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/applications/same-info/")
    group = page.locator(".same-info-group")
    assert group.count() == 1 and "3 个申请人" in group.inner_text() and "王某" in group.inner_text()
    page.screenshot(path=str(SHOTS / "same-info-board.png"), full_page=True)
    with page.expect_navigation():
        group.locator("button:has-text('转为主动公开')").first.click()
    assert "已生成主动公开草稿" in page.content()
    assert page.locator(".same-info-decision").count() == 1 and page.locator("button:has-text('转为主动公开')").count() == 0
    page.screenshot(path=str(SHOTS / "same-info-board-converted.png"), full_page=True)
    draft = ContentPage.objects.get()
    assert not draft.live and draft.get_parent().pk == index.pk
    context.close()


def _id(i):
    from gongkai.law.identifiers import id_number_check_char

    first17 = f"41030219900101{i:03d}"
    return first17 + id_number_check_char(first17)
