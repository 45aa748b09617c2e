"""The 网站自查 menu (results, subordinate sites, 政务新媒体 accounts), its admin URLs and the start page's panel."""

from __future__ import annotations

from functools import cache

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

from gongkai.agencies.admin_scoping import ActionFormMixin, AgencyScopedSnippetViewSet
from gongkai.core import clock
from gongkai.core.admin_menu import PermMenuItem
from gongkai.core.domain import DomainError
from gongkai.interaction.wagtail_hooks import LockedAgencyForm
from gongkai.law.inspection import default_rules

from . import actions
from .models import NewMediaAccount

FIELDS = ("platform", "name", "url", "feed_url", "has_interaction")


@cache
def remind_after_days() -> int:
    """Days without an update after which the list shows the account in red (10: 4 days before the 14-day rule)."""
    rules = default_rules()
    return int(rules.v("new_media_not_updated", "days")) - int(rules.v("new_media_not_updated", "warn_days_left"))


def days_since_update(account: NewMediaAccount):
    if account.last_update is None:
        return format_html('<strong style="color: #cd4444">{}</strong>', "未登记")
    days = (clock.today() - account.last_update).days
    if days >= remind_after_days():
        return format_html('<strong style="color: #cd4444">{} 天</strong>', days)
    return f"{days} 天"


def interaction_display(account: NewMediaAccount) -> str:
    return {True: "有", False: "无", None: "未填写"}[account.has_interaction]


class NewMediaCreateView(ActionFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        account = actions.newmedia_create(data["agency"], actor=self.request.user, **{k: data[k] for k in FIELDS})
        if not data.get("is_active", True):
            account = actions.newmedia_update(account, actor=self.request.user, is_active=False)
        return account


class NewMediaEditView(ActionFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.newmedia_update(
            NewMediaAccount.objects.get(pk=self.object.pk), actor=self.request.user,
            is_active=data["is_active"], **{k: data[k] for k in FIELDS},
        )


class NewMediaIndexView(IndexView):
    record_update_url_name = ""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("inspection.change_newmediaaccount"):
            buttons.insert(0, ListingButton(
                "登记更新", reverse(self.record_update_url_name, args=[instance.pk]), icon_name="date",
                attrs={"aria-label": f"登记“{instance.name}”的更新"}, priority=5))
        return buttons


class RecordUpdateForm(forms.Form):
    on = forms.DateField(label="更新日期", widget=AdminDateInput,
                         help_text="该账号最近一次发布内容的日期（不能晚于今天）。")


class RecordUpdateView(WagtailAdminTemplateMixin, FormView):
    """登记更新: the date the account last published something (default today)."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = RecordUpdateForm
    header_icon = "date"
    model = NewMediaAccount
    index_url_name = record_update_url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("inspection.change_newmediaaccount"):
            raise PermissionDenied
        # The viewset has already refused another agency's account (404) before this runs.
        self.object = get_object_or_404(NewMediaAccount, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "登记更新"

    def get_page_subtitle(self):
        return str(self.object)

    def get_initial(self):
        return {"on": clock.today()}

    def get_breadcrumbs_items(self):
        return [{"url": reverse(self.index_url_name), "label": "政务新媒体"},
                {"url": "", "label": f"登记更新：{self.object}"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        last = self.object.last_update
        context.update(
            action_url=reverse(self.record_update_url_name, args=[self.object.pk]),
            submit_button_label="登记更新", submit_button_active_label="正在登记…",
            page_subtitle=f"{self.object}（最近更新：{last:%Y-%m-%d}）" if last else f"{self.object}（尚未登记更新）",
        )
        return context

    def form_valid(self, form):
        try:
            actions.newmedia_record_update(self.object, actor=self.request.user, on=form.cleaned_data["on"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已登记“{self.object.name}”于 {form.cleaned_data['on']:%Y-%m-%d} 更新。")
        return redirect(self.index_url_name)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class NewMediaViewSet(AgencyScopedSnippetViewSet):
    model = NewMediaAccount
    icon = "mail"
    menu_label = "政务新媒体"
    add_to_admin_menu = False
    list_display = [
        "name",
        Column("platform", label="平台", accessor="get_platform_display"),
        Column("last_update", label="最近更新日期"),
        Column("days_since_update", label="距上次更新", accessor=days_since_update),
        Column("has_interaction", label="互动功能", accessor=interaction_display),
        "agency",
    ]
    list_filter = ["platform", "is_active"]
    search_fields = ["name"]
    base_form_class = LockedAgencyForm
    index_view_class = NewMediaIndexView
    add_view_class = NewMediaCreateView
    edit_view_class = NewMediaEditView
    panels = [FieldPanel("agency"), *(FieldPanel(f) for f in FIELDS), FieldPanel("is_active")]

    def get_index_view_kwargs(self, **kwargs):
        return {**super().get_index_view_kwargs(**kwargs), "record_update_url_name": self.get_url_name("record_update")}

    @property
    def record_update_view(self):
        return self.construct_view(RecordUpdateView, index_url_name=self.get_url_name("list"),
                                   record_update_url_name=self.get_url_name("record_update"))

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path(f"record-update/<{self.pk_path_converter}:pk>/", self.record_update_view,
                     name="record_update")]


newmedia_viewset = NewMediaViewSet()
register_snippet(newmedia_viewset)


class SupervisedSitesMenuItem(PermMenuItem):
    def is_shown(self, request):
        from .selectors import supervised_site_ids

        return super().is_shown(request) and bool(supervised_site_ids(request.user))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("inspection/", include("gongkai.inspection.urls_admin", namespace="inspection_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        PermMenuItem("本单位网站自查", reverse("inspection_admin:index"), icon_name="tasks", order=1,
                     perm="inspection.view_siteinspection"),
        SupervisedSitesMenuItem("下级机关网站检查", reverse("inspection_admin:supervision"), icon_name="table", order=5,
                                perm="inspection.view_siteinspection"),
        PermMenuItem("政务新媒体", reverse(newmedia_viewset.get_url_name("list")), icon_name="mail", order=10,
                     perm="inspection.view_newmediaaccount"),
    ]
    return SubmenuMenuItem("网站自查", Menu(items=items), icon_name="tasks", order=175, name="inspection")


@hooks.register("construct_homepage_panels")
def inspection_todo(request, panels):
    """今日待办 · 网站自查: the state of each own site and every veto, risk and reminder to act on."""
    from gongkai.core.todo import TodoItem, TodoPanel

    from . import selectors

    if not request.user.has_perm("inspection.view_siteinspection"):
        return
    rows = selectors.site_rows(selectors.own_site_ids(request.user), days=1)
    if not rows:
        return
    several = len(rows) > 1
    items = []
    for row in rows:
        url = reverse("inspection_admin:site", args=[row.site.pk])
        who = (row.site.agency.short_name or row.site.agency.name) if several else ""
        if row.latest is None:
            items.append(TodoItem("网站尚未自查：打开后点“立即检查”", url, agency=who))
            continue
        for f in row.findings:
            if f["level"] in ("veto", "risk", "warn"):
                items.append(TodoItem(f"{selectors.LEVEL_LABELS[f['level']]}：{f['title']}——{f['detail']}", url,
                                      urgent=f["level"] in ("veto", "risk"), agency=who))
    heading = "网站自查"
    if len(rows) == 1 and rows[0].latest:
        latest = rows[0].latest
        heading = f"网站自查（{latest.on:%m月%d日}：{latest.state}）"
    panels.append(TodoPanel(name="inspection", heading=heading, items=items, order=35,
                            empty="网站自查未发现单项否决风险。", more_url=reverse("inspection_admin:index"),
                            more_text="网站自查详情"))
