"""网站自查 in the admin: an agency's own sites, one site's findings and history, and the supervising
office's table of every subordinate site (filter by finding, XLSX and PDF in the layout of a
季度检查情况通报)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gongkai.core import clock
from gongkai.core.domain import DomainError
from gongkai.portal.models.sites import PortalSite

from . import selectors
from .daily import inspect_and_keep

EXPORT_FORMATS = ("xlsx", "pdf")


def _crumbs(*items):
    base = [{"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse("inspection_admin:index"), "label": "网站自查"}]
    return base + [{"url": url, "label": label} for url, label in items]


class InspectionView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"
    page_title = "网站自查"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        if not request.user.has_perm("inspection.view_siteinspection"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return _crumbs((None, self.get_page_title()))


class IndexView(InspectionView):
    template_name = "inspection/admin/index.html"

    def get_breadcrumbs_items(self):
        return _crumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(rows=selectors.site_rows(selectors.own_site_ids(self.request.user)),
                   supervises=bool(selectors.supervised_site_ids(self.request.user)),
                   level_labels=selectors.LEVEL_LABELS)
        return ctx


class SiteView(InspectionView):
    template_name = "inspection/admin/site.html"

    def _site(self) -> PortalSite:
        pk = self.kwargs["pk"]
        if pk not in selectors.visible_site_ids(self.request.user):
            raise Http404
        return PortalSite.objects.select_related("agency", "site").get(pk=pk)

    def get_page_title(self):
        return f"网站自查 · {self.site.agency.name}"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.site = self._site()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        row = selectors.site_rows({self.site.pk})[0]
        ctx.update(row=row, level_labels=selectors.LEVEL_LABELS,
                   may_run=self.site.pk in selectors.own_site_ids(self.request.user))
        return ctx

    def post(self, request, *args, **kwargs):
        """立即检查: today's inspection now (staff of the site's own agency only)."""
        if self.site.pk not in selectors.own_site_ids(request.user):
            raise PermissionDenied
        try:
            result, _ = inspect_and_keep(self.site, clock.today(), actor=request.user)
        except (DomainError, ValueError) as exc:
            messages.error(request, f"检查未能完成：{exc}")
        else:
            messages.success(request, f"已完成今天的检查：{result.state}，发现问题 {len(result.findings)} 项。")
        return redirect("inspection_admin:site", pk=self.site.pk)


class SupervisionView(InspectionView):
    template_name = "inspection/admin/supervision.html"
    page_title = "下级机关网站检查"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.supervised_site_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def rows_and_filter(self):
        rows = selectors.site_rows(selectors.supervised_site_ids(self.request.user))
        choices = selectors.finding_choices(rows)
        wanted = self.request.GET.get("finding", "")
        state = self.request.GET.get("state", "")
        error = ""
        if wanted and wanted not in dict(choices):
            error = f"没有“{wanted[:40]}”这一问题类型，已显示全部网站。"
            wanted = ""
        if state and state not in selectors.STATE_CLASS:
            error = "结论只能选“合格”“存在单项否决风险”或“不合格”，已显示全部网站。"
            state = ""
        shown = [r for r in rows if (not wanted or wanted in r.codes)
                 and (not state or (r.latest and r.latest.state == state))]
        return rows, shown, choices, wanted, state, error

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows, shown, choices, wanted, state, error = self.rows_and_filter()
        checked = [r for r in rows if r.latest]
        ctx.update(rows=shown, choices=choices, wanted=wanted, state=state, error=error,
                   states=list(selectors.STATE_CLASS), level_labels=selectors.LEVEL_LABELS,
                   counts={"sites": len(rows), "checked": len(checked),
                           "pass": sum(r.latest.state == "合格" for r in checked),
                           "risk": sum(r.latest.state == "存在单项否决风险" for r in checked),
                           "fail": sum(r.latest.state == "不合格" for r in checked),
                           "missing": len(rows) - len(checked)},
                   query=self.request.GET.urlencode())
        return ctx


class SupervisionExportView(SupervisionView):
    """The table as 季度检查情况通报: XLSX (one row per site, one sheet of findings) or PDF."""

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in EXPORT_FORMATS:
            raise Http404
        ctx = self.get_context_data()
        ctx["today"] = clock.today()
        name = f"网站检查情况通报-{ctx['today']:%Y%m%d}.{fmt}"
        if fmt == "xlsx":
            body, mime = _xlsx(ctx), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            from weasyprint import HTML  # heavy; only for the PDF export

            html = render_to_string("inspection/admin/bulletin.html", ctx)
            body, mime = HTML(string=html).write_pdf(), "application/pdf"
        response = HttpResponse(body, content_type=mime)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


def _xlsx(ctx) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "检查结果"
    ws.append([f"政府网站检查情况通报（{ctx['today']:%Y年%m月%d日}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["序号", "单位", "网站", "检查日期", "结论", "得分", "单项否决", "否决风险", "扣分项", "未能检查", "主要问题"])
    for i, row in enumerate(ctx["rows"], 1):
        latest = row.latest
        main = "；".join(f"{f['title']}：{f['detail']}" for f in row.findings if f["level"] in ("veto", "risk", "deduct"))
        ws.append([i, row.site.agency.name, row.site.site.hostname, latest.on.isoformat() if latest else "未检查",
                   latest.state if latest else "未检查", "" if not latest or latest.score is None else latest.score,
                   row.count("veto"), row.count("risk"), row.count("deduct"), row.count("unchecked"), main])
    for col, width in zip("ABCDEFGHIJK", (6, 28, 24, 12, 16, 8, 9, 9, 8, 9, 80)):
        ws.column_dimensions[col].width = width
    for cells in ws.iter_rows(min_row=3):
        cells[-1].alignment = Alignment(wrap_text=True, vertical="top")
    detail = wb.create_sheet("问题明细")
    detail.append(["单位", "级别", "问题", "说明", "扣分", "涉及页面、栏目或留言", "整改要求"])
    for row in ctx["rows"]:
        for f in row.findings:
            items = "；".join(f"{it['title']}{(' ' + it['note']) if it.get('note') else ''}" for it in f["items"][:50])
            detail.append([row.site.agency.name, selectors.LEVEL_LABELS.get(f["level"], f["level"]), f["title"],
                           f["detail"], f["points"] or "", items, f["fix"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
