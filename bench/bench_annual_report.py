"""Annual reports on 1,000,000 applications across 1,000 agencies (targets: one report < 5 s, roll-up < 60 s).

    .venv/bin/python bench/bench_annual_report.py          # PostgreSQL database bench_annual (created, dropped)
    BENCH_APPS=100000 BENCH_AGENCIES=100 .venv/bin/python bench/bench_annual_report.py
    BENCH_KEEP=1 ...                                        # keep the database afterwards

Builds a fresh database `bench_annual` on the local PostgreSQL, creates the agencies (one
supervising office over all of them), loads the applications with COPY (received
2023–2026, decided or still open, every outcome and applicant kind, some kind changes
after the year, reviews and lawsuits), then times:

- one agency's report: the computed cells (`compute_report`), the full checked state
  (`live_state`: cells, last year's continuity, rules) and the drill-down lists;
- the supervising office's roll-up of all agencies (`supervision_overview`), cold and warm.

Prints the figures and drops the database (unless BENCH_KEEP is set). Not a test.
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
N_APPS = int(os.environ.get("BENCH_APPS", "1000000"))
N_AGENCIES = int(os.environ.get("BENCH_AGENCIES", "1000"))
URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/bench_annual"
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gk-bench-var-"))


def _admin_conn():
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(URL)
    conn = psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                           password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True)
    return conn, cfg["NAME"]


def recreate_database() -> None:
    conn, name = _admin_conn()
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    conn, name = _admin_conn()
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def timed(label, fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    dt = time.perf_counter() - t
    print(f"  {label:<58} {dt:7.2f} s")
    return result, dt


OUTCOMES_WEIGHTED = (["result.granted"] * 40 + ["result.partial"] * 10 + ["result.unable.not_held"] * 15
                     + ["result.not_processed.repeat"] * 5 + ["result.other.other"] * 5)


def _outcomes():
    from gongkai.law.replies import REPLY_TYPES

    return OUTCOMES_WEIGHTED + sorted(REPLY_TYPES)


def create_agencies():
    from gongkai.agencies.models import Agency, Kind, Level
    from gongkai.law.identifiers import credit_code_check_char

    def code(n):
        first17 = f"1141030000{n:07d}"
        return first17 + credit_code_check_char(first17)

    office = Agency.objects.create(name="基准测试市人民政府办公室", credit_code=code(1), level=Level.CITY,
                                   kind=Kind.GOVERNMENT)
    Agency.objects.bulk_create([
        Agency(name=f"基准测试局{i:04d}", credit_code=code(i + 2), level=Level.CITY, kind=Kind.DEPARTMENT,
               supervisor=office) for i in range(N_AGENCIES)], batch_size=1000)
    return office, list(Agency.objects.filter(supervisor=office).order_by("pk"))


def copy_rows(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def load_applications(agencies, rng) -> None:
    from django.utils import timezone

    from gongkai.applications.models import Applicant, Application

    Applicant.objects.bulk_create([
        Applicant(agency=a, kind="natural_person", name="基准申请人", id_type="other", id_number=f"B{a.pk:08d}",
                  phone="13800000000") for a in agencies], batch_size=2000)
    applicant = dict(Applicant.objects.values_list("agency_id", "pk"))
    outcomes = _outcomes()
    kinds = ["natural_person"] * 70 + ["commercial"] * 12 + ["research"] * 3 + ["social_welfare"] * 3 \
        + ["legal_service"] * 7 + ["other_org"] * 5
    start = date(2023, 1, 1)
    span = (date(2026, 10, 31) - start).days
    now = timezone.now()
    columns = ["agency_id", "number", "applicant_id", "applicant_kind", "channel", "submitted_on", "received_on",
               "subject", "description", "document_number", "form_wanted", "delivery_wanted", "query_code", "status",
               "outcome", "outcome_basis", "decided_on", "delivered_on", "delivery_method", "due_on",
               "due_provisional", "clock_state", "created_at"]
    per_agency = N_APPS // len(agencies)

    def rows():
        serial = 0
        for a in agencies:
            for i in range(per_agency):
                serial += 1
                received = start + timedelta(days=rng.randrange(span))
                decided = received + timedelta(days=rng.randint(1, 60)) if rng.random() < 0.93 else None
                if decided and decided > date(2026, 11, 1):
                    decided = None
                outcome = rng.choice(outcomes) if decided else ""
                status = "delivered" if decided else "processing"
                yield (a.pk, f"{received.year}-{i:05d}", applicant[a.pk], rng.choice(kinds), "in_person", received,
                       received, "基准", "基准测试申请", "", "either", "post", f"Q{serial:011d}", status, outcome, "",
                       decided, decided, "邮寄" if decided else "", received + timedelta(days=28), False,
                       "closed" if decided else "running", now)

    copy_rows(Application._meta.db_table, columns, rows())


def load_events_and_cases(agencies, rng) -> None:
    from django.utils import timezone

    from gongkai.applications.models import Application, ApplicationEvent, Litigation, Reconsideration

    now = timezone.now()
    ids = list(Application.objects.filter(decided_on__isnull=False, received_on__year=2025)
               .values_list("pk", "agency_id", "decided_on")[: max(1, N_APPS // 50)])
    sample = rng.sample(ids, min(len(ids), N_APPS // 100))
    # kind corrections recorded after 2025 (they move cases back to their 31 Dec column)
    copy_rows(ApplicationEvent._meta.db_table,
              ["agency_id", "application_id", "kind", "on", "ref", "note", "data", "actor_label", "created_at"],
              ((agency_id, pk, "applicant_kind_changed", date(2026, 2, 1), "", "基准", '{"old": "research", "new": "natural_person"}', "系统", now)
               for pk, agency_id, _d in sample[: len(sample) // 2]))
    reviews = [(agency_id, pk, "复议机关", "", decided + timedelta(days=20),
                rng.choice(["maintained", "corrected", "other", "pending"])) for pk, agency_id, decided in sample]
    copy_rows(Reconsideration._meta.db_table,
              ["agency_id", "application_id", "body", "case_number", "filed_on", "result", "concluded_on", "note"],
              ((a, p, b, c, f, r, None if r == "pending" else f + timedelta(days=60), "") for a, p, b, c, f, r in reviews))
    copy_rows(Litigation._meta.db_table,
              ["agency_id", "application_id", "route", "court", "case_number", "filed_on", "result", "concluded_on",
               "note"],
              ((a, p, rng.choice(["direct", "after_review"]), "法院", "", f, r,
                None if r == "pending" else f + timedelta(days=90), "") for a, p, b, c, f, r in reviews[::2]))


def load_figures(agencies) -> None:
    from decimal import Decimal

    from gongkai.annualreport.figures import manual_keys
    from gongkai.annualreport.models import ActiveFigure

    ActiveFigure.objects.bulk_create([
        ActiveFigure(agency=a, year=2025, key=k, value=Decimal("3"), source="基准数据")
        for a in agencies for k in manual_keys("gov2021")], batch_size=5000)


def main() -> int:
    if URL.startswith("postgres"):
        recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); migrate {time.perf_counter() - t:.1f} s")
    try:
        return run()
    finally:
        if URL.startswith("postgres") and not os.environ.get("BENCH_KEEP"):
            drop_database()
            print("database dropped")


def run() -> int:
    from django.db import connection

    from gongkai.agencies.roles import Role
    from gongkai.annualreport import selectors
    from gongkai.annualreport.compute import compute_report
    from gongkai.annualreport.drilldown import drilldown
    from gongkai.applications.models import Application
    from tests.factories import make_user

    rng = random.Random(2025)
    print(f"loading {N_APPS:,} applications across {N_AGENCIES:,} agencies …")
    office, agencies = create_agencies()
    _, dt_apps = timed("COPY applications", load_applications, agencies, rng)
    timed("COPY kind changes, reviews, lawsuits", load_events_and_cases, agencies, rng)
    timed("section 二 figures (bulk_create)", load_figures, agencies)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  rows: {Application.objects.count():,} applications "
          f"({Application.objects.count() / dt_apps:,.0f} rows/s)")

    print("one agency's 2025 report:")
    agency = agencies[len(agencies) // 2]
    timed("compute_report (cold)", compute_report, agency, 2025)
    _, warm = timed("compute_report (warm)", compute_report, agency, 2025)
    _, state_dt = timed("live_state (cells + last year + rules R1–R9)", selectors.live_state, agency, 2025)
    (cells, records), drill = timed("drilldown (records behind every cell)", drilldown, agency, 2025)
    print(f"  → {len(records):,} records behind {sum(1 for v in cells.values() if v):,} non-empty cells")

    print("supervising office roll-up (all agencies):")
    inspector = make_user("bench_inspector", agency=office, role=Role.SUPERVISOR)
    (rows, totals), cold = timed(f"supervision_overview, {len(agencies):,} agencies (cold)",
                                 selectors.supervision_overview, inspector, 2025)
    _, warm_roll = timed("supervision_overview (warm)", selectors.supervision_overview, inspector, 2025)
    print(f"  → roll-up apply.new.total = {totals['apply.new.total']:,}; "
          f"{sum(len(r.errors) for r in rows):,} errors, {sum(len(r.warnings) for r in rows):,} warnings")
    one = max(state_dt, drill)
    ok = one < 5 and max(cold, warm_roll) < 60
    print(f"targets: one agency's report {one:.2f} s (< 5 s), roll-up {max(cold, warm_roll):.2f} s (< 60 s): "
          f"{'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
