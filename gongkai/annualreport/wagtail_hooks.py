"""The 年度报告 menu and the admin URLs of the annual report pages."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from gongkai.agencies.access import member_agency_ids
from gongkai.agencies.roles import Role
from gongkai.core.admin_menu import PermMenuItem


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("annual-reports/", include("gongkai.annualreport.urls_admin", namespace="annualreport_admin"))]


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(member_agency_ids(request.user, roles={Role.SUPERVISOR}))


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return PermMenuItem("年度报告", reverse("annualreport_admin:index"), icon_name="doc-full-inverse", order=350,
                        perm="annualreport.view_annualreport")


@hooks.register("register_admin_menu_item")
def register_supervision_menu_item():
    return SupervisionMenuItem("下级机关年报", reverse("annualreport_admin:supervision"), icon_name="table",
                               order=360)


@hooks.register("construct_homepage_panels")
def reports_todo(request, panels):
    """今日待办 · 年度报告: the report's state and the days left to 31 January (or how late it is)."""
    from gongkai.core.todo import TodoItem, TodoPanel

    from . import selectors

    if not request.user.has_perm("annualreport.view_annualreport"):
        return
    rows = selectors.reports_due(request.user)
    several = len({row.agency.pk for row in rows}) > 1
    items = []
    for row in rows:
        when = (f"已超过公开期限{-row.days_left}天（{row.due:%Y年%m月%d日}）" if row.late
                else f"距公开期限{row.due:%Y年%m月%d日}还有{row.days_left}天")
        url = reverse("annualreport_admin:report", args=[row.report.pk]) if row.report \
            else reverse("annualreport_admin:index")
        items.append(TodoItem(f"{row.year}年年度报告：{row.state}，{when}", url, urgent=row.late or row.days_left <= 14,
                              agency=(row.agency.short_name or row.agency.name) if several else ""))
    panels.append(TodoPanel(name="annual-reports", heading="年度报告", items=items, order=30,
                            empty="年度报告都已按期公开。", more_url=reverse("annualreport_admin:index"),
                            more_text="全部年度报告"))
