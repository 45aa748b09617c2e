"""The 互动交流 menu, staff pages, and the department and settings snippets in the Wagtail admin."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView

from gongkai.agencies.admin_scoping import AgencyScopedForm, AgencyScopedSnippetViewSet
from gongkai.applications.nextstep import may_handle
from gongkai.core.admin_menu import PermMenuItem
from gongkai.core.domain import DomainError

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


class ActionFormMixin:
    """Run the audited action instead of saving the model; show its refusal on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)


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
