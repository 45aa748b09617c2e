"""Staff pages for data: the ticket import (upload) and the statistics page."""

from __future__ import annotations

from django.contrib import messages as flash

from . import actions, forms
from .actions import MessageError
from .admin_views import StaffView
from .models import ImportBatch

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
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.ImportForm(request.POST, request.FILES, agencies=self.handler_agencies())
        report = None
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", f"文件超过{MAX_UPLOAD // 1024 // 1024}MB，请分成几个文件导入。")
            else:
                try:
                    report = actions.tickets_import(
                        form.cleaned_data["agency"], actor=request.user, data=upload.read(),
                        filename=upload.name, dry_run=form.cleaned_data["dry_run"],
                    )
                except MessageError as exc:
                    form.add_error(None, str(exc))
                else:
                    status = 200 if report.ok else 400
                    if report.imported:
                        flash.success(request, f"已导入 {report.imported} 条工单。")
        return self.render_to_response(self.get_context_data(form=form, report=report), status=status)


class StatsView(StaffView):
    template_name = "interaction/admin/stats.html"
    page_title = "留言统计"
