"""后台任务: administrators see the engine, the workers, the schedule and failures; nobody else sees the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from gongkai.core.models import ScheduledRun, WorkerBeat
from tests.factories import make_user
from tests.helpers.foreign import login


def menu_urls(rf, user) -> list[str]:
    request = rf.get("/admin/")
    request.user = user
    return [item.url for item in admin_menu.menu_items_for_request(request)]


@pytest.fixture(autouse=True)
def database_engine(settings):
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}


@pytest.mark.django_db
def test_administrator_sees_workers_schedule_and_failures(client, rf, agency):
    admin = make_user("queue_admin", is_superuser=True, is_staff=True)
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="web1-1", host="web1", pid=4321, started_at=now, beat_at=now)
    ScheduledRun.objects.create(name="年度报告公开提醒", command="annual_report_remind", slot=now - timedelta(hours=1),
                                finished_at=now, output="2026-12-06：共发送 3 封提醒（2025年度报告）。")
    ScheduledRun.objects.create(name="答复期限提醒", command="send_deadline_reminders", slot=now - timedelta(hours=2),
                                finished_at=now, failed=True, output="失败：SMTPServerDisconnected: 连接被关闭")
    login(client, admin)
    body = client.get("/admin/tasks/").content.decode()
    assert "后台任务" in body and "web1-1" in body and "4321" in body
    assert "共发送 3 封提醒" in body and "SMTPServerDisconnected" in body and "失败" in body
    assert "留言办理提醒" in body and "尚未执行" in body  # an entry that never ran says so
    assert "/admin/tasks/" in menu_urls(rf, admin)
    # /healthz tells monitoring the same: the schedule's last run, and the failed one as a problem.
    health = client.get("/healthz").json()
    last = health["tasks"]["schedule_last_run"]
    assert (last["name"], last["failed"]) == ("答复期限提醒", True)  # the run recorded last
    assert health["status"] == "degraded" and any("答复期限提醒" in p for p in health["problems"])


@pytest.mark.django_db
def test_without_a_worker_the_page_says_what_to_do(client):
    login(client, make_user("queue_admin2", is_superuser=True, is_staff=True))
    body = client.get("/admin/tasks/").content.decode()
    assert "没有正在运行的后台工作进程" in body and "gongkai_worker" in body


@pytest.mark.django_db
def test_agency_staff_are_refused_and_have_no_menu_item(client, rf, agency):
    officer = make_user("queue_officer", agency=agency, role="office_head", is_staff=True)
    login(client, officer)
    assert client.get("/admin/tasks/").status_code == 403
    assert "/admin/tasks/" not in menu_urls(rf, officer)
