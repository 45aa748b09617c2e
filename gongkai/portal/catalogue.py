"""The 政府信息公开目录 as the public reads it: filters and exports.

The 索引号 are issued by `indexnumbers.py`; the 20-working-day check of 《条例》第二十六条
is `DisclosablePage.late_publication`.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.db import models

from gongkai.law import disclosure

from .models.page_base import STATUTORY_CATEGORIES, DisclosablePage

class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="标题或文号", required=False, max_length=100)
    category = forms.ChoiceField(label="公开类别", required=False, choices=[("", "全部")] + STATUTORY_CATEGORIES)
    year = forms.IntegerField(label="发布年份", required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": "年份请填写4位数字，如 2020。",
                                              "min_value": "年份不能早于2000年。", "max_value": "年份不能晚于2100年。"})
    late = forms.BooleanField(label=f"只看超过{disclosure.PUBLISH_WITHIN_DAYS}个工作日公开的", required=False)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency

    def cleaned(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


def entries(agency, filters: dict | None = None):
    filters = filters or {}
    qs = (DisclosablePage.objects.live().filter(agency=agency, index_number__isnull=False)
          .select_related("agency").order_by("-first_published_at", "-pk"))
    if filters.get("q"):
        qs = qs.filter(models.Q(title__icontains=filters["q"]) | models.Q(doc_number__icontains=filters["q"])
                       | models.Q(index_number__icontains=filters["q"]))
    if filters.get("category"):
        qs = qs.filter(statutory_category=filters["category"])
    if filters.get("year"):
        qs = qs.filter(index_number__contains=f"/{filters['year']}-")
    if filters.get("late"):
        return [p for p in qs.exclude(written_on=None) if p.late_publication]
    return qs


EXPORT_FIELDS = [
    ("index_number", "索引号"), ("title", "名称"), ("summary", "内容概述"), ("statutory_category", "公开类别"),
    ("topic", "主题分类"), ("publisher", "发布机构"), ("written_on", "成文日期"), ("published_on", "发布日期"),
    ("doc_number", "文号"), ("disclosure_mode", "公开方式"), ("validity", "有效性"), ("late_days", "超期工作日"),
    ("url", "网址"),
]


def export_rows(agency, filters: dict | None = None) -> list[dict]:
    categories = dict(STATUTORY_CATEGORIES)
    rows = []
    for page in entries(agency, filters):
        rows.append({
            "index_number": page.index_number, "title": page.title, "summary": page.summary,
            "statutory_category": categories.get(page.statutory_category, ""), "topic": page.topic,
            "publisher": page.publisher_name,
            "written_on": page.written_on.isoformat() if page.written_on else "",
            "published_on": page.published_on.isoformat() if page.published_on else "",
            "doc_number": page.doc_number, "disclosure_mode": page.get_disclosure_mode_display(),
            "validity": page.get_validity_display(), "late_days": page.late_publication or 0,
            "url": page.get_full_url() or "",
        })
    return rows


def export_csv(agency, filters: dict | None = None) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    writer = csv.writer(out)
    writer.writerow([label for _key, label in EXPORT_FIELDS])
    for row in export_rows(agency, filters):
        writer.writerow([row[key] for key, _label in EXPORT_FIELDS])
    return out.getvalue()
