"""The review path is straight: approving a step from the page editor's footer or from the dashboard moves the page
on to the next step (初审 → 保密审查 → 签发 → published), also when the reviewer corrected the text first."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.agencies.roles import Role

from .test_browser import _login, _new_context, _step, site_with_reviewers

APPROVE = "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"


def _submitted(column, editor, title):
    from .conftest import make_policy

    with transaction.atomic():
        page = make_policy(column, title=title)
        page.get_workflow().start(page, editor)
    return page


def _approve_in_editor(browser, live_server, user, page_obj, *, retitle=None):
    context = _new_context(browser)
    _login(context, live_server, user)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/admin/pages/{page_obj.pk}/edit/")
    if retitle:
        tab.fill("#id_title", retitle)
    tab.locator("footer .w-dropdown__toggle").last.click()
    with tab.expect_navigation():
        tab.locator(APPROVE).click()
    text = tab.locator("body").inner_text()
    context.close()
    return text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_step_approved_in_the_editor_footer_moves_the_page_on(browser, live_server, agency, staff_factory,
                                                                   publish_root):
    column, users = site_with_reviewers(agency, staff_factory, "rp")
    page_obj = _submitted(column, users[Role.EDITOR], "关于做好优抚对象走访慰问工作的通知")
    assert _step(page_obj) == "初审"
    # 初审 corrects a word in the title and approves in the same click: the page goes on, not back.
    _approve_in_editor(browser, live_server, users[Role.REVIEWER], page_obj, retitle="关于做好优抚对象走访慰问工作的通知（修订）")
    assert _step(page_obj) == "保密审查"
    assert page_obj.get_latest_revision().as_object().title.endswith("（修订）")
    _approve_in_editor(browser, live_server, users[Role.CONFIDENTIALITY_REVIEWER], page_obj)
    assert _step(page_obj) == "签发"
    _approve_in_editor(browser, live_server, users[Role.SIGNER], page_obj)
    page_obj.refresh_from_db()
    assert page_obj.live and page_obj.title.endswith("（修订）") and _step(page_obj) is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_after_a_step_was_approved_still_goes_back_to_that_step(browser, live_server, agency, staff_factory,
                                                                        publish_root):
    """What re-approval on edit is for: the editor changes the text while 保密审查 is open → 初审 sees it again."""
    column, users = site_with_reviewers(agency, staff_factory, "rp")
    page_obj = _submitted(column, users[Role.EDITOR], "关于开展退役军人就业培训的通知")
    _approve_in_editor(browser, live_server, users[Role.REVIEWER], page_obj)
    assert _step(page_obj) == "保密审查"
    with transaction.atomic():
        draft = page_obj.get_latest_revision().as_object()
        draft.title = "关于开展退役军人就业创业培训的通知"
        draft.save_revision(user=users[Role.EDITOR])
    _approve_in_editor(browser, live_server, users[Role.CONFIDENTIALITY_REVIEWER], page_obj)
    assert _step(page_obj) == "初审"  # the editor's change has not been seen by 初审
    _approve_in_editor(browser, live_server, users[Role.REVIEWER], page_obj)
    assert _step(page_obj) == "签发"


def _approve_on_dashboard(browser, live_server, user, page_obj):
    state = page_obj.current_workflow_task_state
    context = _new_context(browser)
    _login(context, live_server, user)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/admin/")
    button = tab.locator(f'button[data-workflow-action-url$="/{page_obj.pk}/approve/{state.pk}/"]:not([data-launch-modal])')
    if not button.is_visible():
        tab.locator("tr", has=button).locator(".w-dropdown__toggle").first.click()
    with tab.expect_navigation():
        button.click()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_step_approved_on_the_dashboard_moves_the_page_on(browser, live_server, agency, staff_factory, publish_root):
    column, users = site_with_reviewers(agency, staff_factory, "rp")
    page_obj = _submitted(column, users[Role.EDITOR], "关于公布烈士纪念设施名录的通知")
    for role, following in ((Role.REVIEWER, "保密审查"), (Role.CONFIDENTIALITY_REVIEWER, "签发"), (Role.SIGNER, None)):
        _approve_on_dashboard(browser, live_server, users[role], page_obj)
        assert _step(page_obj) == following, role
    page_obj.refresh_from_db()
    assert page_obj.live


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_review_screen_shows_the_text_beside_the_sidebar(browser, live_server, agency, staff_factory, publish_root):
    """The 保密审查 screen: its heading clears the admin sidebar, the text under review is there with the hit marked."""
    from pathlib import Path

    from .conftest import make_policy

    column, users = site_with_reviewers(agency, staff_factory, "rs")
    with transaction.atomic():
        page_obj = make_policy(column, title="关于公布走访慰问联系人的通知", body="<p>联系人王五，电话13812345678。</p>")
        page_obj.get_workflow().start(page_obj, users[Role.EDITOR])
    _approve_in_editor(browser, live_server, users[Role.REVIEWER], page_obj)
    context = _new_context(browser)
    _login(context, live_server, users[Role.CONFIDENTIALITY_REVIEWER])
    tab = context.new_page()
    tab.set_viewport_size({"width": 1366, "height": 900})
    tab.goto(f"{live_server.url}/admin/portal/review/{page_obj.pk}/")
    heading = tab.get_by_role("heading", level=1).bounding_box()
    sidebar = tab.locator(".sidebar__inner").first.bounding_box()
    assert sidebar and heading["x"] >= sidebar["x"] + sidebar["width"], (heading, sidebar)
    assert tab.locator(".reviewed-body mark.scan-mark").first.inner_text().startswith("138")
    assert "联系人王五" in tab.locator(".reviewed-body").nth(1).inner_text()
    Path("/tmp/shots/admin").mkdir(parents=True, exist_ok=True)
    tab.screenshot(path="/tmp/shots/admin/review.png", full_page=True)
    context.close()
