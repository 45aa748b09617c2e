"""Agencies and roles in the Wagtail admin; saves go through gongkai.agencies.actions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Page, PageLogEntry, Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    SnippetViewSetGroup,
)

from gongkai.core.domain import DomainError

from . import actions, scope
from .admin_scoping import AgencyScopedSnippetViewSet
from .models import Agency, Membership


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.cleaned_data}


class AgencyCreateView(CreateView):
    def save_instance(self):
        return actions.agency_create(actor=self.request.user, **_fields(self.form))


class AgencyEditView(EditView):
    def save_instance(self):
        agency = Agency.objects.get(pk=self.object.pk)
        return actions.agency_update(agency, actor=self.request.user, **_fields(self.form))


class MembershipCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return actions.membership_grant(data["user"], data["agency"], data["role"], actor=self.request.user)
        except DomainError as exc:  # already held: show it on the form
            raise ValidationError(str(exc)) from None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)


class MembershipEditView(EditView):
    """A role change is a revocation plus a grant, both audited."""

    def save_instance(self):
        old = Membership.objects.get(pk=self.object.pk)
        data = self.form.cleaned_data
        actions.membership_revoke(old, actor=self.request.user)
        return actions.membership_grant(data["user"], data["agency"], data["role"], actor=self.request.user)


class MembershipDeleteView(DeleteView):
    def delete_action(self):
        actions.membership_revoke(self.object, actor=self.request.user)


class AgencyViewSet(AgencyScopedSnippetViewSet):
    model = Agency
    icon = "site"
    inspect_view_enabled = True
    menu_label = "机构"
    list_display = ["name", "credit_code", "level", "kind", "supervisor", BooleanColumn("is_demo", label="演示数据")]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name", "credit_code"]
    add_view_class = AgencyCreateView
    edit_view_class = AgencyEditView
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("credit_code"),
        FieldPanel("site_code"),
        FieldPanel("level"),
        FieldPanel("kind"),
        FieldPanel("supervisor"),
        FieldPanel("is_demo"),
    ]


class MembershipViewSet(AgencyScopedSnippetViewSet):
    model = Membership
    icon = "group"
    inspect_view_enabled = True
    menu_label = "角色授权"
    list_display = ["user", "agency", "role", "granted_at"]
    list_filter = ["role"]
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    panels = [FieldPanel("user"), FieldPanel("agency"), FieldPanel("role")]


class AgencyGroup(SnippetViewSetGroup):
    items = (AgencyViewSet, MembershipViewSet)
    menu_icon = "site"
    menu_label = "机构与人员"
    menu_name = "agencies"


register_snippet(AgencyGroup)


# Wagtail's page and document lists know nothing of agencies: narrow them to the
# agencies the user may read. (The admin guard refuses foreign ids in URLs.)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer_pages(parent_page, pages, request):
    condition = scope.visible_pages_q(request.user)
    return pages if condition is None else pages.filter(condition)


@hooks.register("construct_page_chooser_queryset")
def scope_chooser_pages(pages, request):
    condition = scope.visible_pages_q(request.user)
    return pages if condition is None else pages.filter(condition)


@hooks.register("construct_document_chooser_queryset")
def scope_chooser_documents(documents, request):
    if scope.is_global(request.user):
        return documents
    return documents.filter(collection__in=scope.visible_collection_ids(request.user))


def _scope_page_listing_filters() -> None:
    """The page explorer's filters offer every site, owner and editor of the installation: narrow them.

    Wagtail gives no hook for these choices, so their querysets (callables of the request,
    as django-filter allows) are replaced on the filter set and every subclass of it.
    """
    def pages(request):
        condition = scope.visible_pages_q(request.user)
        return Page.objects.all() if condition is None else Page.objects.filter(condition)

    def sites(request):
        return Site.objects.filter(root_page__in=pages(request))

    def owners(request):
        return get_user_model().objects.filter(pk__in=pages(request).order_by().values("owner_id"))

    def editors(request):
        edits = PageLogEntry.objects.filter(action="wagtail.edit", page__in=pages(request)).order_by()
        return get_user_model().objects.filter(pk__in=edits.values("user_id"))

    todo = [PageFilterSet]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        for name, queryset in (("site", sites), ("owner", owners), ("edited_by", editors)):
            if name in cls.base_filters:
                cls.base_filters[name].queryset = queryset


_scope_page_listing_filters()
