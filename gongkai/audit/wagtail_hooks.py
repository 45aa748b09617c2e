from django.urls import path, reverse
from wagtail import hooks

from gongkai.core.admin_menu import PermMenuItem

from . import views_admin


@hooks.register("register_admin_urls")
def register_audit_url():
    return [path("audit/", views_admin.audit_log, name="audit_log")]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return PermMenuItem("审计日志", reverse("audit_log"), icon_name="list-ul", order=10000,
                        perm="audit.view_auditevent")
