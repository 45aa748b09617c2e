"""The search index: one row per published page, text segmented with rjieba."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel


class SearchDocument(AgencyScopedModel):
    page = models.OneToOneField("wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE,
                                related_name="+")
    title = models.CharField(_("标题"), max_length=255)
    url = models.CharField(_("网址"), max_length=500)
    text = models.TextField(_("正文文字"), blank=True)
    tokens = models.TextField(_("分词"), blank=True)
    column = models.ForeignKey("wagtailcore.Page", verbose_name=_("栏目"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(_("公开类别"), max_length=2, blank=True)
    year = models.PositiveSmallIntegerField(_("发布年份"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    index_number = models.CharField(_("索引号"), max_length=60, blank=True)
    path = models.CharField(_("页面树路径"), max_length=255, db_index=True)
    fts_rowid = models.BigIntegerField(_("全文索引行号"), null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")
        indexes = [models.Index(fields=["agency", "published_at"]), models.Index(fields=["agency", "year"]),
                   # newest first across sites: a supervising office's search over all its agencies' sites
                   models.Index(fields=["-published_at", "-id"], name="portal_search_newest")]

    def __str__(self) -> str:
        return self.title
