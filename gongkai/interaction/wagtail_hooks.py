"""The 互动交流 menu, staff pages, and the department and settings snippets in the Wagtail admin."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView

from gongkai.agencies.admin_scoping import ActionFormMixin, AgencyScopedForm, AgencyScopedSnippetViewSet
from gongkai.applications.nextstep import may_handle
from gongkai.core.admin_menu import PermMenuItem

from . import actions
from .models import Department, MessageSettings
from .selectors import application_convertible
from .views_admin import FromApplicationView


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("interaction/", include("gongkai.interaction.urls_admin", namespace="interaction_admin"))]


@hooks.register("applications_case_actions")
def offer_conversion_to_message(application, user):
    """On an application's case page: 转为留言办理 once it is closed as a petition or complaint (第三十九条)."""
    if may_handle(user, application) and application_convertible(application):
        return [(FromApplicationView.label, reverse("interaction_admin:from_application", args=[application.pk]))]
    return []


class DepartmentCreateView(ActionFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.department_create(data["agency"], actor=self.request.user, name=data["name"])


class DepartmentEditView(ActionFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.department_update(
            Department.objects.get(pk=self.object.pk), actor=self.request.user,
            name=data["name"], is_active=data["is_active"],
        )


class LockedAgencyForm(AgencyScopedForm):
    """A saved record stays with its agency: the agency field is read-only when editing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "agency" in self.fields:
            self.fields["agency"].disabled = True


class DepartmentViewSet(AgencyScopedSnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "办理部门"
    add_to_admin_menu = False
    list_display = ["name", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    base_form_class = LockedAgencyForm
    add_view_class = DepartmentCreateView
    edit_view_class = DepartmentEditView
    panels = [FieldPanel("agency"), FieldPanel("name"), FieldPanel("is_active")]


SETTINGS_VALUES = ("consult_days", "suggestion_days", "complaint_days", "director_mailbox_days",
                   "remind_before_days", "approver")


class SettingsCreateView(ActionFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.message_settings_update(
            data["agency"], actor=self.request.user, **{k: data[k] for k in SETTINGS_VALUES})


class SettingsEditView(ActionFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.message_settings_update(
            self.object.agency, actor=self.request.user, **{k: data[k] for k in SETTINGS_VALUES})


class MessageSettingsViewSet(AgencyScopedSnippetViewSet):
    model = MessageSettings
    icon = "time"
    menu_label = "办理时限设置"
    add_to_admin_menu = False
    base_form_class = LockedAgencyForm
    list_display = ["agency", "consult_days", "suggestion_days", "complaint_days", "director_mailbox_days",
                    "approver"]
    add_view_class = SettingsCreateView
    edit_view_class = SettingsEditView
    panels = [FieldPanel("agency"), *(FieldPanel(f) for f in SETTINGS_VALUES)]


department_viewset = DepartmentViewSet()
settings_viewset = MessageSettingsViewSet()
register_snippet(department_viewset)
register_snippet(settings_viewset)


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        PermMenuItem("留言办理", reverse("interaction_admin:list"), icon_name="list-ul", order=10,
                     perm="interaction.view_message"),
        PermMenuItem("超期看板", reverse("interaction_admin:board"), icon_name="warning", order=20,
                     perm="interaction.view_message"),
        PermMenuItem("登记留言", reverse("interaction_admin:register"), icon_name="plus", order=30,
                     perm="interaction.add_message"),
        PermMenuItem("导入工单", reverse("interaction_admin:import"), icon_name="upload", order=40,
                     perm="interaction.add_message"),
        PermMenuItem("统计", reverse("interaction_admin:stats"), icon_name="table", order=50,
                     perm="interaction.view_message"),
        PermMenuItem("办理部门", reverse(department_viewset.get_url_name("list")), icon_name="group", order=60,
                     perm="interaction.view_department"),
        PermMenuItem("办理时限设置", reverse(settings_viewset.get_url_name("list")), icon_name="time", order=70,
                     perm="interaction.view_messagesettings"),
    ]
    return SubmenuMenuItem("互动交流", Menu(items=items), icon_name="mail", order=160, name="interaction")


@hooks.register("construct_homepage_panels")
def messages_todo(request, panels):
    """今日待办 · 互动交流: ticket imports that failed, messages past 3 months, overdue, near their limit, or
    waiting for triage."""
    from gongkai.core.todo import TodoItem, TodoPanel

    from . import selectors

    if not request.user.has_perm("interaction.view_message"):
        return
    agency_ids = selectors.agency_ids_for(request.user)
    if not agency_ids:
        return
    board = selectors.overdue_board(request.user, agency_ids=agency_ids)
    several = len(agency_ids) > 1
    items, seen = [], set()
    for job in selectors.failed_imports(agency_ids):
        why = "处理失败" if job.status == job.Status.FAILED else "文件有误，未导入"
        items.append(TodoItem(f"工单导入《{job.filename}》{why}（{timezone.localtime(job.created_at):%m月%d日 %H:%M}）",
                              f"{reverse('interaction_admin:import')}?job={job.pk}", urgent=True,
                              agency=(job.agency.short_name or job.agency.name) if several else ""))
    groups = ((board.veto, True, lambda d: f"超过3个月未答复（{d.veto_on:%m月%d日}起），网站检查单项否决"),
              (board.overdue, True, lambda d: f"已超期{-d.remaining}个工作日"),
              (board.due_soon, False, lambda d: f"{d.due_on:%m月%d日}到期（还有{d.remaining}个工作日）"),
              (board.untriaged, False, lambda d: "待分办"))
    for rows, urgent, say in groups:
        for row in rows:
            if row.message.pk in seen:
                continue
            seen.add(row.message.pk)
            items.append(TodoItem(f"留言《{row.title[:30]}》— {say(row.deadline)}",
                                  reverse("interaction_admin:case", args=[row.message.pk]), urgent=urgent,
                                  agency=(row.message.agency.short_name or row.message.agency.name) if several else ""))
    panels.append(TodoPanel(name="messages", heading="互动交流", items=items, order=20,
                            empty="没有超期、临近期限或待分办的留言。",
                            more_url=reverse("interaction_admin:board"), more_text="留言办理看板"))
