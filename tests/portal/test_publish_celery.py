"""The Celery engine on real brokers: RabbitMQ and Redis, real `gongkai_worker` processes, no eager mode.

The `celery_engine` fixture (tests/conftest.py) runs each test once per broker with a queue
of its own; the tests commit for real (transactional), so the worker process sees what they wrote.
"""

from __future__ import annotations

import pytest

from gongkai.core.models import ScheduledRun, WorkerBeat
from gongkai.portal.models.publishjobs import PublishJob
from tests.helpers.workers import stop_worker, wait_for
from .conftest import make_policy

@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_publishes_and_healthz_sees_it(client, column, publish_root, celery_engine):
    page = make_policy(column, title="经消息队列写出的通知")
    page.get_latest_revision().publish()
    job = PublishJob.objects.get(page_id=page.pk)
    assert job.status == PublishJob.Status.QUEUED
    target = publish_root / "testserver" / "zcwj" / page.slug / "index.html"
    assert not target.exists()
    health = client.get("/healthz").json()
    assert health["tasks"]["engine"] == "celery" and health["tasks"]["backlog"] >= 1, health
    assert health["status"] == "degraded" and health["tasks"]["workers_alive"] == 0

    worker = celery_engine()
    try:
        assert wait_for(lambda: PublishJob.objects.get(pk=job.pk).status == PublishJob.Status.DONE, 90), \
            "the Celery worker did not run the publish job"
        assert "经消息队列写出的通知" in target.read_text()
        assert wait_for(lambda: WorkerBeat.objects.exists(), 30)
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["tasks"]["workers_alive"] == 1, health
        # The worker's schedule enqueues its own jobs as it starts: the backlog drains rather than being 0 at once.
        assert wait_for(lambda: client.get("/healthz").json()["tasks"]["backlog"] == 0, 60), client.get("/healthz").json()
        # The schedule runs through Celery too: the daily annual-report reminder, without cron.
        assert wait_for(lambda: ScheduledRun.objects.filter(command="annual_report_remind",
                                                            finished_at__isnull=False).exists(), 60)
    finally:
        output = stop_worker(worker)
    assert worker.returncode == 0, output[-3000:]
    assert not WorkerBeat.objects.exists(), "a stopped worker removes its heartbeat"


@pytest.mark.django_db(transaction=True)
def test_a_celery_job_survives_its_worker_being_killed(tmp_path, celery_engine):
    from tests.helpers.slow_tasks import write_after

    marker = tmp_path / "done.txt"
    write_after.enqueue(str(marker), 2)
    first = celery_engine()
    try:
        assert wait_for(lambda: (tmp_path / "done.txt.started").exists(), 90), "the first worker never took the job"
        first.kill()  # SIGKILL in the middle of the job: no acknowledgement is sent
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert not marker.exists()
    second = celery_engine()
    try:
        assert wait_for(lambda: marker.exists(), 90), "the killed worker's job was not given to another worker"
    finally:
        stop_worker(second)
    assert marker.read_text().startswith("done\n")


@pytest.mark.django_db(transaction=True)
def test_a_page_published_during_a_rebuild_does_not_wait_for_the_rebuild(column, publish_root, celery_engine):
    """Rebuild chunks go to the bulk queue: the publication queued after 20 of them is taken within a chunk or two."""
    from tests.portal.test_rebuild_jobs import published_during_rebuild

    published_during_rebuild(column, publish_root, celery_engine)
