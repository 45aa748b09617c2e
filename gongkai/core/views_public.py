"""Health check for monitoring: the database, the background queue and its workers, as JSON.

The answer is 200 while the web process can serve (database reachable), with "status"
"ok", or "degraded" and the reasons in Chinese when no background worker is alive (jobs
would wait forever); 503 when the database cannot be reached. The public site itself
is served by the portal's Wagtail pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views import defaults

from gongkai.core import metrics as prometheus
from gongkai.core.clientip import client_ip
from gongkai.core.redirects import STAFF_PREFIXES
from gongkai.core.taskstatus import queue_status


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        tasks, problems = queue_status()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unreachable",
                             "problems": [f"无法连接数据库：{exc.__class__.__name__}"]}, status=503)
    body = {"status": "degraded" if problems else "ok", "database": "ok", "tasks": tasks}
    if problems:
        body["problems"] = problems
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def metrics(request):
    """Prometheus metrics, for the monitoring addresses in METRICS_ALLOWED only (404 to anyone else)."""
    if client_ip(request) not in settings.METRICS_ALLOWED:
        raise Http404
    return HttpResponse(prometheus.exposition(), content_type=prometheus.CONTENT_TYPE)


def permission_denied(request, exception=None):
    """403: the portal's page for visitors; in the admin a plain page with the reason (no portal navigation)."""
    staff = request.path.startswith(STAFF_PREFIXES)
    return defaults.permission_denied(request, exception, template_name="errors/staff_403.html" if staff else "403.html")


def page_not_found(request, exception=None):
    """404: the portal's page for visitors; in the admin a plain page (no portal navigation)."""
    staff = request.path.startswith(STAFF_PREFIXES)
    return defaults.page_not_found(request, exception, template_name="errors/staff_404.html" if staff else "404.html")
