"""The 保密审查 screen: the scan of the revision under review, per-hit confirmation, send back, pass."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Page

from gongkai.agencies.access import changeable_agency_ids, has_role, visible_agency_ids
from gongkai.agencies.scope import is_global
from gongkai.agencies.roles import Role
from gongkai.core.domain import DomainError
from gongkai.core.taskstatus import queue_status

from . import actions, mounts
from .actions import publishing, sites
from .forms import AgencyWithSiteForm
from .models.publishjobs import PublishJob, RebuildJob
from .models.review_task import open_review_state
from .publish import rebuildable_sites
from .setup import agency_workflow_name
from .scan import scan_revision
from .selectors import paginate


def review(request, page_id: int):
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not hasattr(page.specific_deferred, "agency_id"):
        raise Http404
    page = page.specific
    if not has_role(request.user, page.agency, Role.CONFIDENTIALITY_REVIEWER):
        raise PermissionDenied
    state = open_review_state(page)
    revision = page.get_latest_revision()  # the content an approval is of (receivers.approval_is_of_the_latest_revision)
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


def publish_jobs(request):
    """发布任务: the static publications of the user's agencies, newest first, with failed ones to retry."""
    jobs = PublishJob.objects.filter(agency_id__in=visible_agency_ids(request.user)).select_related("agency")
    status = request.GET.get("status", "")
    if status in PublishJob.Status.values:
        jobs = jobs.filter(status=status)
    counts = {s: n for s, n in PublishJob.objects.filter(agency_id__in=visible_agency_ids(request.user))
              .values_list("status").annotate(n=Count("pk"))}
    page = paginate(jobs, request, size=50)
    rebuilds = list(RebuildJob.objects.order_by("-created_at")[:10]) if is_global(request.user) else []
    return TemplateResponse(request, "portal/admin/publish_jobs.html", {
        "page_obj": page, "status": status, "statuses": PublishJob.Status.choices,
        "counts": [(value, label, counts.get(value, 0)) for value, label in PublishJob.Status.choices],
        "can_retry": changeable_agency_ids(request.user),
        "administrator": is_global(request.user), "rebuilds": rebuilds,
        "refresh": any(r.status == RebuildJob.Status.RUNNING for r in rebuilds)
        or any(job.status == PublishJob.Status.QUEUED for job in page.object_list),
        "sites": [(site, mounts.public_address(site.hostname, site.port)) for site in rebuildable_sites()]
        if is_global(request.user) else [],
    })


def publish_rebuild(request):
    """Administrators start a full rebuild of one site (or all) in chunks for the workers."""
    if not is_global(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(reverse("portal_publish_jobs"))
    chosen = request.POST.get("site", "")
    targets = [s for s in rebuildable_sites() if chosen == "all" or str(s.pk) == chosen]
    if not targets:
        messages.error(request, "请选择要重建的网站。")
        return redirect(reverse("portal_publish_jobs"))
    for site in targets:
        job = publishing.site_rebuild(site, actor=request.user)
        messages.success(request, f"已开始重建 {job.hostname}：{job.pages_total} 个页面，分 {job.chunks_total} 片由后台工作进程生成。")
    for problem in queue_status()[1]:
        messages.warning(request, problem)
    return redirect(reverse("portal_publish_jobs"))


def publish_job_retry(request, pk: int):
    if request.method != "POST":
        return redirect(reverse("portal_publish_jobs"))
    job = PublishJob.objects.filter(pk=pk, agency_id__in=visible_agency_ids(request.user)).first()
    if job is None:
        raise Http404
    try:
        publishing.publish_job_retry(job, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重新提交：《{job.title}》，本页会自动刷新显示结果。")
    return redirect(reverse("portal_publish_jobs"))


def agency_create(request):
    """新建机关: administrators create an agency with its site, groups, workflow and office head in one step."""
    if not is_global(request.user):
        raise PermissionDenied
    form = AgencyWithSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agency, site, head, password = sites.agency_with_site_create(
                actor=request.user, hostname=data.pop("host"), port=data.pop("port"),
                head_username=data.pop("head_username"), head_email=data.pop("head_email"), **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return TemplateResponse(request, "portal/admin/agency_created.html", {
                "agency": agency, "site": site, "head": head, "password": password,
                "site_url": f"http://{mounts.public_address(site.hostname, site.port)}/",
                "workflow_name": agency_workflow_name(agency)})
    return TemplateResponse(request, "portal/admin/agency_create.html", {"form": form},
                            status=400 if form.errors else 200)


def same_info_convert(request, pk: int):
    """转为主动公开 (《条例》第四十四条), posted from the 依申请转主动 board: a draft page for the case's group."""
    from gongkai.applications.models import Application

    from .actions.proactive import same_info_group_convert

    board = reverse("applications_admin:same_info")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={board}")
    application = (Application.objects.filter(pk=pk, agency_id__in=visible_agency_ids(request.user))
                   .select_related("agency").first())
    if application is None:
        raise Http404
    if request.method != "POST":
        return redirect(board)
    try:
        row = same_info_group_convert(application, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已生成主动公开草稿《{row.page_title}》：请编辑完善后提交审核（初审 → 保密审查 → 签发）。")
    return redirect(board)
