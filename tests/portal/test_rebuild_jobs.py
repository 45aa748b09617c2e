"""Full rebuilds as background chunks that many workers share, swapped in whole; a killed worker loses nothing."""

from __future__ import annotations

import io
import math

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult
from wagtail.models import Site

from gongkai.portal import publish, tasks
from gongkai.portal.models.publishjobs import RebuildJob
from tests.helpers.workers import start_worker, stop_worker, wait_for

from .conftest import make_policy


def _pages(column, n):
    with publish.suspended():  # no publish jobs: the rebuild writes everything
        return [make_policy(column, title=f"分片重建的第{i}号通知", publish=True) for i in range(n)]


def _site():
    return Site.objects.get(hostname="testserver")


@pytest.mark.django_db
def test_a_rebuild_in_chunks_swaps_in_a_whole_new_copy(column, publish_root, django_capture_on_commit_callbacks):
    pages = _pages(column, 5)
    publish.rebuild_site(_site())
    old_build = publish.site_dir(_site()).resolve()
    live = publish.live_pages(_site()).count()
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_rebuild(_site(), chunk_pages=2)
    job.refresh_from_db()
    assert (job.status, job.chunks_total, job.chunks_done, job.pages_done) == \
        (RebuildJob.Status.DONE, math.ceil(live / 2), math.ceil(live / 2), live)
    assert job.chunks.filter(done=False).count() == 0 and job.percent == 100
    site_dir = publish.site_dir(_site())
    assert str(site_dir.resolve()) == str(job.build_dir) and not old_build.exists()
    for page in pages:
        assert f"分片重建的第" in (site_dir / "zcwj" / page.slug / "index.html").read_text()
    assert (site_dir / "sitemap.xml").exists() and (site_dir / "index.html").exists()


@pytest.mark.django_db
def test_a_failed_chunk_leaves_the_site_as_it_was(column, publish_root, monkeypatch, django_capture_on_commit_callbacks):
    _pages(column, 3)
    publish.rebuild_site(_site())
    before = publish.site_dir(_site()).resolve()
    original = publish.Renderer.render_page

    def broken(self, page):
        if "第1号" in page.title:
            raise OSError("磁盘已满")
        return original(self, page)

    monkeypatch.setattr(publish.Renderer, "render_page", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_rebuild(_site(), chunk_pages=1)
    job.refresh_from_db()
    assert job.status == RebuildJob.Status.FAILED and "磁盘已满" in job.error
    assert publish.site_dir(_site()).resolve() == before and (before / "index.html").exists()
    assert not (publish_root / ".builds" / job.build_dir.rsplit("/", 1)[-1]).exists()


@pytest.mark.django_db
def test_rebuild_command_follows_progress_and_refuses_without_workers(column, publish_root, settings,
                                                                     django_capture_on_commit_callbacks):
    _pages(column, 2)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("portal_rebuild", "--no-wait", "--chunk", "1", stdout=out)
    assert "已提交重建 testserver" in out.getvalue()
    assert RebuildJob.objects.get().status == RebuildJob.Status.DONE
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    with pytest.raises(CommandError, match="没有运行中的后台工作进程"):
        call_command("portal_rebuild", stdout=io.StringIO())
    assert RebuildJob.objects.count() == 1  # nothing was started


@pytest.mark.django_db(transaction=True)
def test_workers_share_a_rebuild_and_one_killed_midway_loses_nothing(column, publish_root, settings):
    pages = _pages(column, 30)
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    job = tasks.start_rebuild(_site(), chunk_pages=1)
    assert DBTaskResult.objects.ready().count() == tasks.queue_window() < job.chunks_total  # a few at a time

    first = start_worker(GONGKAI_WORKER_BEAT_SECONDS="1")
    try:
        assert wait_for(lambda: RebuildJob.objects.get(pk=job.pk).chunks_done >= 2, 120), stop_worker(first)[-3000:]
        first.kill()  # SIGKILL in the middle of the rebuild
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    job.refresh_from_db()
    assert job.status == RebuildJob.Status.RUNNING and job.chunks_done < job.chunks_total
    others = [start_worker(GONGKAI_WORKER_BEAT_SECONDS="1") for _ in range(2)]
    try:
        assert wait_for(lambda: RebuildJob.objects.get(pk=job.pk).status != RebuildJob.Status.RUNNING, 180)
    finally:
        outputs = [stop_worker(w) for w in others]
    job.refresh_from_db()
    assert job.status == RebuildJob.Status.DONE, (job.error, outputs[0][-2000:])
    assert job.chunks_done == job.chunks_total and job.pages_done == job.pages_total
    site_dir = publish.site_dir(_site())
    assert str(site_dir.resolve()) == job.build_dir
    for page in pages:
        assert (site_dir / "zcwj" / page.slug / "index.html").exists(), page.slug
    chunk_runs = DBTaskResult.objects.filter(task_path__endswith="rebuild_chunk")
    workers = {r.worker_ids[-1] for r in chunk_runs if r.worker_ids}
    assert len(workers) >= 2, workers  # the killed worker and at least one other took chunks


@pytest.mark.django_db(transaction=True)
def test_rebuilds_of_many_sites_keep_only_a_few_chunks_in_the_queue(column, publish_root, settings):
    """Rebuilding every site at once queues a window of chunks, not all of them: a publication is not buried."""
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    _pages(column, 9)
    jobs = [tasks.start_rebuild(_site(), chunk_pages=1) for _ in range(3)]
    assert sum(job.chunks_total for job in jobs) == 3 * publish.live_pages(_site()).count() == 33  # 9 + home, column, index
    queued = DBTaskResult.objects.ready().filter(task_path__endswith="rebuild_chunk")
    assert queued.count() == tasks.queue_window() == 2  # no worker alive: one slot and one waiting
    # Running one queued chunk lets the next of the oldest rebuild in, never more than the window.
    first = queued.order_by("enqueued_at").first()
    tasks.rebuild_chunk.call(*first.args_kwargs["args"])
    DBTaskResult.objects.filter(pk=first.pk).delete()
    assert queued.count() == 2
    assert jobs[0].chunks.filter(queued_at__isnull=False).count() == 3
    assert not jobs[1].chunks.filter(queued_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_whose_queued_chunks_were_lost_resumes(column, publish_root, settings):
    """A purged queue (or a broker restarted empty) must not stall every rebuild behind a full window."""
    from datetime import timedelta

    from gongkai.core import clock

    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    _pages(column, 4)
    job = tasks.start_rebuild(_site(), chunk_pages=1)
    queued = DBTaskResult.objects.ready().filter(task_path__endswith="rebuild_chunk")
    assert queued.count() == 2
    queued.delete()  # the jobs are gone; the chunks still hold the window
    assert tasks.resume_rebuilds() == 0  # not yet: they may still be waiting behind other work
    job.chunks.filter(queued_at__isnull=False).update(queued_at=clock.now() - tasks.CHUNK_LOST_AFTER - timedelta(seconds=1))
    assert tasks.resume_rebuilds() == 2 and queued.count() == 2
    worker = start_worker(GONGKAI_WORKER_BEAT_SECONDS="1")
    try:
        assert wait_for(lambda: RebuildJob.objects.get(pk=job.pk).status == RebuildJob.Status.DONE, 120)
    finally:
        output = stop_worker(worker)
    job.refresh_from_db()
    assert job.chunks_done == job.chunks_total, output[-2000:]


def published_during_rebuild(column, publish_root, start):
    """Queue a 20-chunk rebuild, then publish a page; one worker must write the page before the rebuild ends."""
    from gongkai.portal.models.publishjobs import PublishJob

    _pages(column, 19)
    job = tasks.start_rebuild(_site(), chunk_pages=1)
    page = make_policy(column, title="重建期间发布的通知")
    page.get_latest_revision().publish()
    publication = PublishJob.objects.get(page_id=page.pk)
    worker = start()
    try:
        assert wait_for(lambda: RebuildJob.objects.get(pk=job.pk).status == RebuildJob.Status.DONE, 180)
        assert wait_for(lambda: PublishJob.objects.get(pk=publication.pk).status == PublishJob.Status.DONE, 60)
    finally:
        output = stop_worker(worker)
    publication.refresh_from_db()
    before = job.chunks.filter(finished_at__lt=publication.finished_at).count()
    assert job.chunks_total == 21 and before <= tasks.queue_window(), (before, output[-2000:])
    # And the page is in the rebuilt copy too (the finish writes pages published meanwhile again).
    assert "重建期间发布的通知" in (publish.site_dir(_site()) / "zcwj" / page.slug / "index.html").read_text()


@pytest.mark.django_db(transaction=True)
def test_a_page_published_during_a_rebuild_goes_first_on_the_database_engine(column, publish_root, settings):
    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    published_during_rebuild(column, publish_root, lambda: start_worker(GONGKAI_WORKER_BEAT_SECONDS="1"))


@pytest.mark.django_db
def test_administrators_start_a_rebuild_from_the_admin_and_see_its_progress(client, column, publish_root, staff,
                                                                            django_capture_on_commit_callbacks):
    from gongkai.audit.models import AuditEvent
    from tests.factories import make_user
    from tests.helpers.foreign import login

    _pages(column, 2)
    login(client, staff["editor"])  # agency staff: the page has no rebuild section and the action is refused
    assert "网站重建" not in client.get("/admin/portal/publish-jobs/").content.decode()
    assert client.post("/admin/portal/publish-jobs/rebuild/", {"site": "all"}).status_code == 403
    assert not RebuildJob.objects.exists()

    admin = make_user("rebuild_admin", is_superuser=True, is_staff=True)
    login(client, admin)
    body = client.get("/admin/portal/publish-jobs/").content.decode()
    assert "网站重建" in body and "testserver" in body
    client.post("/admin/portal/publish-jobs/rebuild/", {"site": ""})
    assert "请选择要重建的网站" in client.get("/admin/portal/publish-jobs/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/portal/publish-jobs/rebuild/", {"site": str(_site().pk)})
    assert response.status_code == 302
    job = RebuildJob.objects.get()
    assert job.status == RebuildJob.Status.DONE and job.requested_by == admin
    body = client.get("/admin/portal/publish-jobs/").content.decode()
    assert 'value="100"' in body and "已完成" in body and f"{job.pages_total}/{job.pages_total} 页" in body
    event = AuditEvent.objects.get(action="portal.site_rebuild")
    assert event.actor_id == admin.pk


@pytest.mark.django_db
def test_a_running_rebuild_refreshes_the_page(client, column, publish_root):
    from tests.factories import make_user
    from tests.helpers.foreign import login

    RebuildJob.objects.create(site=_site(), hostname="testserver", build_dir=str(publish_root / "x"), pages_total=400,
                              pages_done=100, chunks_total=2, chunks_done=1)
    login(client, make_user("rebuild_admin2", is_superuser=True, is_staff=True))
    body = client.get("/admin/portal/publish-jobs/").content.decode()
    assert 'http-equiv="refresh"' in body and 'value="25"' in body and "重建中" in body
