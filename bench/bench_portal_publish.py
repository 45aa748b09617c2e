"""Benchmark: static publishing in a site of 10,000 pages (not a test; prints figures).

Builds a scratch site (10 columns × 1,000 published items) once, then times
(1) publishing one new page with everything it affects (guard scan, 索引号, search index,
the page, its column, the home page, catalogue, statutory page, feeds, sitemap), and
(2) a full rebuild of the site.

Run: GONGKAI_VAR_DIR=/tmp/gongkai-bench-publish .venv/bin/python bench/bench_portal_publish.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_VAR_DIR", "/tmp/gongkai-bench-publish")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

PAGES = int(os.environ.get("BENCH_PAGES", "10000"))
COLUMNS = 10


def build():
    from gongkai.agencies.models import Agency
    from gongkai.portal import publish
    from gongkai.portal.models.disclosure_pages import CataloguePage, DisclosureIndexPage, StatutoryContentPage
    from gongkai.portal.models.page_base import DisclosablePage
    from gongkai.portal.models.pages import ArticlePage, ColumnPage
    from gongkai.portal.setup import ensure_agency_portal
    from tests.factories import make_agency

    agency = Agency.objects.filter(name="发布基准测试局").first() or make_agency("发布基准测试局")
    home = ensure_agency_portal(agency, hostname="bench.localhost", port=80)
    have = DisclosablePage.objects.filter(agency=agency).count()
    if have >= PAGES:
        return agency, home
    started = time.perf_counter()
    with publish.suspended():
        if not DisclosureIndexPage.objects.filter(agency=agency).exists():
            xxgk = DisclosureIndexPage(title="政府信息公开", slug="xxgk", show_in_menus=True)
            home.add_child(instance=xxgk)
            xxgk.add_child(instance=CataloguePage(title="政府信息公开目录", slug="gkml"))
            xxgk.add_child(instance=StatutoryContentPage(title="法定主动公开内容", slug="fdzdgknr"))
        columns = list(ColumnPage.objects.filter(agency=agency).order_by("path"))
        for c in range(len(columns), COLUMNS):
            column = ColumnPage(title=f"栏目{c + 1}", slug=f"col{c + 1}", kind="news", show_in_menus=True)
            home.add_child(instance=column)
            columns.append(column)
        serial = have
        per_column = PAGES // COLUMNS
        for column in columns:
            existing = ArticlePage.objects.child_of(column).count()
            for start in range(existing, per_column, 250):
              with transaction.atomic():  # noqa: E111 - one commit per 250 pages keeps setup fast
                for i in range(start, min(start + 250, per_column)):
                    serial += 1
                    when = timezone.now() - timezone.timedelta(minutes=serial)
                    column.add_child(instance=ArticlePage(
                        title=f"退役军人工作动态第{serial}期", slug=f"a{serial}", body="<p>" + "退役军人优待工作。" * 40 + "</p>",
                        summary="工作动态", statutory_category="15", first_published_at=when, last_published_at=when,
                        index_number=f"{agency.credit_code}/2026-{serial:05d}", live=True))
                if serial % 1000 == 0:
                    print(f"  created {serial:,} pages ({time.perf_counter() - started:.0f} s)", flush=True)
    return agency, home


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    from wagtail.models import Site

    from gongkai.portal import publish
    from gongkai.portal.models.pages import ArticlePage, ColumnPage
    from gongkai.portal.search.indexing import index_page

    agency, home = build()
    site = Site.objects.get(root_page=home)
    if os.environ.get("BENCH_REBUILD", "1") != "0":
        t0 = time.perf_counter()
        pages = publish.rebuild_site(site)
        rebuild = time.perf_counter() - t0
        print(f"full rebuild: {pages:,} pages in {rebuild:.1f} s ({rebuild / pages * 1000:.1f} ms a page)")

    column = ColumnPage.objects.filter(agency=agency).order_by("path").first()
    timings = []
    for n in range(3):
        page = ArticlePage(title=f"基准新文章{time.time_ns()}", slug=f"new{time.time_ns()}", live=False,
                           body="<p>新发布的退役军人优待政策。</p>")
        column.add_child(instance=page)
        revision = page.save_revision()
        t0 = time.perf_counter()
        with publish.suspended():  # time the static part ourselves, outside on_commit
            revision.publish()
        index_page(page)
        written = publish.publish_page(page.pk)
        timings.append(time.perf_counter() - t0)
    print(f"publish one page with everything it affects ({len(written)} files): "
          + ", ".join(f"{t:.2f} s" for t in timings))


if __name__ == "__main__":
    main()
