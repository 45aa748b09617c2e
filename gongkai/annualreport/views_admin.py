"""Staff pages in the Wagtail admin: reports, drill-down, prose, figures, last year, sign, publish.

Thin: parse the form, check the agency (can_view to read, the actions check who may act),
call one action or selector, render. Another agency's report is a 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gongkai.agencies.access import can_view, changeable_agency_ids, member_agency_ids
from gongkai.agencies.models import Agency
from gongkai.agencies.roles import Role
from gongkai.core import clock
from gongkai.core.domain import DomainError
from gongkai.core.parsing import parse_int
from gongkai.law.reportformat import ReportDocument, spec

from . import actions, checks, compute, forms, outputs, prose, release, selectors, tasks
from .drilldown import cell_title, drilldown
from .figures import figure_label, figure_specs, template_csv
from .models import ActiveFigure, AnnualReport, PdfJob, PreviousYearReport, ReportStatus
from .tables import tables_html


def _crumbs(*items):
    base = [{"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse("annualreport_admin:index"), "label": "年度报告"}]
    return base + [{"url": url, "label": label} for url, label in items]


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full-inverse"
    page_title = "政府信息公开工作年度报告"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        if not request.user.has_perm("annualreport.view_annualreport"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return _crumbs((None, self.get_page_title()))


def _editable_agencies(user):
    return Agency.objects.filter(pk__in=[a for a in changeable_agency_ids(user)
                                         if selectors.can_edit(user, Agency(pk=a))]).order_by("name")


class IndexView(StaffView):
    template_name = "annualreport/admin/index.html"
    page_title = "政府信息公开工作年度报告"

    def get_breadcrumbs_items(self):
        return _crumbs()

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        agencies = _editable_agencies(user)
        today = clock.today()
        if form is None:
            form = forms.StartForm(initial={"year": today.year - 1, "agency": agencies.first()}, agencies=agencies)
        reports = list(selectors.reports_for(user).order_by("-year", "agency__name"))
        for r in reports:
            r.due = selectors.deadline(r.agency, r.year)
            r.late = r.status != ReportStatus.PUBLISHED and today > r.due
        ctx.update(form=form, reports=reports, can_start=agencies.exists(),
                   supervises=bool(member_agency_ids(user, roles={Role.SUPERVISOR})), today=today)
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.StartForm(request.POST, agencies=_editable_agencies(request.user))
        if form.is_valid():
            try:
                report = actions.report_start(form.cleaned_data["agency"], form.cleaned_data["year"],
                                              actor=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已建立{report.year}年度报告草稿，各表数据已由系统计算，正文已预填。")
                return redirect("annualreport_admin:report", pk=report.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ReportMixin:
    def load_report(self) -> AnnualReport:
        report = (AnnualReport.objects.select_related("agency").filter(pk=self.kwargs["pk"]).first())
        if report is None or not can_view(self.request.user, report.agency):
            raise Http404
        self.report = report
        return report

    def get_page_title(self):
        return f"{self.report.agency.name} {self.report.year}年度报告"

    def report_crumbs(self, label=None):
        items = [(reverse("annualreport_admin:report", args=[self.report.pk]), self.get_page_title())]
        if label:
            items.append((None, label))
        return _crumbs(*items)


class ReportView(ReportMixin, StaffView):
    template_name = "annualreport/admin/report.html"

    def get_breadcrumbs_items(self):
        return _crumbs((None, self.get_page_title()))

    def get(self, request, *args, **kwargs):
        self.load_report()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, explain_error=None, reopen_form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report, user = self.report, self.request.user
        state = selectors.report_state(report.agency, report.year)
        tables = tables_html(state.doc, lambda key: reverse("annualreport_admin:cell", args=[report.pk, key]))
        sections = []
        for name in spec.SECTION_NAMES:
            sections.append({"name": name, "title": spec.SECTION_TITLES[name], "table": tables.get(name),
                             "paragraphs": [p for p in (state.doc.sections.get(name) or "").split("\n") if p.strip()]})
        due = selectors.deadline(report.agency, report.year)
        ctx.update(
            report=report, state=state, sections=sections, due=due,
            late=report.status != ReportStatus.PUBLISHED and clock.today() > due,
            can_edit=selectors.can_edit(user, report.agency) and report.status == ReportStatus.DRAFT,
            is_head=selectors.is_office_head(user, report.agency),
            revisions=report.revisions.order_by("-number"),
            explain_error=explain_error or {}, reopen_form=reopen_form or forms.ReopenForm(),
            public_url=reverse("annualreport_public:page", args=[report.agency.credit_code, report.year]),
            published=selectors.published_revision(report.agency, report.year),
            sources=[(key, figure_label(key), src) for key, src in state.sources.items()],
        )
        return ctx

    def post(self, request, *args, **kwargs):
        report = self.load_report()
        verb = request.POST.get("do", "")
        try:
            if verb == "explain":
                form = forms.ExplainForm(request.POST)
                form.is_valid()
                fid = form.cleaned_data.get("finding", "")
                try:
                    actions.warning_explain(report, fid, form.cleaned_data.get("reason", ""), actor=request.user)
                except DomainError as exc:
                    return self.render_to_response(self.get_context_data(
                        explain_error={"id": fid, "reason": form.cleaned_data.get("reason", ""), "message": str(exc)}))
                messages.success(request, "已保存警告的说明理由。")
            elif verb == "sign":
                revision = actions.report_sign(report, actor=request.user)
                messages.success(request, f"已签发第{revision.number}版。签发后本年度数据已冻结。")
            elif verb == "publish":
                revision = release.report_publish(report, actor=request.user)
                messages.success(request, f"第{revision.number}版已公开。")
            elif verb == "reopen":
                form = forms.ReopenForm(request.POST)
                form.is_valid()
                try:
                    actions.report_reopen(report, form.cleaned_data.get("reason", ""), actor=request.user)
                except DomainError as exc:
                    form.add_error("reason", str(exc))
                    return self.render_to_response(self.get_context_data(reopen_form=form))
                messages.success(request, "报告已重新打开，修改后请再次检查并签发；已公开的版本在新版本公开前保持不变。")
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, str(exc) + ("；".join(exc.items) if exc.items else ""))
        return redirect("annualreport_admin:report", pk=report.pk)


class CellView(ReportMixin, StaffView):
    template_name = "annualreport/admin/cell.html"

    def get_page_title(self):
        return f"{self.report.year}年度报告 · 数据来源"

    def get_breadcrumbs_items(self):
        return self.report_crumbs(cell_title(self.fmt, self.key))

    def get(self, request, *args, **kwargs):
        report = self.load_report()
        self.key = self.kwargs["key"]
        self.fmt = spec.format_for_year(report.year)
        if self.key not in spec.get_format(self.fmt).all_keys:
            raise Http404
        state = selectors.report_state(report.agency, report.year)
        if state.revision is not None:
            refs = state.revision.snapshot["drilldown"].get(self.key, [])
            records = state.revision.snapshot["records"]
        else:
            cells, records = drilldown(report.agency, report.year)
            refs = cells.get(self.key, [])
        rows = []
        for ref in refs:
            rec = dict(records.get(ref, {}))
            rec["url"] = _record_url(rec)
            rows.append(rec)
        return self.render_to_response(self.get_context_data(
            title=cell_title(self.fmt, self.key), key=self.key, value=state.doc.cells.get(self.key),
            rows=rows, source=state.sources.get(self.key), frozen=state.revision is not None, report=report,
            revision=state.revision))


def _record_url(rec: dict) -> str | None:
    try:
        if rec.get("type") == "application":
            return reverse("applications_admin:case", args=[rec["id"]])
        if rec.get("type") in ("review", "lit"):
            return reverse("applications_admin:case", args=[rec["application_id"]])
        if rec.get("type") == "page":
            return reverse("wagtailadmin_pages:edit", args=[rec["id"]])
    except (NoReverseMatch, KeyError):
        return None
    return None


class ProseView(ReportMixin, StaffView):
    template_name = "annualreport/admin/prose.html"

    def get_breadcrumbs_items(self):
        return self.report_crumbs("编辑正文")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.load_report()
            if not selectors.can_edit(request.user, self.report.agency):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.report
        form = form or forms.ProseForm(initial={"section1": r.section1, "section5": r.section5,
                                                "section6": r.section6})
        comp = compute.compute(r.agency, r.year)
        facts = prose.gather(r.agency, r.year, comp, checks.previous_year(r.agency, r.year))
        c = comp.cells
        numbers = [("本年新收申请", c["apply.new.total"]), ("上年结转", c["apply.carried_over.total"]),
                   ("本年办结", c["apply.result.total.total"]), ("结转下年度", c["apply.carried_forward.total"]),
                   ("行政复议", c["review.total"]),
                   ("行政诉讼", c["litigation.direct.total"] + c["litigation.after_review.total"])]
        if facts.published_items is not None:
            numbers.insert(0, ("门户网站本年公开信息", facts.published_items))
        ctx.update(form=form, report=r, facts=facts, suggested=prose.prefill(facts), numbers=numbers,
                   fee_sentence=prose.fee_sentence(facts),
                   interaction_sentence=prose.interaction_sentence(facts.interaction))
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.ProseForm(request.POST)
        if form.is_valid():
            try:
                actions.report_update_prose(self.report, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "正文已保存。")
                return redirect("annualreport_admin:report", pk=self.report.pk)
        return self.render_to_response(self.get_context_data(form=form))


class FiguresView(ReportMixin, StaffView):
    template_name = "annualreport/admin/figures.html"

    def get_breadcrumbs_items(self):
        return self.report_crumbs("第二部分数据")

    def get(self, request, *args, **kwargs):
        self.load_report()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, form=None, import_form=None, import_errors=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.report
        figures = {f.key: f for f in ActiveFigure.objects.filter(agency=r.agency, year=r.year)
                   .select_related("entered_by")}
        state = selectors.report_state(r.agency, r.year)
        rows = [{"spec": s, "figure": figures.get(s.key), "value": state.doc.cells.get(s.key),
                 "source": state.sources.get(s.key),
                 "cell_url": reverse("annualreport_admin:cell", args=[r.pk, s.key])}
                for s in figure_specs(spec.format_for_year(r.year))]
        ctx.update(report=r, rows=rows, form=form or forms.FigureForm(year=r.year),
                   import_form=import_form or forms.ImportForm(), import_errors=import_errors or [],
                   can_edit=selectors.can_edit(self.request.user, r.agency) and r.status == ReportStatus.DRAFT)
        return ctx

    def post(self, request, *args, **kwargs):
        r = self.load_report()
        if request.POST.get("do") == "import":
            form = forms.ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    stored = actions.figures_import(r.agency, r.year, upload.read(), upload.name, actor=request.user)
                except DomainError as exc:
                    return self.render_to_response(self.get_context_data(
                        import_form=form, import_errors=[str(exc)] + exc.items))
                messages.success(request, f"已导入 {len(stored)} 项数据。")
                return redirect("annualreport_admin:figures", pk=r.pk)
            return self.render_to_response(self.get_context_data(import_form=form))
        if request.POST.get("do") == "delete":
            figure = ActiveFigure.objects.filter(pk=request.POST.get("figure") or 0, agency=r.agency,
                                                 year=r.year).first()
            if figure is None:
                raise Http404
            try:
                actions.figure_delete(figure, actor=request.user)
            except DomainError as exc:
                messages.error(request, str(exc))
            return redirect("annualreport_admin:figures", pk=r.pk)
        form = forms.FigureForm(request.POST, year=r.year)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.figure_set(r.agency, r.year, d["key"], d["value"], d["source"], actor=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "已保存。")
                return redirect("annualreport_admin:figures", pk=r.pk)
        return self.render_to_response(self.get_context_data(form=form))


def figures_template(request, pk):
    report = AnnualReport.objects.select_related("agency").filter(pk=pk).first()
    if report is None or not can_view(request.user, report.agency):
        raise Http404
    response = HttpResponse(template_csv(report.year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''figures-{report.year}.csv"
    return response


class PreviousView(ReportMixin, StaffView):
    template_name = "annualreport/admin/previous.html"

    def get_breadcrumbs_items(self):
        return self.report_crumbs("上年度报告")

    def get(self, request, *args, **kwargs):
        self.load_report()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.report
        ctx.update(report=r, form=form or forms.PreviousForm(initial={"year": r.year - 1}),
                   previous=checks.previous_year(r.agency, r.year),
                   upload=PreviousYearReport.objects.filter(agency=r.agency, year=r.year - 1).first(),
                   can_edit=selectors.can_edit(self.request.user, r.agency))
        return ctx

    def post(self, request, *args, **kwargs):
        r = self.load_report()
        form = forms.PreviousForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                row = actions.previous_upload(r.agency, form.cleaned_data["year"], upload.read(), upload.name,
                                              actor=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已读取{row.year}年度报告（{len(row.parsed['cells'])} 个单元格），"
                                          "已用于核对与上年的衔接。")
                return redirect("annualreport_admin:report", pk=r.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PdfJobView(StaffView):
    """正在生成PDF…: the page refreshes itself until the job is done (then it is the download), or says why not."""

    template_name = "annualreport/admin/pdf_job.html"
    page_title = "生成PDF"
    job = None
    report = None

    def get_breadcrumbs_items(self):
        return _crumbs((reverse("annualreport_admin:report", args=[self.report.pk]), str(self.report)),
                       (None, self.get_page_title()))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        path, query = self.request.path, self.request.GET.copy()
        query.pop("retry", None)
        query.pop("wait", None)
        file_url = f"{path}?{query.urlencode()}" if query else path  # the PDF itself, once done
        query["wait"] = "1"
        wait_url = f"{path}?{query.urlencode()}"  # this page again
        query.pop("wait")
        query["retry"] = "1"
        ctx.update(job=self.job, report=self.report, refresh=self.job.pending, file_url=file_url, wait_url=wait_url,
                   retry_url=f"{path}?{query.urlencode()}")
        return ctx


def download(request, pk, fmt):
    """The report as PDF / DOCX / HTML / JSON: a signed revision (``?revision=N``), else the live draft."""
    report = AnnualReport.objects.select_related("agency").filter(pk=pk).first()
    if report is None or not can_view(request.user, report.agency) or fmt not in outputs.FORMATS:
        raise Http404
    number = request.GET.get("revision")
    if number:
        revision = report.revisions.filter(number=parse_int(number, min_value=1, max_value=32767) or 0).first()
        if revision is None:
            raise Http404
        state = selectors.signed_state(report, revision)
    else:
        state = selectors.report_state(report.agency, report.year)
    draft = state.revision is None  # not a signed revision: every page says 草稿 · 未签发
    if fmt == "pdf":  # slow to render: a background job does it, this page waits for it
        job = tasks.pdf_job(report, state.doc, draft=draft, actor=request.user, retry=request.GET.get("retry") == "1")
        if job.status != PdfJob.Status.DONE or request.GET.get("wait") == "1":  # the waiting page, or it is done
            return PdfJobView.as_view(job=job, report=report)(request)
        data = bytes(PdfJob.objects.values_list("data", flat=True).get(pk=job.pk))
    else:
        data = outputs.render_bytes(state.doc, fmt, [f.to_json_dict() for f in state.findings], draft=draft)
    content_type, _ext = outputs.FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    name = outputs.filename(state.doc, fmt).replace("年度报告.", "年度报告（草稿）." if draft else "年度报告.")
    disposition = "inline" if fmt in ("html", "pdf") and request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    return response


class SupervisionView(StaffView):
    template_name = "annualreport/admin/supervision.html"
    page_title = "下级机关年度报告"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not member_agency_ids(request.user, roles={Role.SUPERVISOR}):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = clock.today()
        raw = self.request.GET.get("year", "")
        year, year_error = today.year - 1, ""
        if raw:
            wanted = parse_int(raw, min_value=2019, max_value=today.year)
            if wanted is not None:
                year = wanted
            else:
                year_error = f"年度“{raw}”无效：请填写 2019 至 {today.year} 之间的 4 位年份。已显示 {year} 年度。"
        rows, totals = selectors.supervision_overview(self.request.user, year, on=today)
        total_doc = ReportDocument(format=spec.format_for_year(year), year=year, agency="合计", cells=totals)
        ctx.update(year=year, year_error=year_error, raw_year=raw, rows=rows,
                   totals=tables_html(total_doc), today=today,
                   counts={"published": sum(r.state == "已公开" for r in rows),
                           "late": sum(r.late for r in rows), "agencies": len(rows)})
        return ctx
