"""Benchmark: Chinese search over 100,000 (or 1,000,000) published items, and /search/ on the `make run` server
(not a test; prints figures).

Fills a scratch database with synthetic items (segmented exactly as the portal does) on a
site of its own, then prints:
  (a) the search interface alone (gongkai.portal.search.backends): p50/p95 of 2–4-character queries;
  (b) the whole search page (request, view, template) through Django's test client: p50/p95;
  (c) with BENCH_DEMO_VAR_DIR (a var directory holding the demo: `make demo`; its database
      BENCH_DEMO_DATABASE_URL if not the SQLite file in that directory): requests per second
      of /search/?q=<2 characters> from wrk (2 threads, 20 connections, 10 s) against gunicorn
      started as `make run` starts it on that demo, and in the same run its home page from that
      server and from nginx with deploy/nginx.conf (as bench_portal_serve.py does). The server
      counts every search against the rate limit as usual, the limit raised
      (GONGKAI_SEARCH_RATE_LIMIT) so that wrk's one address is answered rather than refused.
With BENCH_AGENCIES=N the items are spread over N agencies' sites, all supervised by one office,
and (a) and (b) are given for one site and for the office's search across all sites (范围 = 本站及所属机关).

Run (SQLite, a scratch file under /tmp; the demo of `make demo` in var/):
    GONGKAI_VAR_DIR=/tmp/gongkai-bench-search BENCH_DEMO_VAR_DIR=var .venv/bin/python bench/bench_portal_search.py
Run (PostgreSQL, a scratch database):
    createdb -h 127.0.0.1 -U postgres gongkai_bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_search .venv/bin/python bench/bench_portal_search.py
1,000 sites × 1,000 items on PostgreSQL (the issue's figure):
    BENCH_ITEMS=1000000 BENCH_AGENCIES=1000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_search1m \
        .venv/bin/python bench/bench_portal_search.py
A scratch database filled by a version of this script older than its site (no 检索基准测试局 home page)
cannot be given one: drop it and run again.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The demo server of (c) runs in the caller's environment, not in this scratch database's.
DEMO_ENVIRON = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGKAI_VAR_DIR")}
if os.environ.get("BENCH_DEMO_DATABASE_URL"):
    DEMO_ENVIRON["DATABASE_URL"] = os.environ["BENCH_DEMO_DATABASE_URL"]
os.environ.setdefault("GONGKAI_VAR_DIR", "/tmp/gongkai-bench-search")
os.makedirs(Path(os.environ["GONGKAI_VAR_DIR"]) / "static", exist_ok=True)  # STATIC_ROOT, or whitenoise warns
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
# As in production (DEBUG off: no query log), with the bench's site names allowed.
SITE_HOST, OFFICE_HOST = "search-bench.localhost", "search-bench-office.localhost"
os.environ.setdefault("DEBUG", "0")
os.environ["ALLOWED_HOSTS"] = ",".join(filter(None, [os.environ.get("ALLOWED_HOSTS"), SITE_HOST, OFFICE_HOST]))
RATE_LIMIT = "1000000"  # searches a minute from one address: counted as usual, never reached by the bench
os.environ.setdefault("GONGKAI_SEARCH_RATE_LIMIT", RATE_LIMIT)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

N = int(os.environ.get("BENCH_ITEMS", "100000"))
AGENCIES = int(os.environ.get("BENCH_AGENCIES", "1"))
START = datetime(2019, 1, 1, tzinfo=timezone.utc)
WORDS = ("退役 军人 优待 安置 就业 创业 抚恤 褒扬 烈士 纪念 双拥 拥军 优属 军休 干部 士兵 转业 自主 择业 服务 中心 保障 "
         "政策 通知 公告 办法 实施 意见 解读 指南 申请 审核 办理 材料 补助 标准 社会 保险 补缴 医疗 教育 住房 培训 "
         "岗位 招聘 表彰 先进 典型 事迹 宣传 活动 会议 部署 工作 推进 落实 检查 督导 年度 报告 信息 公开 目录 "
         "洛阳 河南 市区 县区 乡镇 街道 社区 单位 企业 学校 医院 银行 交通 文化 旅游 景区 免费 优惠 证件 证书").split()
DEMO_QUERY = os.environ.get("BENCH_QUERY", "退役")  # 2 characters, found in the demo
QUERIES = ["退役", "优待", "安置", "军人", "创业", "抚恤", "烈士", "双拥", "补缴", "优待证", "退役军人", "就业创业",
           "社会保险", "纪念", "军休", "表彰", "岗位", "景区", "补助", "自主择业"]


def fill(agency_ids: list[int]) -> None:
    from gongkai.portal.search.backends import get_backend, index_tokens
    from gongkai.portal.search.models import SearchDocument

    have = SearchDocument.objects.filter(agency_id__in=agency_ids).count()
    if have >= N:
        return
    rng = random.Random(7)
    backend = get_backend()
    from wagtail.models import Page

    root = Page.get_first_root_node()
    started = time.perf_counter()
    batch = []
    for i in range(have, N):
        title = "".join(rng.sample(WORDS, 5))
        body = "，".join("".join(rng.sample(WORDS, 6)) for _ in range(rng.randint(8, 30)))
        batch.append((i, title, body))
        if len(batch) == 2000 or i == N - 1:
            with transaction.atomic():
                pages = [Page(title=t, slug=f"b{j}", path=f"{root.path}Z{j:07d}"[:255], depth=2, live=True,
                              content_type_id=root.content_type_id, locale_id=root.locale_id,
                              draft_title=t, url_path=f"/b{j}/") for j, t, _b in batch]
                Page.objects.bulk_create(pages)
                ids = dict(Page.objects.filter(slug__in=[f"b{j}" for j, _t, _b in batch])
                           .values_list("slug", "pk"))
                docs = SearchDocument.objects.bulk_create([
                    SearchDocument(agency_id=agency_ids[j % len(agency_ids)], page_id=ids[f"b{j}"], title=t, url=f"/b{j}/", text=b[:2000],
                                   tokens=index_tokens(t + " " + b), category=f"{j % 15 + 1:02d}",
                                   year=2019 + j % 7, path=f"0001Z{j:07d}",
                                   published_at=START + timedelta(minutes=37 * j))
                    for j, t, b in batch])
                if connection.vendor == "sqlite":
                    docs = SearchDocument.objects.filter(page_id__in=ids.values())
                backend.upsert_many(docs)
            batch = []
            if (i + 1) % 20000 == 0 or i == N - 1:
                print(f"  indexed {i + 1:,} items ({time.perf_counter() - started:.0f} s)", flush=True)


def percentiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    from django.test import Client

    from gongkai.agencies.models import Agency
    from gongkai.portal.models.pages import HomePage
    from gongkai.portal.search.backends import SearchQuery, get_backend
    from gongkai.portal.search.models import SearchDocument
    from gongkai.portal.setup import ensure_agency_portal

    from tests.factories import make_agency

    office = Agency.objects.filter(name="检索基准测试政府办").first() or make_agency("检索基准测试政府办")
    names = ["检索基准测试局"] + [f"检索基准测试局{k}" for k in range(1, AGENCIES)]
    existing = dict(Agency.objects.filter(name__in=names).values_list("name", "pk"))
    agency_ids = [existing.get(name) or make_agency(name, supervisor=office).pk for name in names]
    # The sites the search pages are asked on: made before the items (which are added to the page
    # tree by bulk insert, past the tree's bookkeeping).
    portals = [(agency_ids[0], SITE_HOST)] + ([(office.pk, OFFICE_HOST)] if AGENCIES > 1 else [])
    for agency_id, host in portals:
        if not HomePage.objects.filter(agency_id=agency_id).exists():
            if SearchDocument.objects.filter(agency_id__in=agency_ids).exists():
                raise SystemExit("this scratch database was filled by an older version of the bench: drop it and run again")
            ensure_agency_portal(Agency.objects.get(pk=agency_id), hostname=host)
    fill(agency_ids)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("INSERT INTO portal_search_fts(portal_search_fts) VALUES ('optimize')")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE portal_searchdocument")
    backend = get_backend()
    scopes = [("one site", SearchQuery(q="", agency_id=agency_ids[0]), SITE_HOST, {})]
    if AGENCIES > 1:
        scopes.append((f"all {AGENCIES:,} sites", SearchQuery(q="", agency_id=office.pk, also_agency_ids=tuple(agency_ids)),
                       OFFICE_HOST, {"scope": "all"}))
    client = Client()
    for scope, template, host, params in scopes:
        for q in QUERIES[:3]:  # warm caches
            backend.search(replace(template, q=q))
            client.get("/search/", {"q": q, **params}, HTTP_HOST=host)
        for order in ("relevance", "date"):
            times, pages, totals = [], [], []
            for _round in range(5):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    result = backend.search(replace(template, q=q, order=order))
                    times.append((time.perf_counter() - t0) * 1000)
                    totals.append(result.total)
                    t0 = time.perf_counter()
                    response = client.get("/search/", {"q": q, "order": order, **params}, HTTP_HOST=host)
                    pages.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200 or (result.total and b"<mark>" not in response.content):
                        raise SystemExit(f"/search/?q={q} on {host}: HTTP {response.status_code} without its hits")
            p50, p95, top = percentiles(times)
            print(f"(a) {connection.vendor} {N:,} items, {scope}, order={order}: search backend, {len(times)} queries "
                  f"of 2–4 characters: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {top:.1f} ms; "
                  f"matches per query {min(totals):,}–{max(totals):,}", flush=True)
            p50, p95, top = percentiles(pages)
            print(f"(b) {connection.vendor} {N:,} items, {scope}, order={order}: whole search page (request, view, "
                  f"template), {len(pages)} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {top:.1f} ms", flush=True)
    demo = os.environ.get("BENCH_DEMO_VAR_DIR")
    if demo:
        serve_demo(Path(demo).resolve())
    else:
        print("(c) skipped: set BENCH_DEMO_VAR_DIR to a var directory holding the demo (make demo)")


def serve_demo(var: Path) -> None:
    """(c): /search/ and the home page on the make-run server, and the home page from nginx, in one run."""
    from urllib.parse import quote
    from urllib.request import urlopen

    import bench_portal_serve as serve
    from gongkai.portal.nginx import render

    for tool, package in (("wrk", "wrk"), ("nginx", "nginx")):
        if not shutil.which(tool) and not (tool == "nginx" and Path("/usr/sbin/nginx").exists()):
            raise SystemExit(f"{tool} not found: apt-get install -y {package}")
    if not (var / "publish" / "_default" / "index.html").exists():
        raise SystemExit(f"{var} holds no published demo: run `make demo` (or its steps) with GONGKAI_VAR_DIR={var}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        port = serve.free_port()
        gunicorn = serve.start_gunicorn(var, port, tmp / "gunicorn.log", DEMO_ENVIRON, GONGKAI_SEARCH_RATE_LIMIT=RATE_LIMIT)
        try:
            search = f"http://127.0.0.1:{port}/search/?q={quote(DEMO_QUERY)}"
            page = urlopen(search).read().decode()
            if "<mark>" not in page or "检索过于频繁" in page:
                raise SystemExit(f"{search} found nothing on the demo")
            serve.wrk(search, seconds=3)  # warm up every worker
            found = serve.wrk(search)
            home = serve.wrk(f"http://127.0.0.1:{port}/")
        finally:
            serve.stop(gunicorn)
        nginx_port = serve.free_port()
        site = render(listen=f"127.0.0.1:{nginx_port}", publish_root=str(var / "publish"),
                      static_root=str(var / "static"), upstream="127.0.0.1:9", header=False)
        nginx = serve.start_nginx(tmp, [site], [nginx_port])
        try:
            serve.wrk(f"http://127.0.0.1:{nginx_port}/", seconds=3)
            static = serve.wrk(f"http://127.0.0.1:{nginx_port}/")
        finally:
            serve.stop(nginx)
    print(f"(c) make run server on the demo, wrk 20 connections 10 s: /search/?q={DEMO_QUERY} "
          f"{found['rps']:,.0f} requests/s (p50 {found['p50']:.1f} ms, p99 {found['p99']:.1f} ms under that load"
          f"{', %d socket errors' % found['errors'] if found['errors'] else ''}); "
          f"home page {home['rps']:,.0f} requests/s; nginx (deploy/nginx.conf), home page {static['rps']:,.0f} requests/s",
          flush=True)


if __name__ == "__main__":
    main()
