"""A read-only audit log page in the admin, scoped to the agencies the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from gongkai.agencies.access import _is_global, visible_agency_ids

from .codes import ACTIONS
from .models import AuditEvent


def audit_log(request):
    user = request.user
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("agency", "actor")
    if not _is_global(user):
        events = events.filter(agency_id__in=visible_agency_ids(user))
    action = request.GET.get("action", "")
    if action in ACTIONS:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("p"))
    return render(request, "audit/log.html", {
        "page": page, "actions": sorted(ACTIONS.items()), "action": action,
    })
