"""Wagtail admin views that show staff only the records of their own agencies.

Use `AgencyScopedSnippetViewSet` for every snippet model that belongs to an agency:
the index lists only visible records, every view addressed by a primary key refuses
records of other agencies (reading needs visibility, writing needs membership), and the
`agency` field of its forms offers only the user's own agencies. Its chooser (the modal
other forms open to pick a record) lists and returns only visible records, answers 403
to a user who holds no permission on the model, and refuses creation (records are
created through the audited actions, never from a chooser).

Every other admin URL passes `gongkai.agencies.admin_guard`, which refuses what is not
known to be scoped.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet

from gongkai.core.domain import DomainError
from gongkai.law.masking import mask_personal_data

from .access import changeable_agency_ids, visible_agency_ids
from .models import Agency
from .scope import is_agency_owned, is_global, owner_agency_id

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def changeable_choices(queryset, user):
    """The part of a choice field's queryset that `user` may pick in a form.

    Agencies: those the user may change. Records of an agency: those of such agencies.
    Accounts: members of such agencies, and accounts that belong to no agency yet (a new
    account is given its membership through this same form); other agencies' staff never.
    Everything else (calendars, templates) is not agency data and stays as it is.
    """
    model = queryset.model
    if is_global(user):
        return queryset
    agency_ids = changeable_agency_ids(user)
    if model is Agency:
        return queryset.filter(pk__in=agency_ids)
    if is_agency_owned(model):
        return queryset.filter(agency_id__in=agency_ids)
    if model is get_user_model():
        return queryset.filter(
            Q(memberships__agency_id__in=agency_ids) | Q(memberships__isnull=True, is_superuser=False)
        ).distinct()
    return queryset


class AgencyScopedForm(WagtailAdminModelForm):
    """Every choice field offers, and accepts, only what the user may pick (`changeable_choices`).

    A foreign id posted by hand fails validation like any invalid choice.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "model"):
                field.queryset = changeable_choices(queryset, self.for_user)


def scoped_queryset(model, user):
    """The records of `model` the user may read (own agencies and those supervised)."""
    qs = model._default_manager.all()
    ids = visible_agency_ids(user)
    if model is Agency:
        return qs.filter(pk__in=ids)
    return qs.filter(agency_id__in=ids)


def has_any_model_permission(user, model) -> bool:
    opts = model._meta
    return any(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
               for action in ("view", "add", "change", "delete"))


class _ScopedChooserMixin:
    """Chooser views that need a model permission and see only visible records."""

    def dispatch(self, request, *args, **kwargs):
        if not has_any_model_permission(request.user, self.model_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return scoped_queryset(self.model_class, self.request.user)

    def can_create(self):
        return False


class ScopedChooseView(_ScopedChooserMixin, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedChooserMixin, ChooseResultsView):
    pass


class ScopedChosenView(_ScopedChooserMixin, SnippetChosenView):
    def get_object(self, pk):
        try:
            return scoped_queryset(self.model_class, self.request.user).get(pk=pk)
        except (ValueError, TypeError, ValidationError):
            raise Http404 from None


class ScopedChosenMultipleView(_ScopedChooserMixin, SnippetChosenMultipleView):
    def get_objects(self, pks):
        valid = [pk for pk in pks if str(pk).isdigit()]
        return scoped_queryset(self.model_class, self.request.user).filter(pk__in=valid)


class AgencyScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView

    @property
    def create_view(self):
        def refuse(request, *args, **kwargs):
            raise PermissionDenied("请在对应的管理页面中新建记录，选择器不能新建。")

        return refuse


def is_supervised_read(user, obj) -> bool:
    """True when the user reads the record only through supervision (not as its agency's staff)."""
    return owner_agency_id(obj) not in changeable_agency_ids(user)


def mask_for_supervisor(value: str, field=None) -> str:
    """Personal data as the supervising office may see it: masked, never in full."""
    masked = mask_personal_data(value)
    if masked.changed:
        return masked.text
    if field is not None and "Encrypted" in type(field).__name__ and value:
        return value[:2] + "*" * max(4, len(value) - 2)  # no known pattern: keep only a hint
    return value


class SupervisedInspectView(InspectView):
    """The supervising office reads down the tree, but personal data only masked (PIPL)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, str) and is_supervised_read(self.request.user, self.object):
            return mask_for_supervisor(value, field)
        return value


class AgencyScopedSnippetViewSet(SnippetViewSet):
    base_form_class = AgencyScopedForm
    chooser_viewset_class = AgencyScopedChooserViewSet
    inspect_view_class = SupervisedInspectView

    def get_edit_handler(self):
        # Wagtail builds the form from the panels with the model's base form class and
        # ignores the viewset's `base_form_class`: give the panels ours.
        handler = super().get_edit_handler()
        handler.base_form_class = self.base_form_class
        return handler

    def get_queryset(self, request):
        return scoped_queryset(self.model, request.user)

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        model = self.model

        @wraps(view)
        def scoped(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None:
                try:
                    obj = model._default_manager.get(pk=pk)
                except (model.DoesNotExist, ValueError, TypeError, ValidationError):
                    raise Http404 from None
                agency_id = owner_agency_id(obj)
                if agency_id not in visible_agency_ids(request.user):
                    raise Http404
                if request.method not in SAFE_METHODS and agency_id not in changeable_agency_ids(request.user):
                    raise PermissionDenied
            return view(request, *args, **view_kwargs)

        return scoped


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
