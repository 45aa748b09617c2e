"""End-to-end walks in a real Chromium: the writer's path and the staff's path through one message."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from gongkai.agencies.roles import Role
from gongkai.interaction.models import Department, Message
from tests.factories import PASSWORD, make_agency, make_user

from .helpers import solve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def answer_captcha(page):
    words = page.locator(".captcha-words").inner_text().removeprefix("文字题：")
    page.fill("input[name=captcha_answer]", str(solve(words)))


def submit(page, selector):
    """Click a button or link and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


@pytest.fixture
def setup_agency(settings, tmp_path):
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    agency = make_agency("洛阳市退役军人事务局（测试）")
    make_user("handler_b", agency=agency, role=Role.MESSAGE_HANDLER)
    make_user("head_b", agency=agency, role=Role.OFFICE_HEAD)
    Department.objects.create(agency=agency, name="优抚科")
    Department.objects.create(agency=agency, name="安置科")
    return agency


def test_writer_and_staff_paths(live_server, browser, setup_agency):
    base = live_server.url
    writer = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    w = writer.new_page()
    w.set_default_timeout(15000)

    # The writer: a mistake first (no phone), everything typed stays.
    w.goto(f"{base}/hudong/xie/")
    w.select_option("select[name=agency]", label="洛阳市退役军人事务局（测试）")
    w.check("input[name=category][value=consult]")
    w.fill("input[name=title]", "烈士子女教育优待咨询")
    w.fill("textarea[name=content]", "我叫陈立新，是烈士子女，电话13612345678，请问升学有哪些优待政策？")
    w.fill("input[name=writer_name]", "陈立新")
    w.check("input[name=wants_public]")
    answer_captcha(w)
    submit(w, "main button[type=submit]")
    assert "请填写联系电话" in w.locator("#form-errors").inner_text()
    assert w.input_value("input[name=title]") == "烈士子女教育优待咨询"
    shot(w, "browser_writer_error_mobile")
    w.fill("input[name=writer_phone]", "13612345678")
    answer_captcha(w)  # a new challenge after each submission
    submit(w, "main button[type=submit]")
    code = w.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    shot(w, "browser_writer_code")
    w.goto(f"{base}/hudong/chaxun/")
    w.fill("input[name=code]", code.lower())
    submit(w, "main button[type=submit]")
    assert w.locator("#stage").inner_text() == "已受理，等待分办"

    # The staff: triage, route, draft, submit; the head approves; the handler publishes.
    message = Message.objects.get()
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    s = staff.new_page()
    s.set_default_timeout(15000)
    login(s, base, "handler_b")
    s.goto(f"{base}/admin/interaction/messages/")
    submit(s, "text=烈士子女教育优待咨询")
    expect(s.locator("main")).to_contain_text("13612345678")
    s.select_option("#act-triage select[name=department]", label="优抚科")
    submit(s, "#act-triage button[type=submit]")
    s.select_option("#act-route select[name=department]", label="安置科")
    s.fill("#act-route textarea[name=note]", "升学优待由安置科答复")
    submit(s, "#act-route button[type=submit]")
    s.fill("#act-draft textarea[name=text]", "您好！烈士子女报考普通高中、中等职业学校的，在同等条件下优先录取。")
    submit(s, "#act-draft button[type=submit]")
    submit(s, "#act-submit button[type=submit]")
    expect(s.locator("body")).to_contain_text("答复已提交审批")
    shot(s, "browser_staff_submitted")

    head = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    h = head.new_page()
    h.set_default_timeout(15000)
    login(h, base, "head_b")
    h.goto(f"{base}/admin/interaction/messages/edit/{message.pk}/")
    shot(h, "browser_head_case")
    submit(h, "#act-approve button[type=submit]")
    shot(h, "browser_head_after")
    expect(h.locator("body")).to_contain_text("答复已审批通过")

    s.goto(f"{base}/admin/interaction/messages/edit/{message.pk}/")
    content = s.input_value("#act-publish textarea[name=public_content]")
    assert "陈某某" in content and "136****5678" in content and "13612345678" not in content
    shot(s, "browser_staff_publish")
    submit(s, "#act-publish button[type=submit]")
    expect(s.locator("body")).to_contain_text("留言及答复已公开")

    # The public list shows it, masked; the writer reads the reply with the code.
    w.goto(f"{base}/hudong/")
    w.fill("input[name=q]", "烈士子女")
    submit(w, "form.filters button[type=submit]")
    submit(w, "text=烈士子女教育优待咨询")
    page_text = w.locator("main").inner_text()
    assert "答复部门\t安置科" in page_text or "安置科" in page_text
    assert "陈立新" not in page_text and "13612345678" not in page_text
    shot(w, "browser_public_detail_mobile")
    w.goto(f"{base}/hudong/chaxun/")
    w.fill("input[name=code]", code)
    submit(w, "main button[type=submit]")
    assert w.locator("#stage").inner_text() == "已答复"
    assert "同等条件下优先录取" in w.locator("#reply-text").inner_text()
    for context in (writer, staff, head):
        context.close()


def test_supervising_office_never_sees_personal_data_in_the_browser(live_server, browser, setup_agency):
    from django_otp.plugins.otp_static.models import StaticDevice

    from gongkai.interaction import actions

    office = make_agency("洛阳市人民政府办公室（测试）")
    setup_agency.supervisor = office
    setup_agency.save()
    actions.message_register(setup_agency, actor=None, category="complaint", channel="website",
                             title="反映抚恤金未到账", content="我是刘志军，手机13912340000，抚恤金三个月未到账。",
                             writer_name="刘志军", writer_phone="13912340000")
    inspector = make_user("inspector_b", agency=office, role=Role.SUPERVISOR)
    StaticDevice.objects.create(user=inspector, name="备用码").token_set.create(token="55556666")
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "inspector_b")
    page.fill("input[name=password]", PASSWORD)
    submit(page, "button[type=submit]")
    page.fill("input[name=token]", "55556666")
    submit(page, "button[type=submit]")
    page.goto(f"{live_server.url}/admin/interaction/messages/")
    submit(page, "text=反映抚恤金未到账")
    text = page.locator("main").inner_text()
    assert "刘志军" not in text and "13912340000" not in text and "139****0000" in text
    assert page.locator("form.ix-form").count() == 0
    shot(page, "browser_supervisor_case")
