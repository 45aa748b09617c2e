"""Wagtail admin views that show staff only the records of their own agencies.

Use `AgencyScopedSnippetViewSet` for every snippet model that belongs to an agency:
the index lists only visible records, every view addressed by a primary key refuses
records of other agencies (reading needs visibility, writing needs membership), and the
`agency` field of its forms offers only the user's own agencies.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views.snippets import SnippetViewSet

from .access import changeable_agency_ids, visible_agency_ids
from .models import Agency

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def agency_id_of(obj) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    return getattr(obj, "agency_id", None)


class AgencyScopedForm(WagtailAdminModelForm):
    """Limit the `agency` choice to the agencies the user may change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("agency")
        if field is not None and self.for_user is not None:
            field.queryset = Agency.objects.filter(pk__in=changeable_agency_ids(self.for_user))


class AgencyScopedSnippetViewSet(SnippetViewSet):
    base_form_class = AgencyScopedForm

    def get_queryset(self, request):
        qs = self.model._default_manager.all()
        ids = visible_agency_ids(request.user)
        if self.model is Agency:
            return qs.filter(pk__in=ids)
        return qs.filter(agency_id__in=ids)

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        model = self.model

        @wraps(view)
        def scoped(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None:
                try:
                    obj = model._default_manager.get(pk=pk)
                except (model.DoesNotExist, ValueError, TypeError):
                    raise Http404 from None
                agency_id = agency_id_of(obj)
                if agency_id not in visible_agency_ids(request.user):
                    raise Http404
                if request.method not in SAFE_METHODS and agency_id not in changeable_agency_ids(request.user):
                    raise PermissionDenied
            return view(request, *args, **view_kwargs)

        return scoped
