"""Admin integration: the 保密审查 screen, a friendly publish refusal, snippets for site settings and keywords."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.signals import page_published, page_unpublished
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from gongkai.agencies.access import visible_agency_ids
from gongkai.agencies.admin_scoping import AgencyScopedSnippetViewSet
from gongkai.core.admin_menu import AdministratorMenuItem

from .documents import before_serve_document, on_page_publication_changed
from .review import ScanKeyword
from .scan import scan_revision
from .models.sites import PortalSite
from .views_admin import agency_create, publish_job_retry, publish_jobs, publish_rebuild, review, same_info_convert


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("portal/review/<int:page_id>/", review, name="portal_review"),
        path("portal/publish-jobs/", publish_jobs, name="portal_publish_jobs"),
        path("portal/publish-jobs/<int:pk>/retry/", publish_job_retry, name="portal_publish_job_retry"),
        path("portal/publish-jobs/rebuild/", publish_rebuild, name="portal_publish_rebuild"),
        path("portal/agencies/new/", agency_create, name="portal_agency_create"),
        path("portal/same-info/<int:pk>/convert/", same_info_convert, name="portal_same_info_convert"),
    ]


# 依申请转主动 and 已主动公开 for the applications app (`gongkai.applications.published`): it cannot import the portal.
@hooks.register("applications_published_lookup")
def published_lookup(agency, text, limit, by_title=False):
    from .search.lookup import pages_by_title, published_matches

    return pages_by_title(agency, text, limit) if by_title else published_matches(agency, text, limit)


@hooks.register("applications_published_page")
def published_page(agency, page_id):
    from .search.lookup import published_page as lookup

    return lookup(agency, page_id)


@hooks.register("applications_same_info_actions")
def same_info_convert_action(group, user):
    from gongkai.applications.sameinfo import may_decide_group

    if group.decision is not None or not may_decide_group(user, group.first.agency):
        return []
    return [("转为主动公开", reverse("portal_same_info_convert", args=[group.first.pk]))]


class AgencyStaffMenuItem(MenuItem):
    """Shown to staff who belong to an agency (or read agencies under supervision)."""

    def is_shown(self, request):
        return bool(visible_agency_ids(request.user))


@hooks.register("register_admin_menu_item")
def agency_create_menu_item():
    return AdministratorMenuItem("新建机关", reverse("portal_agency_create"), icon_name="site", order=8900)


@hooks.register("register_admin_menu_item")
def publish_jobs_menu_item():
    return AgencyStaffMenuItem("发布任务", reverse("portal_publish_jobs"), icon_name="upload", order=250)


@hooks.register("construct_homepage_panels")
def publishing_todo(request, panels):
    """今日待办 · 网站发布: pages of my agencies whose static publication failed, to retry on 发布任务."""
    from gongkai.agencies.access import changeable_agency_ids, member_agency_ids
    from gongkai.agencies.roles import Role
    from gongkai.agencies.scope import is_global
    from gongkai.core.todo import TodoItem, TodoPanel

    from .selectors import failed_publications

    publishing = {Role.OFFICE_HEAD, Role.EDITOR, Role.REVIEWER, Role.CONFIDENTIALITY_REVIEWER, Role.SIGNER}
    agency_ids = changeable_agency_ids(request.user) if is_global(request.user) \
        else member_agency_ids(request.user, roles=publishing)
    if not agency_ids:
        return
    several = len(agency_ids) > 1
    items = [TodoItem(f"{job.get_kind_display()}《{job.title[:30]}》失败：{job.error[:60] or '原因未记录'}",
                      f"{reverse('portal_publish_jobs')}?status=failed", urgent=True,
                      agency=(job.agency.short_name or job.agency.name) if several else "")
             for job in failed_publications(agency_ids)]
    panels.append(TodoPanel(name="publishing", heading="网站发布", items=items, order=40,
                            empty="没有发布失败的页面。", more_url=reverse("portal_publish_jobs"), more_text="发布任务"))


@hooks.register("before_serve_document", order=-100)
def serve_only_published_documents(document, request):
    """Runs before Wagtail's collection check: unpublished documents are 404 except to their agency's staff."""
    return before_serve_document(document, request)


def _connect_document_publication():
    page_published.connect(on_page_publication_changed, dispatch_uid="gongkai_documents_published")
    page_unpublished.connect(on_page_publication_changed, dispatch_uid="gongkai_documents_unpublished")


_connect_document_publication()


@hooks.register("before_publish_page")
def refuse_unreviewed(request, page):
    """Say in words why a page cannot be published instead of a bare 403 (the guard still decides)."""
    if not hasattr(page, "agency_id"):
        return None

    report = scan_revision(page.specific if hasattr(page, "specific") else page)
    if report.pending:
        messages.error(request, f"{report.pending_message()}：文字提取完成、保密审查确认之前不能发布。")
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    if report.unconfirmed:
        listed = "；".join(f"{h.label} {h.masked}（{h.where}）" for h in report.unconfirmed[:5])
        messages.error(request, f"有{len(report.unconfirmed)}处内容未经保密审查确认，不能直接发布：{listed}。"
                                "请点击“提交信息发布审核”，由保密审查人确认或退回。")
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_bulk_action")
def refuse_unreviewed_bulk(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None

    blocked = []
    for obj in objects:
        page = obj.specific if hasattr(obj, "specific") else obj
        if not hasattr(page, "agency_id"):
            continue
        revision = page.get_latest_revision()
        if revision is not None and not scan_revision(page, revision).clean:
            blocked.append(page.title)
    if blocked:
        messages.error(request, "以下页面有未经保密审查确认的内容（或附件正在提取文字），不能批量发布："
                       + "、".join(blocked[:10]) + "。请提交“信息发布审核”流程。")
        return redirect(reverse("wagtailadmin_explore_root"))
    return None


class PortalSiteViewSet(AgencyScopedSnippetViewSet):
    model = PortalSite
    icon = "site"
    menu_label = "门户网站设置"
    list_display = ["agency", "site", "sponsor", "site_code", "icp_number"]
    panels = [FieldPanel("agency"), FieldPanel("sponsor"), FieldPanel("site_code"),
              FieldPanel("icp_number"), FieldPanel("police_number"), FieldPanel("address"), FieldPanel("phone")]


class ScanKeywordViewSet(AgencyScopedSnippetViewSet):
    model = ScanKeyword
    icon = "warning"
    menu_label = "保密审查关键词"
    list_display = ["word", "agency", "note"]
    panels = [FieldPanel("agency"), FieldPanel("word"), FieldPanel("note")]


class PortalGroup(SnippetViewSetGroup):
    items = (PortalSiteViewSet, ScanKeywordViewSet)
    menu_icon = "site"
    menu_label = "门户网站"
    menu_name = "portal"


register_snippet(PortalGroup)
