"""The Wagtail editor and the public apply form work in a real browser under the CSP, without one violation."""

from __future__ import annotations

import pytest

from gongkai.agencies.roles import Role
from tests.factories import PASSWORD, make_agency, make_user

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


def _watch(page):
    problems = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"JS error: {e}"))
    return problems


def _violations(page, problems):
    return problems + page.evaluate("window.__csp || []")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_and_apply_form_work_under_the_csp(live_server, page, settings, tmp_path):
    from django.db import transaction

    from gongkai.portal.models.pages import ColumnPage, PolicyDocumentPage
    from gongkai.portal.setup import ensure_agency_portal

    settings.PUBLISH_ROOT = tmp_path / "publish"
    with transaction.atomic():
        agency = make_agency("浏览器安全测试局", supervisor=make_agency("浏览器测试政府办"))
        home = ensure_agency_portal(agency, hostname="testserver", default=True)
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
        policy = PolicyDocumentPage(live=False, title="关于优待工作的通知", slug="yd", issuer="浏览器安全测试局",
                                    body="<p>正文</p>", statutory_category="01")
        column.add_child(instance=policy)
        policy.save_revision()
        make_user("csp_editor", agency=agency, role=Role.EDITOR)
    problems = _watch(page)

    # The public form: CAPTCHA picture (data: URI), styles, no inline script.
    response = page.goto(f"{live_server.url}/apply/")
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or \
        "content-security-policy" in response.headers
    assert page.locator("img[alt^='验证题图片']").evaluate("img => img.complete && img.naturalWidth > 0")
    assert _violations(page, problems) == []

    # The editor: Draftail, date pickers, the attachments inline panel and its document chooser.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "csp_editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/pages/{policy.pk}/edit/")
    page.wait_for_selector("[data-draftail-editor], .Draftail-Editor")
    assert page.locator("script[data-gk-init]").count() > 0
    assert page.evaluate("[...document.querySelectorAll('script[data-gk-init]')].every(s => s.dataset.gkDone)")
    # Draftail came up with the stored body (it is built by script from the hidden input).
    page.wait_for_function("[...document.querySelectorAll('.public-DraftEditor-content')]"
                           ".some(e => e.innerText.includes('正文'))")
    # Change the title and save a draft: the editor works end to end.
    page.fill("#id_title", "关于优待工作的通知（修订）")
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    page.wait_for_selector(".public-DraftEditor-content")
    policy.refresh_from_db()
    assert policy.get_latest_revision().content["title"] == "关于优待工作的通知（修订）"
    # Adding an attachment inserts a new form from a template: its initialisers run too.
    before = page.locator("[id^='inline_child_attachments-']").count()
    page.locator("#id_attachments-ADD").click()
    page.wait_for_function(f"document.querySelectorAll(\"[id^='inline_child_attachments-']\").length > {before}")
    page.wait_for_function("[...document.querySelectorAll('script[data-gk-init]')].every(s => s.dataset.gkDone)")
    assert _violations(page, problems) == []
