"""The 依申请公开 menu, the staff case pages and the read-only record lists in the Wagtail admin."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView, SnippetViewSet

from gongkai.agencies.access import changeable_agency_ids
from gongkai.agencies.admin_scoping import ActionFormMixin, AgencyScopedForm, AgencyScopedSnippetViewSet
from gongkai.core.admin_menu import PermMenuItem
from gongkai.core.domain import DomainError

from . import actions, letters
from gongkai.law.letternumbers import DEFAULT_PATTERN, PLACEHOLDERS as NUMBER_PLACEHOLDERS, PatternError, check_pattern

from .models import Applicant, LetterNumberPattern, LetterTemplate, Litigation, Reconsideration, RecomputeJob


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("applications/", include("gongkai.applications.urls_admin", namespace="applications_admin"))]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Applicant rows are what was given with an application: read here, never edited."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class ApplicantInspectView(InspectView):
    """Masked values only; the full ones are on the case page, behind an audited click."""

    def get_id_number_display_value(self):
        return self.object.masked_id

    def get_phone_display_value(self):
        return self.object.masked_phone

    def get_email_display_value(self):
        return self.object.masked_email or "-"

    def get_address_display_value(self):
        return self.object.masked_address or "-"


register_permission_policy(Applicant, ReadOnlyPolicy(Applicant))


class ApplicantViewSet(AgencyScopedSnippetViewSet):
    model = Applicant
    icon = "user"
    menu_label = "申请人"
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = ApplicantInspectView
    inspect_view_fields_exclude = ["identity_hash", "phone_hash"]
    list_display = ["name", "kind", "id_type", "masked_id", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ReconsiderationViewSet(AgencyScopedSnippetViewSet):
    model = Reconsideration
    icon = "doc-full"
    menu_label = "行政复议"
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = ["__str__", "body", "filed_on", "result", "concluded_on"]
    list_filter = ["result"]


class LitigationViewSet(AgencyScopedSnippetViewSet):
    model = Litigation
    icon = "doc-full"
    menu_label = "行政诉讼"
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = ["__str__", "route", "court", "filed_on", "result", "concluded_on"]
    list_filter = ["route", "result"]


class LetterTemplateForm(forms.ModelForm):
    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            letters.check_template(body)
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None
        return body


class LetterTemplateEditView(EditView):
    def save_instance(self):
        return actions.letter_template_update(
            LetterTemplate.objects.get(pk=self.object.pk), actor=self.request.user, **{
                k: self.form.cleaned_data[k] for k in ("title", "body", "article")})


class LetterTemplateViewSet(SnippetViewSet):
    model = LetterTemplate
    icon = "doc-empty"
    menu_label = "文书模板"
    add_to_admin_menu = False
    list_display = ["title", "key", "updated_at"]
    search_fields = ["title", "key"]
    edit_view_class = LetterTemplateEditView
    panels = [FieldPanel("title"), FieldPanel("body", help_text="占位符：" + "、".join(
        "{" + k + "}" for k in letters.PLACEHOLDERS)), FieldPanel("article")]

    def get_form_class(self, for_update=False):
        base = super().get_form_class(for_update)
        return type("CheckedLetterTemplateForm", (LetterTemplateForm, base), {})


class LetterNumberPatternForm(AgencyScopedForm):
    """Agency and kind are fixed once saved (another kind is another row); the pattern is checked by the action."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("agency", "letter_kind"):
                if name in self.fields:
                    self.fields[name].disabled = True
        elif self.for_user is not None and len(ids := changeable_agency_ids(self.for_user)) == 1:
            self.initial.setdefault("agency", next(iter(ids)))  # the head of one agency need not choose it

    def clean_pattern(self):
        # The action checks it again; here so that the message sits under the field (before the DB constraint).
        try:
            return check_pattern(self.cleaned_data["pattern"])
        except PatternError as exc:
            raise forms.ValidationError(str(exc)) from None


class LetterNumberPatternCreateView(ActionFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.letter_number_pattern_set(data["agency"], actor=self.request.user,
                                                 letter_kind=data["letter_kind"], pattern=data["pattern"])


class LetterNumberPatternEditView(ActionFormMixin, EditView):
    def save_instance(self):
        return actions.letter_number_pattern_set(self.object.agency, actor=self.request.user,
                                                 letter_kind=self.object.letter_kind,
                                                 pattern=self.form.cleaned_data["pattern"])


NUMBER_HELP = ("例如 洛退役依申答〔{年}〕{序号}号；未设置的文书按 " + DEFAULT_PATTERN + " 编号。占位符："
               + "；".join("{" + k + "}：" + v for k, v in NUMBER_PLACEHOLDERS.items())
               + "。同一文号前缀在同一年内的序号连续且不重复，已编发的文号不会改变。")


class LetterNumberPatternViewSet(AgencyScopedSnippetViewSet):
    model = LetterNumberPattern
    icon = "tag"
    menu_label = "文号格式"
    add_to_admin_menu = False
    base_form_class = LetterNumberPatternForm
    list_display = ["agency", "letter_kind", "pattern", "updated_at"]
    add_view_class = LetterNumberPatternCreateView
    edit_view_class = LetterNumberPatternEditView
    panels = [FieldPanel("agency"), FieldPanel("letter_kind"), FieldPanel("pattern", help_text=NUMBER_HELP)]


applicant_viewset = ApplicantViewSet()
review_viewset = ReconsiderationViewSet()
litigation_viewset = LitigationViewSet()
template_viewset = LetterTemplateViewSet()
number_pattern_viewset = LetterNumberPatternViewSet()
for viewset in (applicant_viewset, review_viewset, litigation_viewset, template_viewset, number_pattern_viewset):
    register_snippet(viewset)


def _url(name):
    return lambda: reverse(name)


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        PermMenuItem("申请办理", reverse("applications_admin:list"), icon_name="list-ul", order=10,
                     perm="applications.view_application"),
        PermMenuItem("答复期限看板", reverse("applications_admin:board"), icon_name="date", order=20,
                     perm="applications.view_application"),
        PermMenuItem("依申请转主动", reverse("applications_admin:same_info"), icon_name="upload", order=25,
                     perm="applications.view_application"),
        PermMenuItem("登记申请", reverse("applications_admin:register"), icon_name="plus", order=30,
                     perm="applications.add_application"),
        PermMenuItem("申请人", reverse(applicant_viewset.get_url_name("list")), icon_name="user", order=40,
                     perm="applications.view_applicant"),
        PermMenuItem("行政复议", reverse(review_viewset.get_url_name("list")), icon_name="doc-full", order=50,
                     perm="applications.view_reconsideration"),
        PermMenuItem("行政诉讼", reverse(litigation_viewset.get_url_name("list")), icon_name="doc-full", order=60,
                     perm="applications.view_litigation"),
        PermMenuItem("文书模板", reverse(template_viewset.get_url_name("list")), icon_name="doc-empty", order=70,
                     perm="applications.change_lettertemplate"),
        PermMenuItem("文号格式", reverse(number_pattern_viewset.get_url_name("list")), icon_name="tag", order=80,
                     perm="applications.view_letternumberpattern"),
    ]
    return SubmenuMenuItem("依申请公开", Menu(items=items), icon_name="doc-full", order=150, name="applications")


@hooks.register("calendar_year_jobs")
def calendar_recompute_jobs(request):
    """The calendar page shows the recompute jobs: every one still running and those of the last day."""
    recent = RecomputeJob.objects.filter(created_at__gte=timezone.now() - timedelta(days=1))
    pending = RecomputeJob.objects.filter(status__in=[RecomputeJob.Status.QUEUED, RecomputeJob.Status.RUNNING])
    return list((recent | pending).distinct().order_by("-created_at", "-id")[:5])


@hooks.register("construct_homepage_panels")
def deadlines_todo(request, panels):
    """今日待办 · 依申请公开: for those who may read cases, the cases overdue or due within 3 working days;
    for their handlers, first the steps the system took by itself (`CaseNotice`) until one has read them."""
    from gongkai.core.todo import TodoItem, TodoPanel

    from gongkai.agencies.access import member_agency_ids

    from . import lapses, selectors
    from .nextstep import HANDLER_ROLES

    if not request.user.has_perm("applications.view_application"):
        return
    agency_ids = selectors.agency_ids_for(request.user)
    if not agency_ids:
        return
    board = selectors.deadlines_board(agency_ids=agency_ids)
    several = len(agency_ids) > 1
    items = [TodoItem(f"申请 {n.application.number}：系统自动处理 — {n.get_kind_display()}（{n.on:%m月%d日}），请知悉",
                      reverse("applications_admin:case", args=[n.application_id]) + "#auto", urgent=True,
                      agency=(n.agency.short_name or n.agency.name) if several else "")
             for n in lapses.unseen_notices(agency_ids=agency_ids & member_agency_ids(request.user, HANDLER_ROLES))]
    for row, urgent in [(r, True) for r in board.overdue] + [(r, False) for r in board.due_soon]:
        app = row.application
        when = (f"已逾期{-row.days_left}个工作日" if urgent and row.days_left is not None
                else f"{row.due:%m月%d日}到期" + (f"（还有{row.days_left}个工作日）" if row.days_left is not None else ""))
        items.append(TodoItem(f"申请 {app.number}：{app.subject[:30]} — {when}",
                              reverse("applications_admin:case", args=[app.pk]), urgent=urgent,
                              agency=(app.agency.short_name or app.agency.name) if several else ""))
    panels.append(TodoPanel(name="applications", heading="依申请公开", items=items, order=10,
                            empty="没有逾期或3个工作日内到期的申请，也没有待知悉的自动处理事项。",
                            more_url=reverse("applications_admin:board"), more_text="答复期限看板"))
