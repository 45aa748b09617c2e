"""Holiday years in the admin (system administrators); saves go through the load action."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    SnippetViewSet,
)

from . import actions
from .models import CalendarYear


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
    add_view_class = CalendarYearCreateView
    edit_view_class = CalendarYearEditView
    delete_view_class = CalendarYearDeleteView
    panels = [FieldPanel("yaml_text")]


register_snippet(CalendarYearViewSet)
