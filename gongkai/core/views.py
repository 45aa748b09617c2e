"""The public home page placeholder until the portal's page tree is in place."""

from django.shortcuts import render

from gongkai.agencies.models import Agency


def home(request):
    agencies = Agency.objects.filter(supervisor__isnull=False).order_by("name")[:20]
    return render(request, "core/home.html", {"agencies": agencies})


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
