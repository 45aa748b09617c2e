"""今日待办 on the admin's start page: each role is told what to settle today, with a link to it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

@pytest.fixture
def demo(settings):
    call_command("load_demo", stdout=io.StringIO())


def start_page(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    html = client.get("/admin/").content.decode()
    return html, {name: re.search(rf'<section class="w-panel todo-panel" id="todo-{name}".*?</section>', html, re.S)
                  for name in ("applications", "messages", "annual-reports")}


def test_the_office_head_is_told_what_is_late_and_where_to_settle_it(client, demo):
    from gongkai.applications.models import Application
    from gongkai.applications.selectors import deadlines_board

    html, panels = start_page(client, "demo_head")
    assert all(panels.values()), [k for k, v in panels.items() if not v]
    cases = panels["applications"].group(0)
    board = deadlines_board(agency_ids=set(Application.objects.values_list("agency_id", flat=True)))
    for row in board.overdue:
        assert f"申请 {row.application.number}" in cases and f"/admin/applications/{row.application.pk}/" in cases
    assert board.overdue, "the demo has an overdue case"
    assert "已逾期" in cases and "须今天处理" in cases
    reports = panels["annual-reports"].group(0)
    assert "2025年年度报告" in reports and "已超过公开期限" in reports  # the demo's 2025 report is not public
    assert "2026年年度报告" in reports and "还有" in reports  # due 31 January 2027
    messages = panels["messages"].group(0)
    assert "/admin/interaction/messages/edit/" in messages or "没有超期" in messages


def test_each_panel_shows_only_to_those_who_may_read_it(client, demo):
    _html, panels = start_page(client, "demo_editor")
    assert panels["applications"] is None and panels["messages"] is None
    _html, panels = start_page(client, "demo_officer")
    assert panels["applications"] is not None


def test_failed_imports_and_publications_are_on_the_start_page_until_settled(client, demo):
    """A ticket import that was refused and a page whose publication failed are told, in red, to those who can
    settle them, with the screen to go to; a later success clears each."""
    from django.contrib.auth import get_user_model

    from gongkai.agencies.models import Agency
    from gongkai.interaction.models import TicketImportJob
    from gongkai.portal.models.publishjobs import PublishJob

    agency = Agency.objects.get(name="洛阳市退役军人事务局")
    handler = get_user_model().objects.get(username="demo_messages")
    job = TicketImportJob.objects.create(agency=agency, filename="12345工单-11月.xlsx", requested_by=handler,
                                         status=TicketImportJob.Status.DONE, ok=False)
    failed = PublishJob.objects.create(agency=agency, page_id=987, title="关于春节走访慰问的通知",
                                       status=PublishJob.Status.FAILED, error="磁盘已满")

    def panel(username, name):
        html = start_page(client, username)[0]
        found = re.search(rf'<section class="w-panel todo-panel" id="todo-{name}".*?</section>', html, re.S)
        return found.group(0) if found else None

    messages = panel("demo_messages", "messages")
    assert "工单导入《12345工单-11月.xlsx》文件有误，未导入" in messages
    assert f"/admin/interaction/import/?job={job.pk}" in messages
    publishing = panel("demo_editor", "publishing")
    assert "发布《关于春节走访慰问的通知》失败：磁盘已满" in publishing and "/admin/portal/publish-jobs/?status=failed" in publishing
    assert panel("demo_officer", "publishing") is None  # the clerk of applications publishes nothing

    TicketImportJob.objects.create(agency=agency, filename="12345工单-11月.xlsx", status=TicketImportJob.Status.DONE,
                                   ok=True, imported=12)
    PublishJob.objects.create(agency=agency, page_id=987, title="关于春节走访慰问的通知", status=PublishJob.Status.DONE)
    assert "12345工单-11月.xlsx" not in panel("demo_messages", "messages")
    assert "没有发布失败的页面" in panel("demo_editor", "publishing")
