"""Static publishing runs as a background job: 发布中 → 已发布 / 发布失败, retried by staff, done by a real worker.

In-process tests use the immediate engine (the suite's default). The worker tests switch
to the database engine, commit for real (transactional tests) and run `manage.py
gongkai_worker` as a separate process against the test database — no eager mode.
"""

from __future__ import annotations

import signal

import pytest
from django.conf import settings as django_settings
from django_tasks_db.models import DBTaskResult

from gongkai.audit.models import AuditEvent
from gongkai.core.models import WorkerBeat
from gongkai.portal import tasks
from gongkai.portal.models.publishjobs import PublishJob
from tests.factories import make_agency, make_user
from tests.helpers.foreign import login
from tests.helpers.workers import start_worker, wait_for

from .conftest import make_policy

def page_file(publish_root, page) -> Path:
    return publish_root / "testserver" / "zcwj" / page.slug / "index.html"


@pytest.mark.django_db
def test_publishing_records_a_job_that_a_worker_completes(column, publish_root, django_capture_on_commit_callbacks):
    page = make_policy(column, title="后台写出的通知")
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    job = PublishJob.objects.get(page_id=page.pk, kind=PublishJob.Kind.PUBLISH)
    assert (job.status, job.attempts, job.agency_id, job.title) == (PublishJob.Status.DONE, 1, page.agency_id,
                                                                    "后台写出的通知")
    assert job.finished_at is not None and "后台写出的通知" in page_file(publish_root, page).read_text()


@pytest.mark.django_db
def test_a_failed_job_shows_its_reason_and_staff_retry_it(client, column, publish_root, monkeypatch,
                                                          django_capture_on_commit_callbacks, staff):
    page = make_policy(column, title="写出失败的通知")

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(tasks, "publish_page", broken)
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    job = PublishJob.objects.get(page_id=page.pk)
    assert job.status == PublishJob.Status.FAILED and "磁盘已满" in job.error and not page_file(publish_root, page).exists()

    editor = staff["editor"]
    login(client, editor)
    listing = client.get("/admin/portal/publish-jobs/", {"status": "failed"}).content.decode()
    assert "写出失败的通知" in listing and "磁盘已满" in listing and "重试" in listing

    # Staff of another agency may neither see nor retry it.
    stranger = make_user("publish_stranger", agency=make_agency("另一个局"), role="editor")
    login(client, stranger)
    assert "写出失败的通知" not in client.get("/admin/portal/publish-jobs/").content.decode()
    assert client.post(f"/admin/portal/publish-jobs/{job.pk}/retry/").status_code == 404
    job.refresh_from_db()
    assert job.status == PublishJob.Status.FAILED

    monkeypatch.undo()
    login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/portal/publish-jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == PublishJob.Status.DONE and job.error == ""
    assert "写出失败的通知" in page_file(publish_root, page).read_text()
    event = AuditEvent.objects.get(action="portal.publish_retry")
    assert event.actor_id == editor.pk and event.agency_id == page.agency_id
    # A job that is not failed cannot be retried (the message says why).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/portal/publish-jobs/{job.pk}/retry/")
    assert "不能重试" in client.get("/admin/portal/publish-jobs/").content.decode()
    assert AuditEvent.objects.filter(action="portal.publish_retry").count() == 1


# -- a real worker on the database engine ---------------------------------------------------

@pytest.fixture
def database_engine(settings):
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": django_settings.TASK_ENGINES["database"]}}
    settings.WORKER_BEAT_SECONDS = 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_publishes_what_the_request_only_recorded(client, column, publish_root, database_engine):
    page = make_policy(column, title="由工作进程写出的通知")
    page.get_latest_revision().publish()
    job = PublishJob.objects.get(page_id=page.pk)
    assert job.status == PublishJob.Status.QUEUED and not page_file(publish_root, page).exists()
    assert DBTaskResult.objects.ready().count() >= 1
    health = client.get("/healthz").json()
    assert health["status"] == "degraded" and health["tasks"]["backlog"] >= 1
    assert health["tasks"]["workers_alive"] == 0 and "gongkai_worker" in health["problems"][0]

    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, output[-3000:]
    job.refresh_from_db()
    assert job.status == PublishJob.Status.DONE, (job.status, job.error, output[-2000:])
    assert "由工作进程写出的通知" in page_file(publish_root, page).read_text()
    assert DBTaskResult.objects.ready().count() == 0


@pytest.mark.django_db(transaction=True)
def test_healthz_sees_a_live_worker_and_a_dead_worker_s_job_is_run_again(client, column, database_engine):
    from django_tasks import TaskResultStatus

    # A job claimed by a worker that died (it never beats again) goes back to the queue.
    page = make_policy(column, title="工作进程中途退出")
    page.get_latest_revision().publish()
    result = DBTaskResult.objects.get(task_path__endswith="run_publish_job")
    DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["killed-worker"])

    worker = start_worker()
    try:
        assert wait_for(lambda: WorkerBeat.objects.exists()), "the worker never wrote its heartbeat"
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["tasks"]["workers_alive"] == 1, health
        assert wait_for(lambda: PublishJob.objects.get(page_id=page.pk).status == PublishJob.Status.DONE), \
            "the orphaned job was not run again"
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output[-2000:]
    assert not WorkerBeat.objects.exists(), ("a stopped worker removes its heartbeat", output[-3000:])


def test_worker_refuses_another_engine(tmp_path):
    worker = start_worker("--batch", engine="immediate", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 2 and "不需要工作进程" in output


@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_worker_being_killed(tmp_path, database_engine):
    from django_tasks import TaskResultStatus

    from tests.helpers.slow_tasks import write_after

    marker = tmp_path / "done.txt"
    result = write_after.enqueue(str(marker), 4)
    first = start_worker(GONGKAI_WORKER_BEAT_SECONDS="1")
    try:
        assert wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING)
        first.kill()  # SIGKILL in the middle of the job: no clean-up runs
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert not marker.exists() and DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    second = start_worker(GONGKAI_WORKER_BEAT_SECONDS="1")
    try:
        assert wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL, 90), \
            "the killed worker's job was not run again"
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=60)
    assert marker.read_text() == "done\n"
