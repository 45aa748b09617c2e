"""Benchmark: a full rebuild split into chunks shared by 1, 2, … real workers (not a test; prints figures).

Builds the scratch site of bench_portal_publish.py (BENCH_PAGES pages, default 10,000) once,
then times the rebuild in one process (`portal_rebuild --here`) and as background chunks
(`tasks.start_rebuild`) with W `manage.py gongkai_worker` processes (database engine), and
prints pages per second in all and per worker. Workers beyond the machine's cores only
share the same cores: the figure per worker shows how far the work spreads.

During each background rebuild an editor publishes one page (what the admin's 发布 does:
the publication and its PublishJob, committed): the bench prints how long that took and
how long until the page's static file was there, written by a worker between chunks.

Run: GONGKAI_VAR_DIR=/tmp/gongkai-bench-publish .venv/bin/python bench/bench_rebuild_workers.py [W ...]
     (default: 1 2; on PostgreSQL set DATABASE_URL)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("GONGKAI_VAR_DIR", "/tmp/gongkai-bench-publish")
os.environ.setdefault("GONGKAI_FIELD_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")
os.environ.setdefault("GONGKAI_TASKS", "database")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench_portal_publish import build  # noqa: E402


def publish_one(home, slug: str) -> tuple[float, float]:
    """Publish one article as the admin's publish does; (seconds for the request's work, seconds until live)."""
    from django.db import transaction

    from gongkai.portal import publish
    from gongkai.portal.models.pages import ArticlePage, ColumnPage

    column = ColumnPage.objects.child_of(home).order_by("path").first()
    page = ArticlePage(title=f"重建期间发布{slug}", slug=f"during-{slug}", live=False, body="<p>重建期间发布的通知。</p>")
    column.add_child(instance=page)
    revision = page.save_revision()
    t0 = time.perf_counter()
    with transaction.atomic():
        revision.publish()
    request_s = time.perf_counter() - t0
    page.refresh_from_db()
    target = publish.site_dir(home.get_site()) / page.url_path[len(home.url_path):] / "index.html"
    while not target.exists() and time.perf_counter() - t0 < 600:
        time.sleep(0.05)
    return request_s, time.perf_counter() - t0


def main() -> None:
    from wagtail.models import Site

    from gongkai.portal import publish, tasks
    from gongkai.portal.models.publishjobs import RebuildJob

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    _agency, home = build()
    site = Site.objects.get(root_page=home)
    # Building the site queued Wagtail's own per-page jobs (reference index, admin search) and
    # static publications; they are not what is measured, and a queue of 20,000 of them ahead
    # of the rebuild would measure only them.
    from django_tasks_db.models import DBTaskResult

    dropped, _ = DBTaskResult.objects.ready().delete()
    if dropped:
        print(f"dropped {dropped:,} jobs the build queued (Wagtail's index updates, publications)")
    pages = publish.live_pages(site).count()
    print(f"site: {pages:,} live pages; {os.cpu_count()} cores")
    t0 = time.perf_counter()
    publish.rebuild_site(site)
    single = time.perf_counter() - t0
    print(f"in one process (--here): {single:.1f} s, {pages / single:.0f} pages/s")
    for workers in [int(w) for w in sys.argv[1:]] or [1, 2]:
        procs = [subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "gongkai_worker", "-v0", "--no-startup-delay",
                                   "--interval", "0.1"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
        try:
            time.sleep(3)
            t0 = time.perf_counter()
            job = tasks.start_rebuild(site)
            time.sleep(2)
            request_s, live_s = publish_one(home, f"{workers}w-{time.time_ns()}")
            while RebuildJob.objects.get(pk=job.pk).status == RebuildJob.Status.RUNNING:
                time.sleep(0.2)
            took = time.perf_counter() - t0
            job.refresh_from_db()
            print(f"{workers} worker(s), {job.chunks_total} chunks of {tasks.CHUNK_PAGES}: {job.get_status_display()} "
                  f"in {took:.1f} s, {pages / took:.0f} pages/s, {pages / took / workers:.0f} pages/s per worker; "
                  f"a page published 2 s into it: request {request_s * 1000:.0f} ms, live after {live_s:.1f} s "
                  f"(before the rebuild ended: {'yes' if 2 + live_s < took else 'no'})", flush=True)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)


if __name__ == "__main__":
    main()
