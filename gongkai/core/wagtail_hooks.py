"""Admin integration of the platform core: the CSP-safe initialiser script, the 后台任务 page."""

from django.urls import path, reverse
from wagtail import hooks

from .admin_menu import AdministratorMenuItem
from .cspadmin import script_tag
from .views_admin import task_queue


@hooks.register("insert_global_admin_js")
def csp_init_script():
    return script_tag()


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("tasks/", task_queue, name="core_task_queue")]


@hooks.register("register_admin_menu_item")
def task_queue_menu_item():
    return AdministratorMenuItem("后台任务", reverse("core_task_queue"), icon_name="cogs", order=9000)
