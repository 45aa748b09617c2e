"""The 保密审查 screen: the scan of the revision under review, per-hit confirmation, send back, pass."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Page

from gongkai.agencies.access import has_role
from gongkai.agencies.roles import Role
from gongkai.core.domain import DomainError

from . import actions
from .models.review_task import open_review_state
from .scan import scan_revision


def review(request, page_id: int):
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not hasattr(page.specific_deferred, "agency_id"):
        raise Http404
    page = page.specific
    if not has_role(request.user, page.agency, Role.CONFIDENTIALITY_REVIEWER):
        raise PermissionDenied
    state = open_review_state(page)
    revision = state.revision if state else page.get_latest_revision()
    report = scan_revision(page, revision)
    if request.method == "POST" and state is not None:
        op = request.POST.get("op")
        try:
            if op == "confirm":
                fingerprint = request.POST.get("fingerprint", "")
                hit = next((h for h in report.unconfirmed if h.fingerprint == fingerprint), None)
                if hit is None:
                    raise DomainError("没有找到这一项，可能已经确认过，请刷新页面。")
                actions.scan_hit_confirm(page, hit, actor=request.user, reason=request.POST.get("reason", "").strip())
                messages.success(request, f"已确认：{hit.label} {hit.masked}")
                return redirect(reverse("portal_review", args=[page.pk]))
            if op == "send_back":
                actions.review_send_back(state, actor=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, f"已将“{page.title}”退回编辑修改。")
                return redirect(reverse("wagtailadmin_home"))
            if op == "pass":
                actions.review_pass(state, actor=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, f"“{page.title}”已通过保密审查，进入签发。")
                return redirect(reverse("wagtailadmin_home"))
        except DomainError as exc:
            messages.error(request, str(exc))
    if request.GET.get("blocked"):
        messages.error(request, "还有扫描命中未确认，不能通过保密审查：请逐项确认或退回修改。")
    return TemplateResponse(request, "portal/admin/review.html", {
        "page": page, "state": state, "revision": revision, "report": report,
        "confirmed_hits": [(h, report.confirmed[h.fingerprint]) for h in report.hits if h.fingerprint in report.confirmed],
        "comment": request.POST.get("comment", ""),
    })
