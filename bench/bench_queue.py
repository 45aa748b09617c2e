"""Benchmark: background-queue throughput and latency on each engine, with real workers (not a test; prints figures).

For each engine — the database engine (SQLite file, or the DATABASE_URL given), Celery on
RabbitMQ and Celery on Redis — it starts W `manage.py gongkai_worker` processes, enqueues
N small jobs as fast as it can, and measures the jobs per second until the last one ran
and the latency of each job (enqueue to start).

Run: .venv/bin/python bench/bench_queue.py [N] [W]        (defaults 400 jobs, 2 workers)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-bench-queue-")))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'queue.sqlite3'}")
os.environ.setdefault("GONGKAI_FIELD_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
ENGINES = {
    "database": {"GONGKAI_TASKS": "database"},
    "celery+rabbitmq": {"GONGKAI_TASKS": "celery", "GONGKAI_CELERY_BROKER": "amqp://guest:guest@127.0.0.1:5672//"},
    "celery+redis": {"GONGKAI_TASKS": "celery", "GONGKAI_CELERY_BROKER": "redis://127.0.0.1:6379/0"},
}


def run(engine: str, jobs: int, workers: int) -> None:
    env = {**os.environ, **ENGINES[engine], "GONGKAI_CELERY_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
           "PYTHONPATH": str(ROOT)}
    out = VAR / f"{engine}.txt"
    out.unlink(missing_ok=True)
    procs = [subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "gongkai_worker", "-v0",
                               *(["--no-startup-delay", "--interval", "0.05"] if engine == "database" else [])],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(workers)]
    try:
        time.sleep(4)  # let the workers connect
        enqueue = subprocess.run([sys.executable, "-c", f"""
import os, sys, time
sys.path.insert(0, {str(ROOT)!r})
import django; django.setup()
from bench.queue_tasks import note
start = time.time()
for _ in range({jobs}):
    note.enqueue({str(out)!r}, time.time())
print(time.time() - start)
"""], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        enqueue_seconds = float(enqueue.stdout.strip().splitlines()[-1])
        started = time.time() - enqueue_seconds
        while True:
            done = out.read_text().count("\n") if out.exists() else 0
            if done >= jobs:
                break
            if time.time() - started > 600:
                print(f"{engine}: only {done}/{jobs} jobs ran in 10 minutes")
                return
            time.sleep(0.05)
        total = time.time() - started
        latencies = sorted(float(x) for x in out.read_text().split())
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"{engine:16s} {jobs} jobs, {workers} workers: enqueue {jobs / enqueue_seconds:,.0f}/s, "
              f"throughput {jobs / total:,.0f} jobs/s, latency median {statistics.median(latencies) * 1000:,.0f} ms, "
              f"p95 {p95 * 1000:,.0f} ms")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    for engine in ENGINES:
        run(engine, jobs, workers)


if __name__ == "__main__":
    main()
