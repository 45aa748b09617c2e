"""Health check (the public site itself is served by the portal's Wagtail pages)."""

from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})
