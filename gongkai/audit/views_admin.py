"""A read-only audit log page in the admin, scoped to the agencies the user may see, with a CSV export."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.agencies.access import _is_global, visible_agency_ids

from .codes import ACTIONS
from .integrity import in_period, write_csv
from .models import AuditEvent
from .record import record


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None


def _filtered(request):
    """The events this user may read, narrowed by the page's filters (action, from, to)."""
    user = request.user
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied

    events = AuditEvent.objects.select_related("agency", "actor")
    if not _is_global(user):
        events = events.filter(agency_id__in=visible_agency_ids(user))
    action = request.GET.get("action", "")
    if action in ACTIONS:
        events = events.filter(action=action)
    else:
        action = ""
    date_from, date_to = _parse_date(request.GET.get("from")), _parse_date(request.GET.get("to"))
    return in_period(events, date_from, date_to), {"action": action, "date_from": date_from, "date_to": date_to}


def audit_log(request):
    events, filters = _filtered(request)
    if request.GET.get("format") == "csv":
        return _export(request, events, filters)
    page = Paginator(events, 50).get_page(request.GET.get("p"))
    query = "&".join(f"{k}={v}" for k, v in (("action", filters["action"]),
                                                ("from", filters["date_from"] or ""), ("to", filters["date_to"] or "")) if v)
    return render(request, "audit/log.html", {
        "page": page, "actions": sorted(ACTIONS.items()), "query": query, **filters,
    })


class _Echo:
    def __init__(self):
        self.chunks: list[str] = []

    def write(self, text: str) -> None:
        self.chunks.append(text)


def _export(request, events, filters):
    """The same events as the page (same scope and filters) as CSV, oldest first; the export is audited."""
    buffer = _Echo()
    count = write_csv(events, buffer)
    membership = None if _is_global(request.user) else request.user.memberships.select_related("agency").first()
    record("audit.export", actor=request.user, agency=membership.agency if membership else None,
           new={"from": str(filters["date_from"] or ""), "to": str(filters["date_to"] or ""),
                "action": filters["action"], "count": count, "channel": "admin"})
    response = StreamingHttpResponse(iter(buffer.chunks), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''audit-{stamp}.csv"
    return response
