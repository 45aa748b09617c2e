"""The 政府信息公开 column (国办公开办函〔2019〕61号): guide, rules, statutory content, annual reports, catalogue."""

from __future__ import annotations

from django.db import models
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .. import catalogue, selectors
from .page_base import DisclosablePage, PortalPageMixin
from ..selectors import paginate


def _without_page(params) -> str:
    """The filter's query string for the pager and export links (each adds its own ``page``).

    Keeping ``page`` made each pager link add one more: ``?page=2&page=1&page=2…``, found by the link check.
    """
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


class DisclosureIndexPage(PortalPageMixin, Page):
    """政府信息公开: the platform column with its four fixed entries."""

    intro = RichTextField(_("栏目说明"), blank=True)

    rich_text_fields = ("intro",)
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ContentPage", "portal.StatutoryContentPage", "portal.AnnualReportIndexPage",
                     "portal.CataloguePage", "portal.ColumnPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政府信息公开栏目")
        verbose_name_plural = _("政府信息公开栏目")


class StatutoryContentPage(PortalPageMixin, Page):
    """法定主动公开内容: the catalogue grouped by the fifteen categories of 《条例》第二十条."""

    intro = RichTextField(_("说明"), blank=True)

    rich_text_fields = ("intro",)
    parent_page_types = ["portal.DisclosureIndexPage"]
    subpage_types: list[str] = []
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("法定主动公开内容")
        verbose_name_plural = _("法定主动公开内容")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = selectors.statutory_groups(self.agency, per_group=5)
        context["catalogue"] = CataloguePage.objects.live().filter(agency_id=self.agency_id).first()
        return context


class AnnualReportIndexPage(PortalPageMixin, Page):
    """政府信息公开年报: one AnnualReportPage per year (see `publish_annual_report_page`)."""

    intro = RichTextField(_("说明"), blank=True)

    rich_text_fields = ("intro",)
    parent_page_types = ["portal.DisclosureIndexPage"]
    subpage_types = ["portal.AnnualReportPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政府信息公开年报栏目")
        verbose_name_plural = _("政府信息公开年报栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = AnnualReportPage.objects.child_of(self).live().order_by("-year")
        return context


class AnnualReportPage(DisclosablePage):
    """One year's 政府信息公开工作年度报告."""

    year = models.PositiveSmallIntegerField(_("报告年度"))

    template = "portal/content_page.html"
    parent_page_types = ["portal.AnnualReportIndexPage"]
    subpage_types: list[str] = []
    content_panels = DisclosablePage.content_panels[:1] + [FieldPanel("year")] + \
        DisclosablePage.content_panels[1:] + DisclosablePage.catalogue_panels

    class Meta:
        verbose_name = _("政府信息公开年报")
        verbose_name_plural = _("政府信息公开年报")
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=2008) & models.Q(year__lte=2100),
                                              name="portal_annual_report_year_range")]


class CataloguePage(RoutablePageMixin, PortalPageMixin, Page):
    """政府信息公开目录: every published item with its 索引号; filters; CSV and JSON export (《条例》第十二、二十五条)."""

    intro = RichTextField(_("说明"), blank=True)

    rich_text_fields = ("intro",)
    parent_page_types = ["portal.DisclosureIndexPage", "portal.HomePage"]
    subpage_types: list[str] = []
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政府信息公开目录")
        verbose_name_plural = _("政府信息公开目录")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = catalogue.CatalogueFilterForm(request.GET or None, agency=self.agency)
        entries = catalogue.entries(self.agency, filters.cleaned() if filters.is_bound else {})
        context.update(filters=filters, items=paginate(entries, request, size=30),
                       query=_without_page(request.GET))
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        filters = catalogue.CatalogueFilterForm(request.GET or None, agency=self.agency)
        body = catalogue.export_csv(self.agency, filters.cleaned() if filters.is_bound else {})
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''catalogue.csv"
        return response

    @path("export/json/", name="export_json")
    def export_json(self, request):
        filters = catalogue.CatalogueFilterForm(request.GET or None, agency=self.agency)
        data = catalogue.export_rows(self.agency, filters.cleaned() if filters.is_bound else {})
        return JsonResponse({"agency": self.agency.name, "credit_code": self.agency.credit_code, "items": data},
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
