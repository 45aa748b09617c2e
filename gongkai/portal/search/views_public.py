"""/search/?q=… on the public site (dynamic: never written as a static file)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from wagtail.models import Site

from gongkai.agencies.access import supervised_agency_ids
from gongkai.agencies.models import Agency
from gongkai.core.ratelimit import client_ip, hit

from ..models.page_base import STATUTORY_CATEGORIES
from ..models.pages import ColumnPage, HomePage
from .backends import SearchQuery, get_backend


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=50, required=False,
                        error_messages={"max_length": "关键词最多50个字，请缩短后再检索。"})
    column = forms.TypedChoiceField(label="栏目", required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label="公开类别", required=False, choices=[("", "全部")] + STATUTORY_CATEGORIES)
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": "年份请填写4位数字，如 2020。",
                                              "min_value": "年份不能早于2000年。", "max_value": "年份不能晚于2100年。"})
    order = forms.ChoiceField(label="排序", required=False, choices=[("relevance", "按相关度"), ("date", "按发布时间")])
    scope = forms.ChoiceField(label="范围", required=False, choices=[("site", "本站")])
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    def __init__(self, *args, columns=(), supervised=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "全部栏目")] + [(c.pk, c.title) for c in columns]
        if supervised:
            self.fields["scope"].choices += [("all", f"本站及所属{supervised}个机关的网站")]
        else:
            del self.fields["scope"]


def search(request):
    site = Site.find_for_request(request)
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        raise Http404("本网站尚未建立")
    columns = list(ColumnPage.objects.child_of(home).live().order_by("path"))
    # A supervising office's portal may search every site of the agencies it supervises.
    supervised = sorted(supervised_agency_ids({home.agency_id}))
    form = SearchForm(request.GET or None, columns=columns, supervised=len(supervised))
    results = None
    limited = False
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        if not hit("portal-search", client_ip(request), limit=120, window=60):
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
                names = {a.pk: a.short_name or a.name for a in Agency.objects.filter(
                    pk__in={h.agency_id for h in results.hits}).only("name", "short_name")}
                for found in results.hits:
                    found.agency_label = names.get(found.agency_id, "")
    response = render(request, "portal/search.html", {"page": home, "form": form, "results": results,
                                                        "limited": limited, "query_string": _without_page(request)})
    response["Cache-Control"] = "no-store"
    return response


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
