"""Benchmark: working-day arithmetic (not a test; prints figures).

Run: .venv/bin/python bench/bench_calendar.py
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from gongkai.law.calendar import Calendar


def main() -> None:
    t0 = time.perf_counter()
    cal = Calendar()
    for year in range(2019, 2029):
        cal.is_working_day(date(year, 6, 1))  # build the per-year index
    print(f"build calendar 2019–2028: {(time.perf_counter() - t0) * 1000:.1f} ms")

    rng = random.Random(1)
    starts = [date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 8)) for _ in range(100_000)]

    t0 = time.perf_counter()
    for start in starts:
        cal.add_working_days(start, 40)
    dt = time.perf_counter() - t0
    print(f"add_working_days(start, 40): {dt / len(starts) * 1e6:.2f} µs each, {dt:.2f} s for 100,000")

    t0 = time.perf_counter()
    for start in starts:
        cal.working_days_between(start, start + timedelta(days=60))
    dt = time.perf_counter() - t0
    print(f"working_days_between (60 days): {dt / len(starts) * 1e6:.2f} µs each, {dt:.2f} s for 100,000")

    t0 = time.perf_counter()
    for start in starts:
        cal.is_working_day(start)
    dt = time.perf_counter() - t0
    print(f"is_working_day: {dt / len(starts) * 1e6:.2f} µs each")


if __name__ == "__main__":
    main()
