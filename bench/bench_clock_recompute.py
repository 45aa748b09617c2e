"""Recompute 100,000 open cases after a holiday year is loaded (target: under 10 s).

    .venv/bin/python bench/bench_clock_recompute.py                 # SQLite (temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gk_apps .venv/bin/python bench/bench_clock_recompute.py

Builds a fresh database, inserts N open applications received in Nov–Dec 2026 (so
their due dates fall in January 2027, provisional until 2027 is loaded) with varied
histories (corrections, consultations, extensions, fee notices), caches their
provisional due dates, then loads a 2027 year file through the real action
(`calendar_year_load`, whose signal recomputes every open case) and prints the figures.
Not a test.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("BENCH_CASES", "100000"))

if not os.environ.get("DATABASE_URL"):
    tmp = tempfile.mkdtemp(prefix="gk-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gk-bench-var-"))

YEAR_2027 = """year: 2027
notice: "国务院办公厅关于2027年部分节假日安排的通知（基准测试用）"
rest_days:
  - "2027-01-01..2027-01-03"
  - "2027-02-05..2027-02-11"
working_days:
  - "2027-02-13"
"""


def ensure_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def main() -> int:
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; migrate {time.perf_counter() - t:.1f} s")

    from gongkai.applications.models import Applicant, Application, ApplicationEvent
    from gongkai.applications.recompute import recompute_open_cases
    from gongkai.calendars.actions import calendar_year_load
    from tests.factories import make_agency

    rng = random.Random(2027)
    agency = make_agency("基准测试局")
    applicants = Applicant.objects.bulk_create([
        Applicant(agency=agency, kind="natural_person", name=f"申请人{i}", id_type="other", id_number=f"B{i:08d}",
                  phone="13800000000") for i in range(1000)])
    t = time.perf_counter()
    apps, events = [], []
    start = date(2026, 11, 16)
    for i in range(N):
        received = start + timedelta(days=rng.randrange(45))
        apps.append(Application(
            agency=agency, number=f"B-{i:06d}", applicant=applicants[i % 1000], applicant_kind="natural_person",
            channel="online", submitted_on=received, confirmed_on=received, received_on=received,
            subject="基准", description="基准测试申请", query_code=f"Q{i:09d}"))
    Application.objects.bulk_create(apps, batch_size=5000)
    for app in apps:
        r = app.received_on
        events.append(ApplicationEvent(agency=agency, application=app, kind="received", on=r))
        roll = rng.random()
        if roll < 0.25:  # a consultation, answered or not
            sent = r + timedelta(days=rng.randrange(1, 8))
            events.append(ApplicationEvent(agency=agency, application=app, kind="consultation_sent", on=sent,
                                           days=15, ref="c1"))
            if rng.random() < 0.6:
                events.append(ApplicationEvent(agency=agency, application=app, kind="consultation_answered",
                                               on=sent + timedelta(days=rng.randrange(1, 15)), ref="c1"))
        elif roll < 0.35:  # extension
            events.append(ApplicationEvent(agency=agency, application=app, kind="extension_approved",
                                           on=r + timedelta(days=rng.randrange(1, 20)), days=20))
        elif roll < 0.45:  # correction, corrected
            events.append(ApplicationEvent(agency=agency, application=app, kind="correction_requested",
                                           on=r + timedelta(days=1), end=r + timedelta(days=15)))
            events.append(ApplicationEvent(agency=agency, application=app, kind="corrected",
                                           on=r + timedelta(days=rng.randrange(2, 12))))
        elif roll < 0.50:  # fee notice, paid
            sent = r + timedelta(days=rng.randrange(1, 6))
            events.append(ApplicationEvent(agency=agency, application=app, kind="fee_notice_sent", on=sent))
            events.append(ApplicationEvent(agency=agency, application=app, kind="fee_paid",
                                           on=sent + timedelta(days=rng.randrange(1, 10))))
    ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    print(f"inserted {N:,} open cases and {len(events):,} events in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    first = recompute_open_cases(year=2027, record_changes=False)
    print(f"initial cache (provisional 2027): {time.perf_counter() - t:.2f} s {first}")

    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    slow = []

    def timer(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if time.perf_counter() - t0 > 0.2:
                slow.append((round(time.perf_counter() - t0, 2), sql[:120]))

    wrapper = connection.execute_wrapper(timer)
    wrapper.__enter__()
    t = time.perf_counter()
    calendar_year_load(YEAR_2027, actor=None)  # the signal recomputes every open case after commit
    elapsed = time.perf_counter() - t
    wrapper.__exit__(None, None, None)
    for secs, sql in slow:
        print(f"  slow query {secs} s: {sql}")
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    changed = ApplicationEvent.objects.filter(kind="due_changed").count()
    provisional = Application.objects.filter(due_provisional=True).count()
    print(f"load 2027 + recompute {N:,} open cases: {elapsed:.2f} s "
          f"({elapsed / N * 1e6:.1f} µs per case); due dates changed and noted: {changed:,}; "
          f"still provisional: {provisional:,}")
    print("PASS" if elapsed < 10 else "SLOW", "(target < 10 s)")
    if url.startswith("postgres"):
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
