"""/search/?q=… on the public site (dynamic: never written as a static file)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404
from django.forms.utils import flatatt
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from gongkai.core.ratelimit import client_ip, hit_batched

from ..models.page_base import STATUTORY_CATEGORIES
from ..sitecache import site_context
from .backends import SearchQuery, get_backend


# The search form's widgets write the HTML Django's widget templates would, directly: rendering
# those templates (one per option) cost more than the rest of the search page.
class DirectSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join("", '\n  <option value="{}"{}>{}</option>', (
            (key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices))
        return format_html('<select name="{}"{}>{}\n</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options)


class DirectNumberInput(forms.NumberInput):
    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name,
                           format_html(' value="{}"', value) if value is not None else "",
                           flatatt(self.build_attrs(self.attrs, attrs)))


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=50, required=False,
                        error_messages={"max_length": "关键词最多50个字，请缩短后再检索。"})
    column = forms.TypedChoiceField(label="栏目", required=False, coerce=int, empty_value=None, widget=DirectSelect)
    category = forms.ChoiceField(label="公开类别", required=False, choices=[("", "全部")] + STATUTORY_CATEGORIES,
                                 widget=DirectSelect)
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2100, widget=DirectNumberInput,
                              error_messages={"invalid": "年份请填写4位数字，如 2020。",
                                              "min_value": "年份不能早于2000年。", "max_value": "年份不能晚于2100年。"})
    order = forms.ChoiceField(label="排序", required=False, choices=[("relevance", "按相关度"), ("date", "按发布时间")],
                              widget=DirectSelect)
    scope = forms.ChoiceField(label="范围", required=False, choices=[("site", "本站")], widget=DirectSelect)
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    def __init__(self, *args, columns=(), supervised=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "全部栏目")] + [(c.pk, c.title) for c in columns]
        if supervised:
            self.fields["scope"].choices += [("all", f"本站及所属{supervised}个机关的网站")]
        else:
            del self.fields["scope"]


def search(request):
    # The site, its home, columns and supervised agencies: kept between requests (sitecache.py).
    context = site_context(request)
    home = context.home if context else None
    if home is None:
        raise Http404("本网站尚未建立")
    columns = context.columns
    # A supervising office's portal may search every site of the agencies it supervises.
    supervised = context.supervised
    form = SearchForm(request.GET or None, columns=columns, supervised=len(supervised))
    results = None
    limited = False
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        if not hit_batched("portal-search", client_ip(request), limit=settings.PORTAL_SEARCH_RATE_LIMIT, window=60):
            limited = True
        else:
            data = form.cleaned_data
            column = next((c for c in columns if c.pk == data.get("column")), None)
            everywhere = data.get("scope") == "all" and not column
            query = SearchQuery(q=data["q"], agency_id=home.agency_id,
                                also_agency_ids=tuple(supervised) if everywhere else (),
                                column_path=column.path if column else None,
                                category=data.get("category") or None, year=data.get("year"),
                                order=data.get("order") or "relevance", page=data.get("page") or 1)
            results = get_backend().search(query)
            if everywhere:
                for found in results.hits:
                    found.agency_label = context.agency_labels.get(found.agency_id, "")
    response = render(request, "portal/search.html", {"page": home, "form": form, "results": results,
                                                        "limited": limited, "query_string": _without_page(request)})
    response["Cache-Control"] = "no-store"
    return response


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
