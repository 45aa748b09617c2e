from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_audit_url():
    return [path("audit/", views.audit_log, name="audit_log")]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("audit.view_auditevent")


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem("审计日志", reverse("audit_log"), icon_name="list-ul", order=10000)
