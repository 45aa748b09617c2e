"""A ticket file uploaded in the admin is imported by a real background worker — database engine and Celery."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from gongkai.interaction import tasks
from gongkai.interaction.models import Message, TicketImportJob
from tests.factories import make_agency, make_user
from tests.helpers.workers import start_worker, stop_worker, wait_for

from . import ticketgen


@pytest.fixture
def database_engine(settings):
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}


@pytest.mark.django_db(transaction=True)
def test_the_upload_waits_for_a_worker_then_shows_the_report(client, agency, handler, database_engine):
    rows = ticketgen.make_rows(40)
    client.force_login(handler)
    response = client.post("/admin/interaction/import/", {
        "agency": agency.pk, "file": SimpleUploadedFile("工单.csv", ticketgen.to_csv(rows))})
    job = TicketImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/interaction/import/?job={job.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "正在处理《工单.csv》" in page and 'http-equiv="refresh"' in page and "排队中" in page
    # The file waits encrypted: the names and phone numbers are not in the database in clear.
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM interaction_ticketimportjob WHERE id = %s", [job.pk])
        raw = cursor.fetchone()[0]
    assert raw and rows[0][4] not in raw and rows[0][3] not in raw and "LY110" not in raw

    stranger = make_user("import_stranger", agency=make_agency("另一个局"), role="message_handler")
    client.force_login(stranger)
    assert "工单.csv" not in client.get(response["Location"]).content.decode()  # another agency's job is not shown

    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, output[-3000:]
    job.refresh_from_db()
    assert job.status == TicketImportJob.Status.DONE and job.ok and job.imported == 40 and job.data == ""
    assert Message.objects.filter(agency=agency).count() == 40
    client.force_login(handler)
    page = client.get(response["Location"]).content.decode()
    assert "导入完成" in page and "已导入 40 条工单" in page and 'http-equiv="refresh"' not in page


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_imports_and_a_second_run_imports_nothing_twice(agency, handler, celery_engine):
    rows = ticketgen.make_rows(25)
    job = tasks.submit_ticket_import(agency, actor=handler, data=ticketgen.to_xlsx(rows), filename="工单.xlsx",
                                     dry_run=False)
    worker = celery_engine()
    try:
        assert wait_for(lambda: not TicketImportJob.objects.get(pk=job.pk).pending, 90), "the worker did not import"
        job.refresh_from_db()
        assert job.status == TicketImportJob.Status.DONE and job.imported == 25
        # The same file again (as after a worker died mid-import): known tickets are skipped.
        again = tasks.submit_ticket_import(agency, actor=handler, data=ticketgen.to_xlsx(rows), filename="工单.xlsx",
                                           dry_run=False)
        assert wait_for(lambda: not TicketImportJob.objects.get(pk=again.pk).pending, 90)
    finally:
        output = stop_worker(worker)
    again.refresh_from_db()
    assert again.status == TicketImportJob.Status.DONE and again.imported == 0, output[-2000:]
    assert any("均已导入过" in line for line in again.lines)
    assert Message.objects.filter(agency=agency).count() == 25


@pytest.mark.django_db
def test_a_job_that_breaks_says_so_in_chinese_and_imports_nothing(client, agency, handler, monkeypatch):
    from gongkai.interaction import actions

    def broken(*args, **kwargs):
        raise RuntimeError("connection reset by peer")

    monkeypatch.setattr(actions, "tickets_import", broken)
    client.force_login(handler)
    response = client.post("/admin/interaction/import/", {
        "agency": agency.pk, "file": SimpleUploadedFile("工单.csv", ticketgen.to_csv(ticketgen.make_rows(3)))})
    job = TicketImportJob.objects.get()
    assert job.status == TicketImportJob.Status.FAILED and job.data == ""
    body = response.content.decode()
    assert response.status_code == 400 and "内部错误（RuntimeError），请联系系统管理员" in body
    assert "未导入任何工单" in body and "connection reset" not in body
    assert not Message.objects.exists()
