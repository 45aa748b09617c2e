"""Health check (the public site itself is served by the portal's Wagtail pages)."""


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
