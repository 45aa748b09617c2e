"""Benchmark: the daily self-inspection of many sites (not a test; prints figures).

Builds BENCH_SITES sites of BENCH_PAGES published pages each (10 columns, pages created with
`add_child`, live, dated over the last two years) once, then times per site:

1. the facts and the rules (`gongkai.inspection.daily.inspect`: every page, column, message, probe);
2. the link crawl of the site's own pages and attachments (`crawl_site`, in-process requests);

and extrapolates to 1,000 sites × 1,000 pages on the queue's workers (WORKERS, default 2).

Run (PostgreSQL, as the issue asks):
    createdb -h 127.0.0.1 -U postgres gongkai_bench_inspection
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_inspection \
      BENCH_SITES=5 BENCH_PAGES=1000 .venv/bin/python bench/bench_inspection.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_VAR_DIR", "/tmp/gongkai-bench-inspection")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_FIELD_KEY", "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcyEhISE=")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "*")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

SITES = int(os.environ.get("BENCH_SITES", "5"))
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
WORKERS = int(os.environ.get("WORKERS", "2"))
COLUMNS = 10


def build(n: int):
    from gongkai.agencies.models import Agency
    from gongkai.portal import publish
    from gongkai.portal.models.pages import ArticlePage, ColumnPage
    from gongkai.portal.models.sites import PortalSite
    from gongkai.portal.setup import ensure_agency_portal
    from gongkai.law.identifiers import credit_code_check_char
    from tests.factories import make_agency

    name = f"自查基准测试局{n}"
    first17 = f"1141039900{n:07d}"
    agency = Agency.objects.filter(name=name).first() or make_agency(name, credit_code=first17 + credit_code_check_char(first17))
    home = ensure_agency_portal(agency, hostname=f"bench{n}.localhost", port=80)
    with publish.suspended():
        columns = list(ColumnPage.objects.child_of(home).order_by("path"))
        for c in range(len(columns), COLUMNS):
            column = ColumnPage(title=f"栏目{c + 1}", slug=f"col{c + 1}", kind="news" if c < 3 else "general",
                                show_in_menus=True)
            home.add_child(instance=column)
            columns.append(column)
        per_column = PAGES // COLUMNS
        serial = 0
        for column in columns:
            existing = ArticlePage.objects.child_of(column).count()
            serial += existing
            with transaction.atomic():
                for _ in range(existing, per_column):
                    serial += 1
                    when = timezone.now() - timezone.timedelta(hours=serial * 17 % (24 * 700))
                    column.add_child(instance=ArticlePage(
                        title=f"工作动态第{serial}期", slug=f"a{serial}",
                        body=f'<p>见<a href="/{column.slug}/a{serial - 1 if _ else serial}/">上一期</a>。</p>',
                        statutory_category="15", first_published_at=when, last_published_at=when,
                        index_number=f"{agency.credit_code}/2026-{serial:05d}", live=True))
    return PortalSite.objects.select_related("agency", "site").get(agency=agency)


def main() -> None:
    from django.db import connection

    from gongkai.core import clock
    from gongkai.inspection.crawl import crawl_site
    from gongkai.inspection.daily import inspect

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    print(f"engine: {connection.vendor}; {SITES} sites × {PAGES} pages", flush=True)
    started = time.perf_counter()
    sites = [build(n) for n in range(SITES)]
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    today = clock.today()
    rules_s, crawl_s, pages_seen = [], [], []
    for site in sites:
        t = time.perf_counter()
        result = inspect(site, today)
        rules_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        run = crawl_site(site, max_pages=PAGES + 100)
        crawl_s.append(time.perf_counter() - t)
        pages_seen.append(run.pages)
        print(f"  {site.agency.name}: facts+rules {rules_s[-1]:.2f} s ({result.state}, {len(result.findings)} findings); "
              f"crawl {crawl_s[-1]:.1f} s, {run.pages} pages, {run.links} links, {len(run.problems)} problems"
              f"{'; error: ' + run.error if run.error else ''}", flush=True)
    per_site = statistics.median(rules_s) + statistics.median(crawl_s) * (1000 / max(1, statistics.median(pages_seen)))
    print(f"median per site: facts+rules {statistics.median(rules_s):.2f} s, crawl {statistics.median(crawl_s):.1f} s "
          f"({statistics.median(crawl_s) / max(1, statistics.median(pages_seen)) * 1000:.1f} ms/page)")
    print(f"1,000 sites × 1,000 pages: ≈ {per_site:.1f} s per site, ≈ {per_site * 1000 / WORKERS / 3600:.1f} h "
          f"on {WORKERS} workers (rules alone: {statistics.median(rules_s) * 1000 / WORKERS / 60:.1f} min)")


if __name__ == "__main__":
    main()
