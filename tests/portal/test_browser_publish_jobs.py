"""In a real browser, with real workers: a signed page shows 发布中 then 已发布; a failed publication shows 发布失败 and its retry works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction

from gongkai.agencies.roles import Role
from tests.helpers.workers import start_worker, stop_worker

from .test_browser import _login, _new_context, _step, _workflow_action

SHOTS = Path("/tmp/shots/portal")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signing_shows_publishing_then_published_and_a_failure_is_retried(browser, live_server, agency, staff_factory,
                                                                          publish_root, tmp_path, settings):
    from gongkai.portal.demo import _drop_wagtail_welcome
    from gongkai.portal.models.pages import ColumnPage, PolicyDocumentPage
    from gongkai.portal.models.publishjobs import PublishJob
    from gongkai.portal.setup import ensure_agency_portal

    SHOTS.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        _drop_wagtail_welcome()
        home = ensure_agency_portal(agency, hostname="localhost", port=80, default=True)
        column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
        home.add_child(instance=column)
        column.save_revision().publish()
    users = {role: staff_factory(agency, role=role, username=f"pj_{role}") for role in
             (Role.EDITOR, Role.REVIEWER, Role.CONFIDENTIALITY_REVIEWER, Role.SIGNER)}
    page_obj = PolicyDocumentPage(live=False, title="关于后台发布的通知", slug="houtai-fabu", issuer="测试市退役军人事务局",
                                  body="<p>本通知由后台工作进程写成静态页面。</p>", statutory_category="01")
    column.add_child(instance=page_obj)
    page_obj.save_revision(user=users[Role.EDITOR])
    page_obj.get_workflow().start(page_obj, users[Role.EDITOR])

    reviewer = _new_context(browser)
    _login(reviewer, live_server, users[Role.REVIEWER])
    _workflow_action(reviewer.new_page(), live_server, page_obj.pk, "approve")
    secrecy = _new_context(browser)
    _login(secrecy, live_server, users[Role.CONFIDENTIALITY_REVIEWER])
    sec = secrecy.new_page()
    sec.goto(f"{live_server.url}/admin/portal/review/{page_obj.pk}/")
    sec.get_by_role("button", name="通过保密审查").click()
    sec.wait_for_url(re.compile(r"/admin/$"))
    assert _step(page_obj) == "签发"

    # From here publications wait in the database for a worker; the first worker cannot write
    # (its publish folder is a file), so the job fails three times, quickly.
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    broken = start_worker(PUBLISH_ROOT=str(blocked), GONGKAI_PUBLISH_RETRY_SECONDS="0.5")
    try:
        signer = _new_context(browser)
        _login(signer, live_server, users[Role.SIGNER])
        _workflow_action(signer.new_page(), live_server, page_obj.pk, "approve")
        page_obj.refresh_from_db()
        assert page_obj.live
        jobs = signer.new_page()
        jobs.goto(f"{live_server.url}/admin/portal/publish-jobs/")
        row = jobs.locator("tr.publish-job", has_text="关于后台发布的通知")
        row.and_(jobs.locator("[data-status=failed]")).wait_for(timeout=90000)  # the page refreshes itself
        assert "发布失败" in row.inner_text() and "Error" in row.locator(".publish-job-error").inner_text()
        jobs.screenshot(path=str(SHOTS / "publish-job-failed.png"), full_page=True)
    finally:
        stop_worker(broken)

    target = publish_root / "localhost" / "zcwj" / "houtai-fabu" / "index.html"
    assert not target.exists()
    row.get_by_role("button", name="重试").click()
    jobs.wait_for_url(re.compile(r"/admin/portal/publish-jobs/$"))
    assert "已重新提交" in jobs.content()
    row.and_(jobs.locator("[data-status=queued]")).wait_for()
    assert "发布中" in row.inner_text()
    jobs.screenshot(path=str(SHOTS / "publish-job-queued.png"), full_page=True)

    worker = start_worker()
    try:
        row.and_(jobs.locator("[data-status=done]")).wait_for(timeout=90000)
    finally:
        stop_worker(worker)
    assert "已发布" in row.inner_text()
    jobs.screenshot(path=str(SHOTS / "publish-job-done.png"), full_page=True)
    assert "关于后台发布的通知" in target.read_text()
    job = PublishJob.objects.get(page_id=page_obj.pk, kind=PublishJob.Kind.PUBLISH)
    assert job.status == PublishJob.Status.DONE and job.error == ""
