"""/metrics: Prometheus figures for the monitoring host only; request latency, publish time and the queue."""

from __future__ import annotations

import pytest

from gongkai.core.models import WorkerBeat


@pytest.mark.django_db
def test_metrics_show_requests_publishing_and_the_queue_to_the_monitoring_host_only(client, settings):
    from django.utils import timezone

    settings.GONGKAI_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": settings.TASK_ENGINES["database"]}}
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", host="h", pid=1, started_at=now, beat_at=now)
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body and 'view="healthz"' in body
    assert 'gongkai_queue_backlog{engine="database"} 0.0' in body and "gongkai_workers_alive 1.0" in body
    assert "gongkai_publish_seconds_bucket" in body and "gongkai_rebuild_pages_total" in body
    # Anyone else — including a forged X-Forwarded-For from an untrusted address — gets a plain 404.
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404
    settings.METRICS_ALLOWED = ["10.0.0.5"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
