"""Done-when walk in a real browser: write → 初审 → 保密审查 sends back → fix → three steps → static, search, feed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.db import transaction

from gongkai.agencies.roles import Role

from .conftest import ID_NUMBER, docx_bytes

SHOTS = Path("/tmp/shots/portal")


def _login(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _workflow_action(page, live_server, page_id, action):
    """Approve the current step as the logged-in user (the button in the editor's action menu does the same POST)."""
    from wagtail.models import Page

    state = Page.objects.get(pk=page_id).specific.current_workflow_task_state
    page.goto(f"{live_server.url}/admin/pages/{page_id}/edit/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:workflow_action", args=[page_id, action, state.pk])
    response = page.request.post(f"{live_server.url}{url}",
                                 form={"comment": ""}, headers={"X-CSRFToken": token,
                                                                "Referer": f"{live_server.url}/admin/"})
    assert response.status in (200, 302), response.status


def _step(page_obj):
    page_obj.refresh_from_db()
    state = page_obj.current_workflow_task_state
    return state.task.name.split("·")[0] if state else None


def _submit(page):
    page.get_by_role("button", name="更多动作").click()
    with page.expect_navigation():
        page.locator("button[name=action-submit]").click()


def site_with_reviewers(agency, staff_factory, prefix):
    """The agency's site on localhost with a 政策文件 column, and its editor and three reviewers."""
    from gongkai.portal.demo import _drop_wagtail_welcome
    from gongkai.portal.models.pages import ColumnPage
    from gongkai.portal.setup import ensure_agency_portal

    with transaction.atomic():
        _drop_wagtail_welcome()  # Wagtail's own localhost site would answer the live server's requests
        home = ensure_agency_portal(agency, hostname="localhost", port=80, default=True)
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
    users = {role: staff_factory(agency, role=role, username=f"{prefix}_{role}") for role in
             (Role.EDITOR, Role.REVIEWER, Role.CONFIDENTIALITY_REVIEWER, Role.SIGNER)}
    return column, users


def _new_context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(20000)
    return context


def _upload(page, live_server, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    page.goto(f"{live_server.url}/admin/documents/add/")
    page.fill("#id_title", name)
    page.set_input_files("#id_file", str(path))
    page.click("form:has(#id_file) [type=submit]")
    page.wait_for_url(re.compile(r"/admin/documents/(\?.*)?$"))


def _choose_attachment(page, title):
    page.get_by_text("增加 附件").click()
    page.get_by_text("选择一个文档").last.click()
    page.locator(".modal a[data-chooser-modal-choice]", has_text=title).first.click()
    page.wait_for_selector(".modal", state="hidden")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_policy_with_id_number_goes_back_and_then_through_all_three_steps(browser, live_server, agency, staff_factory,
                                                                         publish_root, tmp_path):
    from gongkai.portal.models.pages import PolicyDocumentPage

    SHOTS.mkdir(parents=True, exist_ok=True)
    column, users = site_with_reviewers(agency, staff_factory, "b")

    # The editor uploads a DOCX with an ID number and writes the policy.
    editor_ctx = _new_context(browser)
    _login(editor_ctx, live_server, users[Role.EDITOR])
    ed = editor_ctx.new_page()
    _upload(ed, live_server, tmp_path, "获奖名单.docx", docx_bytes("获奖人员名单", f"王五 {ID_NUMBER}"))
    ed.goto(f"{live_server.url}/admin/pages/add/portal/policydocumentpage/{column.pk}/")
    ed.fill("#id_title", "关于退役军人优待证发放的通知")
    ed.fill("#id_issuer", "测试市退役军人事务局")
    ed.locator(".Draftail-Editor [contenteditable=true]").first.click()
    ed.keyboard.type("为做好退役军人优待工作，现将有关事项通知如下。")
    _choose_attachment(ed, "获奖名单.docx")
    ed.screenshot(path=str(SHOTS / "admin-edit.png"), full_page=True)
    _submit(ed)
    page_obj = PolicyDocumentPage.objects.get(title="关于退役军人优待证发放的通知")
    assert page_obj.workflow_in_progress

    # 初审 approves.
    reviewer_ctx = _new_context(browser)
    _login(reviewer_ctx, live_server, users[Role.REVIEWER])
    assert _step(page_obj) == "初审"
    _workflow_action(reviewer_ctx.new_page(), live_server, page_obj.pk, "approve")
    assert _step(page_obj) == "保密审查"

    # 保密审查 sees the hit in the attachment and sends the page back.
    secrecy_ctx = _new_context(browser)
    _login(secrecy_ctx, live_server, users[Role.CONFIDENTIALITY_REVIEWER])
    sec = secrecy_ctx.new_page()
    sec.goto(f"{live_server.url}/admin/portal/review/{page_obj.pk}/")
    hit = sec.locator("tr.scan-hit")
    assert hit.count() == 1
    assert "身份证号" in hit.inner_text() and "附件《获奖名单.docx》" in hit.inner_text()
    assert ID_NUMBER not in sec.content()
    assert sec.get_by_role("button", name="通过保密审查").is_disabled()
    sec.screenshot(path=str(SHOTS / "review-hit.png"), full_page=True)
    sec.fill("#comment", "附件含身份证号，请删除后重新提交")
    sec.get_by_role("button", name="退回修改").click()
    sec.wait_for_url(re.compile(r"/admin/$"))
    page_obj.refresh_from_db()
    assert not page_obj.workflow_in_progress and not page_obj.live

    # The editor replaces the attachment and resubmits.
    _upload(ed, live_server, tmp_path, "获奖名单（公开版）.docx", docx_bytes("获奖人员名单", "王五"))
    ed.goto(f"{live_server.url}/admin/pages/{page_obj.pk}/edit/")
    ed.locator("#id_attachments-0-DELETE-button, [id$='-0-DELETE-button'], button:has-text('删除')").first.click()
    _choose_attachment(ed, "获奖名单（公开版）.docx")
    _submit(ed)

    # Back at 保密审查, which passes with nothing to confirm; 初审 sees the changed content
    # again (re-approval on edit); 签发 publishes.
    assert _step(page_obj) == "保密审查"
    sec.goto(f"{live_server.url}/admin/portal/review/{page_obj.pk}/")
    assert sec.locator("tr.scan-hit").count() == 0
    sec.get_by_role("button", name="通过保密审查").click()
    sec.wait_for_url(re.compile(r"/admin/$"))
    assert _step(page_obj) == "初审"
    _workflow_action(reviewer_ctx.new_page(), live_server, page_obj.pk, "approve")
    assert _step(page_obj) == "签发"
    signer_ctx = _new_context(browser)
    _login(signer_ctx, live_server, users[Role.SIGNER])
    _workflow_action(signer_ctx.new_page(), live_server, page_obj.pk, "approve")
    page_obj.refresh_from_db()
    assert page_obj.live and page_obj.index_number

    # A static file with its 索引号; a 2-character search finds it; the column feed lists it.
    static = publish_root / "_default" / "zcwj" / page_obj.slug / "index.html"
    assert page_obj.index_number in static.read_text()
    public_ctx = _new_context(browser)
    pub = public_ctx.new_page()
    pub.goto(f"{live_server.url}/search/?q=优待")
    pub.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    assert pub.locator(".search-results li h2 a").first.inner_text() == "关于退役军人优待证发放的通知"
    assert pub.locator(".search-results mark").first.inner_text() == "优待"
    pub.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    feed = json.loads((publish_root / "_default" / "zcwj" / "feed" / "json" / "index.json").read_text())
    assert feed["items"][0]["title"] == "关于退役军人优待证发放的通知"
    pub.goto(f"{live_server.url}/zcwj/{page_obj.slug}/")
    assert page_obj.index_number in pub.content()
    pub.screenshot(path=str(SHOTS / "article.png"), full_page=True)
    # Keyboard: the first Tab lands on the skip link, which moves focus to the content.
    pub.keyboard.press("Tab")
    assert pub.evaluate("document.activeElement.className") == "skip-link"
    pub.keyboard.press("Enter")
    assert pub.evaluate("document.activeElement.id") == "main"
    # Elderly mode switches on and stays on across pages.
    pub.get_by_role("button", name="长者模式").click()
    pub.goto(f"{live_server.url}/")
    assert "elderly" in (pub.locator("html").get_attribute("class") or "")
    pub.screenshot(path=str(SHOTS / "home-elderly.png"))
    for ctx in (editor_ctx, reviewer_ctx, secrecy_ctx, signer_ctx, public_ctx):
        ctx.close()
