"""Prometheus metrics: request latency (django-prometheus), publish time, and the queue read at scrape time.

`/metrics` (core/views_public.py) answers only the addresses in `METRICS_ALLOWED` (default:
this machine), and 404 to anyone else: the figures describe the installation, not a page for
the public. With several gunicorn workers, and to include what the background workers
measured (publish time, rebuilt pages), give them all one `PROMETHEUS_MULTIPROC_DIR`.
"""

from __future__ import annotations

import os

import prometheus_client
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from .taskstatus import queue_status

CONTENT_TYPE = prometheus_client.CONTENT_TYPE_LATEST
PUBLISH_SECONDS = prometheus_client.Histogram(
    "gongkai_publish_seconds", "Time a worker takes to write a page's static files (publish job)",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60))
REBUILD_PAGES = prometheus_client.Counter("gongkai_rebuild_pages", "Pages rendered by site rebuild chunks")


class QueueCollector:
    """Backlog and live workers of the background queue, read when Prometheus scrapes."""

    def collect(self):
        status, _problems = queue_status()
        backlog = GaugeMetricFamily("gongkai_queue_backlog", "Jobs waiting for a worker", labels=["engine"])
        backlog.add_metric([status["engine"]], float(status.get("backlog") or 0))
        yield backlog
        workers = GaugeMetricFamily("gongkai_workers_alive", "Background workers with a recent heartbeat")
        workers.add_metric([], float(status.get("workers_alive") or 0))
        yield workers
        if "oldest_waiting_seconds" in status:
            yield GaugeMetricFamily("gongkai_queue_oldest_seconds", "Age of the oldest waiting job",
                                    value=float(status["oldest_waiting_seconds"]))


QUEUE_REGISTRY = prometheus_client.CollectorRegistry(auto_describe=False)
QUEUE_REGISTRY.register(QueueCollector())


def exposition() -> bytes:
    """Every metric in Prometheus' text format (all gunicorn workers' when PROMETHEUS_MULTIPROC_DIR is set)."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    return prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(QUEUE_REGISTRY)
