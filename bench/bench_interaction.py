"""Benchmark: ticket import, statistics and the overdue board on a throw-away SQLite database.

Run: .venv/bin/python bench/bench_interaction.py [ROWS]   (default 10000). Prints figures;
not a test. Uses a temporary GONGKAI_VAR_DIR so it never touches your data.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, datetime

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ["GONGKAI_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from gongkai.interaction import actions
    from gongkai.interaction.selectors import overdue_board
    from gongkai.interaction.stats import interaction_summary
    from tests.factories import make_agency
    from tests.interaction import ticketgen

    agency = make_agency("基准测试局")
    rows = ticketgen.make_rows(ROWS, start=datetime(2024, 1, 2, 8, 0), step_hours=1.5)
    for label, data in (("CSV (GBK)", ticketgen.to_csv(rows, encoding="gbk")), ("XLSX", ticketgen.to_xlsx(rows))):
        t = time.perf_counter()
        report = actions.tickets_import(agency, actor=None, data=data, filename="bench", dry_run=True)
        print(f"check {ROWS} rows {label}: {time.perf_counter() - t:.2f} s (ok={report.ok})")
    t = time.perf_counter()
    report = actions.tickets_import(agency, actor=None, data=ticketgen.to_csv(rows), filename="bench.csv")
    print(f"import {report.imported} tickets (CSV): {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    again = actions.tickets_import(agency, actor=None, data=ticketgen.to_csv(rows), filename="bench.csv")
    print(f"re-import, {len(again.duplicates)} duplicates reported: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    summary = interaction_summary(agency, date(2024, 1, 1), date(2026, 12, 31))
    print(f"interaction_summary over {summary['received']} messages: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    board = overdue_board(None, agency_ids=[agency.pk])
    print(f"overdue board over {board.open_count} open messages: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
