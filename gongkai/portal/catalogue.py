"""The 政府信息公开目录: 索引号 issuance, filters, exports and the 20-working-day check.

索引号 = `{统一社会信用代码}/{yyyy}-{nnnnn}` by default (decisions.md §15; pattern in the
setting GONGKAI_INDEX_NUMBER_PATTERN): issued when an item is first published, from a
per-agency, per-year sequence that only goes up; every issued number is also written to
`IssuedIndexNumber` (unique), so a number is never reused even after its page is deleted.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel
from gongkai.audit.record import record
from gongkai.law import disclosure
from gongkai.law.disclosure import PublicationTimeliness

from .page_base import STATUTORY_CATEGORIES, DisclosablePage

DEFAULT_PATTERN = "{credit_code}/{year}-{serial:05d}"


class IndexNumberSequence(AgencyScopedModel):
    year = models.PositiveSmallIntegerField(_("年度"))
    last_serial = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("索引号序列")
        verbose_name_plural = _("索引号序列")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="portal_index_seq_unique")]


class IssuedIndexNumber(AgencyScopedModel):
    """Every 索引号 ever issued; kept when the page is withdrawn or deleted."""

    number = models.CharField(_("索引号"), max_length=60, unique=True)
    page_id_at_issue = models.PositiveIntegerField(_("页面编号"))
    title_at_issue = models.CharField(_("标题"), max_length=255)
    issued_at = models.DateTimeField(_("编号时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发索引号")
        verbose_name_plural = _("已发索引号")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number


def format_index_number(agency, year: int, serial: int) -> str:
    pattern = getattr(settings, "GONGKAI_INDEX_NUMBER_PATTERN", DEFAULT_PATTERN)
    return pattern.format(credit_code=agency.credit_code, year=year, serial=serial)


@transaction.atomic
def index_number_issue(page, *, actor=None) -> str:
    """Give a published item its 索引号 if it has none; return the number."""
    current = DisclosablePage.objects.filter(pk=page.pk).values_list("index_number", flat=True).first()
    if current:
        page.index_number = current
        return current
    published = DisclosablePage.objects.filter(pk=page.pk).values_list("first_published_at", flat=True).first()
    year = timezone.localdate(published).year if published else timezone.localdate().year
    seq, _created = IndexNumberSequence.objects.select_for_update().get_or_create(agency_id=page.agency_id, year=year)
    while True:  # skip numbers already taken (e.g. items imported with their 索引号)
        seq.last_serial += 1
        number = format_index_number(page.agency, year, seq.last_serial)
        if not (IssuedIndexNumber.objects.filter(number=number).exists()
                or DisclosablePage.objects.filter(index_number=number).exists()):
            break
    seq.save(update_fields=["last_serial"])
    DisclosablePage.objects.filter(pk=page.pk).update(index_number=number)
    IssuedIndexNumber.objects.create(agency_id=page.agency_id, number=number, page_id_at_issue=page.pk,
                                     title_at_issue=page.title[:255])
    page.index_number = number
    record("portal.index_issue", actor=actor, agency=page.agency, subject=page, new={"index_number": number})
    return number


def publication_timeliness(page) -> PublicationTimeliness | None:
    """The page judged against 《条例》第二十六条 (`gongkai.law.disclosure`), or None when a date is unknown."""
    if not page.written_on or not page.first_published_at:
        return None
    from gongkai.calendars.services import current_calendar

    return disclosure.publication_timeliness(page.written_on, timezone.localdate(page.first_published_at),
                                             current_calendar())


def publication_delay(page) -> int | None:
    """Working days beyond the 20 of 《条例》第二十六条 between forming and publishing, or None."""
    timeliness = publication_timeliness(page)
    return timeliness.late_days if timeliness is not None and timeliness.late else None


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
