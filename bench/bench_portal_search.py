"""Benchmark: Chinese search over 100,000 (or 1,000,000) published items (not a test; prints figures).

Fills a scratch database with synthetic items (segmented exactly as the portal does) and
times 2–4-character queries through the portal's search interface. With BENCH_AGENCIES=N
the items are spread over N agencies' sites, all supervised by one office, and the figures
are given for one site and for the office's search across all sites (范围 = 本站及所属机关).

1,000 sites × 1,000 items on PostgreSQL (the issue's figure):
    BENCH_ITEMS=1000000 BENCH_AGENCIES=1000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_search1m \
        .venv/bin/python bench/bench_portal_search.py

Run (SQLite, a scratch file under /tmp):
    GONGKAI_VAR_DIR=/tmp/gongkai-bench-search .venv/bin/python bench/bench_portal_search.py
Run (PostgreSQL, a scratch database):
    createdb -h 127.0.0.1 -U postgres gongkai_bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_search .venv/bin/python bench/bench_portal_search.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_VAR_DIR", "/tmp/gongkai-bench-search")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

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


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    from gongkai.agencies.models import Agency
    from gongkai.portal.search.backends import SearchQuery, get_backend

    from tests.factories import make_agency

    office = Agency.objects.filter(name="检索基准测试政府办").first() or make_agency("检索基准测试政府办")
    names = ["检索基准测试局"] + [f"检索基准测试局{k}" for k in range(1, AGENCIES)]
    existing = dict(Agency.objects.filter(name__in=names).values_list("name", "pk"))
    agency_ids = [existing.get(name) or make_agency(name, supervisor=office).pk for name in names]
    fill(agency_ids)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("INSERT INTO portal_search_fts(portal_search_fts) VALUES ('optimize')")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE portal_searchdocument")
    backend = get_backend()
    scopes = [("one site", SearchQuery(q="", agency_id=agency_ids[0]))]
    if AGENCIES > 1:
        scopes.append((f"all {AGENCIES:,} sites", SearchQuery(q="", agency_id=office.pk, also_agency_ids=tuple(agency_ids))))
    for scope, template in scopes:
        for q in QUERIES[:3]:  # warm caches
            backend.search(replace(template, q=q))
        for order in ("relevance", "date"):
            times, totals = [], []
            for _round in range(5):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    result = backend.search(replace(template, q=q, order=order))
                    times.append((time.perf_counter() - t0) * 1000)
                    totals.append(result.total)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{connection.vendor} {N:,} items, {scope}, order={order}: {len(times)} queries of 2–4 characters, "
                  f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; "
                  f"matches per query {min(totals):,}–{max(totals):,}", flush=True)


if __name__ == "__main__":
    main()
