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
