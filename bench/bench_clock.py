"""Benchmark: compute_clock for typical cases (not a test; prints figures).

Run: .venv/bin/python bench/bench_clock.py
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from gongkai.law.calendar import Calendar
from gongkai.law.clock import CaseEvent as E
from gongkai.law.clock import compute_clock


def typical_case(rng: random.Random) -> list[E]:
    received = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 8))
    events = [E("received", received)]
    roll = rng.random()
    if roll < 0.15:
        events += [E("correction_requested", received + timedelta(days=3)),
                   E("corrected", received + timedelta(days=10))]
    elif roll < 0.30:
        sent = received + timedelta(days=rng.randrange(1, 15))
        events += [E("consultation_sent", sent), E("consultation_answered", sent + timedelta(days=9))]
    if rng.random() < 0.1:
        events.append(E("extension_approved", received + timedelta(days=20)))
    if rng.random() < 0.5:
        events.append(E("decided", received + timedelta(days=rng.randrange(5, 40))))
    return events


def main() -> None:
    rng = random.Random(7)
    cal = Calendar()
    cases = [typical_case(rng) for _ in range(100_000)]
    compute_clock(cases[0], cal)  # warm the per-year index
    today = date(2025, 6, 1)
    t0 = time.perf_counter()
    for events in cases:
        compute_clock(events, cal, today=today)
    dt = time.perf_counter() - t0
    print(f"compute_clock: {dt / len(cases) * 1e6:.1f} µs per case, {dt:.2f} s for {len(cases):,} cases")
    plain = [E("received", date(2025, 3, 3))]
    t0 = time.perf_counter()
    for _ in range(20_000):
        compute_clock(plain, cal, today=today)
    dt = time.perf_counter() - t0
    print(f"compute_clock (receipt only): {dt / 20_000 * 1e6:.1f} µs per case")


if __name__ == "__main__":
    main()
