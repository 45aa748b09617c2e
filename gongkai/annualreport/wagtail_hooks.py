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
