"""Holiday years in the admin (system administrators); saves go through the load action.

What other apps do in the background after a year changed (the applications app recomputes
every open case's due date) is shown above the list of years: each `calendar_year_jobs`
hook returns objects with `summary` (a Chinese line), `status` and `pending`; while one is
pending the page refreshes itself.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
)

from . import actions
from .models import CalendarYear


def background_jobs(request) -> list:
    return [job for fn in hooks.get_hooks("calendar_year_jobs") for job in fn(request)]


class CalendarYearIndexView(IndexView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["year_jobs"] = background_jobs(self.request)
        ctx["refresh"] = any(job.pending for job in ctx["year_jobs"])
        return ctx


class CalendarYearCreateView(CreateView):
    def save_instance(self):
        return actions.calendar_year_load(self.form.cleaned_data["yaml_text"], actor=self.request.user)


class CalendarYearEditView(EditView):
    def save_instance(self):
        return actions.calendar_year_load(self.form.cleaned_data["yaml_text"], actor=self.request.user)


class CalendarYearDeleteView(DeleteView):
    def delete_action(self):
        actions.calendar_year_delete(self.object, actor=self.request.user)


class CalendarYearViewSet(SnippetViewSet):
    model = CalendarYear
    icon = "date"
    menu_label = "工作日历"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["year", "notice", "loaded_at", "loaded_by"]
    index_view_class = CalendarYearIndexView
    index_template_name = "calendars/admin/index.html"
    add_view_class = CalendarYearCreateView
    edit_view_class = CalendarYearEditView
    delete_view_class = CalendarYearDeleteView
    panels = [FieldPanel("yaml_text")]


register_snippet(CalendarYearViewSet)
