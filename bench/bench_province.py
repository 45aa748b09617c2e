"""Benchmark: a province — 1,000 agencies × 1,000 pages — rebuilt by 1, 2, 4 workers (not a test; prints figures).

Issue 12's target: 1,000,000 pages in the database; a full rebuild with 1, 2 and 4 workers
(time, pages per second in all and per worker, and the projection for 16 workers); and
publishing one page while a rebuild runs: the editor's request returns in < 300 ms, the
page is live in < 5 s.

1. Generation (once; idempotent and resumable — run again and it fills in what is missing).
   BENCH_AGENCIES agencies (default 1,000), each with its site (`ensure_agency_portal`, own
   host a<k>.bench.test, port 80) and one ColumnPage (通知公告), created and published through
   the normal API. Then BENCH_PAGES_PER_SITE ArticlePages (default 1,000) per column inserted
   in bulk, one transaction per agency: the `wagtailcore_page` rows by `Page.objects.bulk_create`
   (treebeard path = column path + a 4-character base-36 step, live, published), then the rows
   of every concrete model between Page and ArticlePage (DisclosablePage, ArticlePage) by
   `executemany`, with columns and values taken from Django's fields (`local_concrete_fields`,
   `get_db_prep_save(pre_save(...))` of an unsaved ArticlePage) so a field added later is
   covered. Each page has its agency and a 索引号 (the agency's 索引号 sequence and the register
   of issued numbers are brought up to date, as if the pages had been published one by one).
   Not done for the bulk pages: search indexing, revisions, audit records (a rebuild reads none
   of them). Progress is printed every 50,000 pages. Then it checks, failing loudly, that a
   generated page renders with its title and that a site has 1,000 + 2 live pages.

2. Measurements, database task engine, real `manage.py gongkai_worker` processes (as in
   bench_rebuild_workers.py). For reference, `publish.rebuild_site` of one site in this process;
   then for each W in argv (default 1 2 4): `tasks.start_rebuild` for BENCH_REBUILD_SITES sites
   (default 20, so ~20,000 pages) at once, W workers sharing the chunks; wall time until every
   RebuildJob is done, pages/s in all and per worker. Two seconds into each run an editor
   publishes one new ArticlePage in the first of those sites the way the admin does
   (`bench_rebuild_workers.publish_one`): the time of the request's work and the seconds until
   its static file exists. Then the projection for 1,000,000 pages and for 16 workers from the
   measured per-worker rates — a projection, not a measurement. BENCH_FULL=1 also rebuilds every
   site with the largest W (1,000,000 pages: hours on a small machine).

Run (PostgreSQL; the generation needs ~2 GB of database):
    dropdb -h 127.0.0.1 -U postgres --if-exists gongkai_bench_province
    createdb -h 127.0.0.1 -U postgres gongkai_bench_province
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_province \\
    GONGKAI_VAR_DIR=/tmp/gongkai-bench-province \\
    [BENCH_AGENCIES=1000] [BENCH_PAGES_PER_SITE=1000] [BENCH_REBUILD_SITES=20] [BENCH_FULL=1] \\
    .venv/bin/python bench/bench_province.py [W ...]
    rm -rf /tmp/gongkai-bench-province/publish     # the static copies, when done
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("GONGKAI_VAR_DIR", "/tmp/gongkai-bench-province")
os.environ.setdefault("GONGKAI_FIELD_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")
os.environ.setdefault("GONGKAI_TASKS", "database")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench_rebuild_workers import publish_one  # noqa: E402  (the admin's publication, timed)

AGENCIES = int(os.environ.get("BENCH_AGENCIES", "1000"))
PAGES_PER_SITE = int(os.environ.get("BENCH_PAGES_PER_SITE", "1000"))
REBUILD_SITES = int(os.environ.get("BENCH_REBUILD_SITES", "20"))
FULL = os.environ.get("BENCH_FULL") == "1"
PROGRESS_EVERY = 50_000
NAME = "省直基准机关{:04d}"
BODY = ("<p>为进一步做好退役军人服务保障工作，现将{title}有关事项通知如下。</p>"
        "<p>各单位要高度重视，认真组织实施，确保各项优待政策落实到位。</p>"
        "<p>请于规定时间内报送工作情况，联系电话：0379-63212345。</p>")


def credit_code(k: int) -> str:
    from gongkai.law.identifiers import credit_code_check_char

    first17 = f"1141039900{k:07d}"
    return first17 + credit_code_check_char(first17)


# --- 1. generation -------------------------------------------------------------------------------

def ensure_sites() -> list[tuple]:
    """(agency, home, column) for every agency, creating what is missing through the normal API."""
    from gongkai.agencies.models import Agency
    from gongkai.portal import publish
    from gongkai.portal.models.pages import ColumnPage, HomePage
    from gongkai.portal.models.sites import PortalSite
    from gongkai.portal.setup import ensure_agency_portal
    from tests.factories import make_agency

    agencies = {a.name: a for a in Agency.objects.filter(name__startswith=NAME[:6])}
    homes = {h.agency_id: h for h in HomePage.objects.filter(agency__in=agencies.values())}
    with_site = set(PortalSite.objects.filter(agency__in=agencies.values()).values_list("agency_id", flat=True))
    columns = {c.agency_id: c for c in ColumnPage.objects.filter(agency__in=agencies.values(), slug="tzgg")}
    result, created, started = [], 0, time.perf_counter()
    for k in range(1, AGENCIES + 1):
        agency = agencies.get(NAME.format(k))
        home, column = (homes.get(agency.pk), columns.get(agency.pk)) if agency else (None, None)
        if agency is None or home is None or agency.pk not in with_site or column is None:
            with publish.suspended():  # no static publishing jobs for the setup: the rebuilds write everything
                agency = agency or make_agency(NAME.format(k), credit_code=credit_code(k))
                home = ensure_agency_portal(agency, hostname=f"a{k}.bench.test", port=80)
                column = ColumnPage.objects.child_of(home).filter(slug="tzgg").first()
                if column is None:
                    column = ColumnPage(title="通知公告", slug="tzgg", kind="notice", show_in_menus=True)
                    home.add_child(instance=column)
                    column.save_revision().publish()
            created += 1
            if created % 100 == 0:
                print(f"  sites created: {created:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        result.append((agency, home, column))
    if created:
        print(f"sites: {created:,} created in {time.perf_counter() - started:.0f} s "
              f"({(time.perf_counter() - started) / created:.2f} s a site)", flush=True)
    return result


def child_models(leaf) -> list:
    """The concrete models from just below Page down to `leaf`, base first (their tables, in insert order)."""
    from wagtail.models import Page

    chain = [m for m in leaf._meta.get_parent_list() if issubclass(m, Page) and m is not Page
             and not m._meta.abstract and not m._meta.proxy] + [leaf]
    return sorted(chain, key=lambda m: len(m._meta.get_parent_list()))


def insert_sql(model) -> tuple[str, list]:
    fields = list(model._meta.local_concrete_fields)
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return sql, fields


def fill_column(agency, column, ctype_id: int, tables: list) -> int:
    """Insert the column's missing ArticlePages in one transaction; returns how many."""
    from wagtail.models import Page

    from gongkai.portal.models.indexnumbers import IndexNumberSequence, IssuedIndexNumber, format_index_number
    from gongkai.portal.models.pages import ArticlePage

    with transaction.atomic():
        column = Page.objects.select_for_update().get(pk=column.pk)
        children = Page.objects.filter(path__startswith=column.path, depth=column.depth + 1)
        have = set(children.filter(slug__startswith="n").values_list("slug", flat=True))
        missing = [i for i in range(1, PAGES_PER_SITE + 1) if f"n{i}" not in have]
        if not missing:
            return 0
        last = children.order_by("-path").values_list("path", flat=True).first()
        step = Page._str2int(last[-Page.steplen:]) if last else 0
        now = timezone.now().replace(microsecond=0)
        sequences: dict[int, IndexNumberSequence] = {}
        taken = set(IssuedIndexNumber.objects.filter(agency_id=agency.pk).values_list("number", flat=True))
        articles = []
        for i in missing:
            step += 1
            when = now - timedelta(minutes=i)
            title = f"关于做好第{i}批退役军人优待工作的通知（{agency.short_name or agency.name}）"
            year = timezone.localdate(when).year
            if year not in sequences:
                sequences[year] = IndexNumberSequence.objects.select_for_update().get_or_create(
                    agency_id=agency.pk, year=year)[0]
            seq = sequences[year]
            while True:  # the next serial of the agency's sequence, as index_number_issue gives it
                seq.last_serial += 1
                number = format_index_number(agency, year, seq.last_serial)
                if number not in taken:
                    break
            articles.append(ArticlePage(
                title=title, draft_title=title, slug=f"n{i}", path=Page._get_path(column.path, column.depth + 1, step),
                depth=column.depth + 1, numchild=0, url_path=f"{column.url_path}n{i}/", live=True,
                has_unpublished_changes=False, first_published_at=when, last_published_at=when,
                latest_revision_created_at=when, content_type_id=ctype_id, locale_id=column.locale_id,
                agency_id=agency.pk, kind="notice", statutory_category="15", summary="退役军人优待工作通知",
                index_number=number, body=BODY.format(title=title)))
        page_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
        bases = Page.objects.bulk_create([Page(**{a: getattr(o, a) for a in page_fields}) for o in articles],
                                         batch_size=1000)
        for obj, base in zip(articles, bases):
            obj.id = base.pk
            for model in tables:  # the parent links (page_ptr_id, disclosablepage_ptr_id) are the page id
                for field in model._meta.local_concrete_fields:
                    if field.remote_field and field.remote_field.parent_link:
                        setattr(obj, field.attname, base.pk)
        with connection.cursor() as cursor:
            for model in tables:
                sql, fields = insert_sql(model)
                cursor.executemany(sql, [[f.get_db_prep_save(f.pre_save(o, True), connection) for f in fields]
                                         for o in articles])
        Page.objects.filter(pk=column.pk).update(numchild=children.count())
        # The 索引号 register and sequence, as if each page had been published by the admin.
        IssuedIndexNumber.objects.bulk_create(
            [IssuedIndexNumber(agency_id=agency.pk, number=o.index_number, page_id_at_issue=o.pk,
                               title_at_issue=o.title[:255]) for o in articles], batch_size=1000)
        for seq in sequences.values():
            seq.save(update_fields=["last_serial"])
    assert isinstance(articles[0], ArticlePage)
    return len(articles)


def generate() -> list[tuple]:
    from django.contrib.contenttypes.models import ContentType

    from gongkai.portal.models.pages import ArticlePage

    started = time.perf_counter()
    sites = ensure_sites()
    ctype_id = ContentType.objects.get_for_model(ArticlePage).pk
    tables = child_models(ArticlePage)
    print(f"bulk tables: wagtailcore_page + {', '.join(m._meta.db_table for m in tables)}", flush=True)
    inserted, mark, mark_t = 0, 0, time.perf_counter()
    bulk_started = time.perf_counter()
    for agency, _home, column in sites:
        if column.numchild >= PAGES_PER_SITE:
            continue
        inserted += fill_column(agency, column, ctype_id, tables)
        if inserted - mark >= PROGRESS_EVERY:
            now = time.perf_counter()
            print(f"  pages inserted: {inserted:,} ({now - bulk_started:.0f} s; the last {inserted - mark:,} at "
                  f"{(inserted - mark) / (now - mark_t):,.0f} pages/s)", flush=True)
            mark, mark_t = inserted, now
    if inserted:
        print(f"pages: {inserted:,} inserted in {time.perf_counter() - bulk_started:.0f} s", flush=True)
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give after such a load
            for table in ["wagtailcore_page"] + [m._meta.db_table for m in tables]:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    print(f"generation: {time.perf_counter() - started:.0f} s in all", flush=True)
    return sites


def verify(sites) -> None:
    """A generated page renders with its title; a site has exactly its pages live. Fails loudly."""
    from wagtail.models import Site

    from gongkai.portal import publish
    from gongkai.portal.models.pages import ArticlePage

    _agency, home, column = sites[-1]  # the last site: the measurements publish only in the first ones
    site = Site.objects.get(root_page=home)
    page = ArticlePage.objects.child_of(column).get(slug=f"n{PAGES_PER_SITE // 2 or 1}")
    outputs = publish.Renderer(site).render_page(page)
    html = outputs[0].data.decode() if outputs else ""
    if page.title not in html:
        raise SystemExit(f"FAILED: generated page {page.pk} ({page.url_path}) did not render with its title")
    live = publish.live_pages(site).count()
    if live != PAGES_PER_SITE + 2:
        raise SystemExit(f"FAILED: site {site.hostname} has {live:,} live pages, expected {PAGES_PER_SITE + 2:,}")
    total = ArticlePage.objects.filter(agency__name__startswith=NAME[:6]).count()
    print(f"check: page {page.url_path} of {site.hostname} renders ({len(html):,} bytes, title present); "
          f"{live:,} live pages in the site; {total:,} ArticlePages in all", flush=True)


# --- 2. measurements ------------------------------------------------------------------------------

def worker_cmd(*extra):
    return [sys.executable, str(ROOT / "manage.py"), "gongkai_worker", "-v0", *extra]


def drain_queue() -> None:
    """Run what is due or queued now, so the runs start with an empty queue.

    Creating the sites through Wagtail's API queues its reference-index and search-index tasks
    (about 14 a site: some 14,000 for 1,000 sites); the daily reminders may be due as well.
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from gongkai.core import schedule

    schedule.enqueue_due()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    t0 = time.perf_counter()
    subprocess.run(worker_cmd("--batch"), cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"queue drained before the runs: {waiting:,} queued tasks run by one worker in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)


def warm_publish(home) -> float:
    """One publication as the admin's, before the timed ones (a fresh process's first one pays for cold caches).

    Its static job is run by `drain_queue`. Returns the seconds the request's work took.
    """
    from gongkai.portal.models.pages import ArticlePage, ColumnPage

    column = ColumnPage.objects.child_of(home).order_by("path").first()
    page = ArticlePage(title=f"预热发布{time.time_ns()}", slug=f"warm-{time.time_ns()}", live=False,
                       body="<p>预热。</p>")
    column.add_child(instance=page)
    revision = page.save_revision()
    t0 = time.perf_counter()
    with transaction.atomic():
        revision.publish()
    return time.perf_counter() - t0


def timed_rebuild(sites, workers: int, publish_home=None) -> dict:
    from gongkai.portal import tasks
    from gongkai.portal.models.publishjobs import RebuildJob

    procs = [subprocess.Popen(worker_cmd("--no-startup-delay", "--interval", "0.1"), cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    try:
        time.sleep(3)
        t0 = time.perf_counter()
        jobs = [tasks.start_rebuild(site) for site in sites]
        result = {"pages": sum(j.pages_total for j in jobs), "chunks": sum(j.chunks_total for j in jobs)}
        if publish_home is not None:
            time.sleep(max(0.0, 2 - (time.perf_counter() - t0)))
            at = time.perf_counter() - t0
            result["request_s"], result["live_s"] = publish_one(publish_home, f"{workers}w-{time.time_ns()}")
            result["published_at"] = at
        ids = [j.pk for j in jobs]
        while RebuildJob.objects.filter(pk__in=ids, status=RebuildJob.Status.RUNNING).exists():
            time.sleep(0.2)
        result["took"] = time.perf_counter() - t0
        statuses = set(RebuildJob.objects.filter(pk__in=ids).values_list("status", flat=True))
        if statuses != {RebuildJob.Status.DONE}:
            raise SystemExit(f"FAILED: rebuild statuses {statuses}")
        return result
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=120)


def measure(sites, runs: list[int]) -> None:
    from wagtail.models import Page, Site

    from gongkai.portal import publish, tasks

    homes = [home for _a, home, _c in sites]
    chosen = [Site.objects.get(root_page=h) for h in homes[:REBUILD_SITES]]
    cold = warm_publish(homes[0])
    drain_queue()
    print(f"warm-up: the first publication in this process (cold caches; not among the figures) took "
          f"{cold * 1000:.0f} ms", flush=True)
    print(f"machine: {os.cpu_count()} cores; database: {connection.vendor}, "
          f"{Page.objects.count():,} pages in wagtailcore_page", flush=True)

    t0 = time.perf_counter()
    single = publish.rebuild_site(chosen[0])
    took = time.perf_counter() - t0
    print(f"reference, publish.rebuild_site of one site in this process: {single:,} pages in {took:.1f} s, "
          f"{single / took:.0f} pages/s", flush=True)

    per_worker = {}
    for workers in runs:
        r = timed_rebuild(chosen, workers, publish_home=homes[0])
        rate = r["pages"] / r["took"]
        per_worker[workers] = rate / workers
        print(f"{workers} worker(s), {len(chosen)} sites, {r['pages']:,} pages in {r['chunks']} chunks of "
              f"{tasks.CHUNK_PAGES}: {r['took']:.1f} s, {rate:.0f} pages/s, {rate / workers:.0f} pages/s per worker; "
              f"a page published {r['published_at']:.1f} s into it: request {r['request_s'] * 1000:.0f} ms, "
              f"live after {r['live_s']:.1f} s (before the rebuild ended: "
              f"{'yes' if r['published_at'] + r['live_s'] < r['took'] else 'no'})", flush=True)

    total = AGENCIES * (PAGES_PER_SITE + 2)
    print(f"projection (computed from the rates above, not measured; this machine has {os.cpu_count()} cores, "
          f"so runs with more workers than cores share them):")
    for workers, rate in per_worker.items():
        print(f"  {total:,} pages with {workers} worker(s) here, at the measured {rate * workers:.0f} pages/s: "
              f"{total / (rate * workers) / 60:.0f} min")
    for workers, rate in per_worker.items():
        if workers <= (os.cpu_count() or 1):
            print(f"  16 workers at the per-worker rate measured with {workers} ({rate:.0f} pages/s each), "
                  f"if they scaled linearly (16 cores, a database that keeps up): {16 * rate:.0f} pages/s, "
                  f"{total:,} pages in {total / (16 * rate) / 60:.0f} min")

    if FULL:
        everything = [Site.objects.get(root_page=h) for h in homes]
        r = timed_rebuild(everything, max(runs))
        print(f"full rebuild, {len(everything):,} sites, {r['pages']:,} pages, {max(runs)} worker(s): "
              f"{r['took'] / 60:.1f} min, {r['pages'] / r['took']:.0f} pages/s", flush=True)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    runs = [int(w) for w in sys.argv[1:]] or [1, 2, 4]
    print(f"province: {AGENCIES:,} agencies × {PAGES_PER_SITE:,} pages; rebuild {REBUILD_SITES} sites with "
          f"{', '.join(map(str, runs))} worker(s)", flush=True)
    sites = generate()
    verify(sites)
    measure(sites, runs)


if __name__ == "__main__":
    main()
