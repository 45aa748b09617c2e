"""Staff pages for data: the ticket import (upload) and the statistics page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages as flash
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.core import clock
from gongkai.core.parsing import parse_id

from . import charts, forms, tasks
from .views_admin import StaffView
from .models import Category, Channel, ImportBatch, TicketImportJob
from .stats import message_statistics

MAX_UPLOAD = 20 * 1024 * 1024


class ImportView(StaffView):
    """Upload a ticket file; same checks and report as `gongkai tickets import`."""

    template_name = "interaction/admin/import.html"
    page_title = "导入工单"
    permission = "interaction.add_message"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agencies = self.handler_agencies()
        ctx.setdefault("form", forms.ImportForm(agencies=agencies))
        ctx["batches"] = ImportBatch.objects.filter(agency__in=agencies).select_related("agency", "imported_by")[:20]
        job_id = parse_id(self.request.GET.get("job"))
        if "report" not in ctx and job_id is not None:  # following a job: only one of the user's agencies
            ctx["report"] = TicketImportJob.objects.filter(pk=job_id, agency__in=agencies).first()
        ctx["refresh"] = ctx.get("report") is not None and ctx["report"].pending
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.ImportForm(request.POST, request.FILES, agencies=self.handler_agencies())
        job = None
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", f"文件超过{MAX_UPLOAD // 1024 // 1024}MB，请分成几个文件导入。")
            else:
                job = tasks.submit_ticket_import(form.cleaned_data["agency"], actor=request.user, data=upload.read(),
                                                 filename=upload.name, dry_run=form.cleaned_data["dry_run"])
                job.refresh_from_db()  # an engine that runs jobs at once has finished it already
                if job.pending:
                    return redirect(f"{reverse('interaction_admin:import')}?job={job.pk}")
                status = 200 if job.ok else 400
                if job.imported:
                    flash.success(request, f"已导入 {job.imported} 条工单。")
        return self.render_to_response(self.get_context_data(form=form, report=job), status=status)


class StatsView(StaffView):
    """Received, replied on time, late, average working days, by category and channel, any period."""

    template_name = "interaction/admin/stats.html"
    page_title = "留言统计"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agencies = Agency.objects.filter(pk__in=self.agency_ids).order_by("name")
        day = clock.today()
        initial = {"agency": agencies.first(), "start": date(day.year, 1, 1), "end": day}
        form = forms.StatsForm(self.request.GET or None, agencies=agencies, initial=initial)
        if self.request.GET and form.is_valid():
            agency, start, end = (form.cleaned_data[k] for k in ("agency", "start", "end"))
        elif self.request.GET:
            ctx.update(form=form, stats=None)
            return ctx
        else:
            agency, start, end = initial["agency"], initial["start"], initial["end"]
        stats = message_statistics(agency, start, end) if agency is not None else None
        ctx.update(form=form, stats=stats, agency=agency)
        if stats is not None:
            by_category = [(Category(k).label, b) for k, b in stats.by_category.items()]
            by_channel = [(Channel(k).label, b) for k, b in stats.by_channel.items()]
            ctx.update(
                by_category=by_category, by_channel=by_channel,
                chart_category=charts.stacked_bars("按类别", by_category),
                chart_channel=charts.stacked_bars("按渠道", by_channel),
                matrix=[(Category(c).label, [stats.matrix.get((c, ch), 0) for ch in Channel.values])
                        for c in Category.values],
                channel_labels=Channel.labels,
            )
        return ctx

    def render_to_response(self, context, **kwargs):
        if self.request.GET and context.get("stats") is None:
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)
