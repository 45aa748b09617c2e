"""Staff pages of the release package: add a file, mark redactions, confirm, remove, download.

Thin like `views_admin`: a file of another agency is a 404 (the file is looked up among
the agencies the user may read), acting needs the handler roles (403), refusals come back
as the action's Chinese message with what was typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.core.domain import DomainError

from . import actions, caseclock, release, releaseforms, selectors, tasks
from .models import ReleaseFile
from .nextstep import may_handle
from .views_admin import CaseMixin, StaffView, _crumbs


class ReleaseAddView(CaseMixin, StaffView):
    template_name = "applications/admin/action.html"

    def setup_case(self):
        self.app = self.get_case()
        if not may_handle(self.request.user, self.app):
            raise PermissionDenied

    def get_page_title(self):
        return f"添加公开文件 · 申请 {self.app.number}"

    def get_breadcrumbs_items(self):
        return _crumbs((reverse("applications_admin:case", args=[self.app.pk]), f"申请 {self.app.number}"),
                       (None, "添加公开文件"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(app=self.app, clock=caseclock.clock_for(self.app), verb_label="上传", multipart=True,
                   subject=f"文件不超过 {release.max_upload_bytes() // 1048576} MB。原件和公开文本只保存在非公开存储中；"
                           "“部分公开”的文件上传后须标记遮盖内容，核验通过（或经第二人复核）后才能提供给申请人。")
        return ctx

    def get(self, request, *args, **kwargs):
        self.setup_case()
        return self.render_to_response(self.get_context_data(form=releaseforms.ReleaseAddForm()))

    def post(self, request, *args, **kwargs):
        self.setup_case()
        form = releaseforms.ReleaseAddForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                tasks.add_release_file(self.app, actor=request.user, name=upload.name, data=upload.read(),
                                    disposition=form.cleaned_data["disposition"], reason=form.cleaned_data["reason"],
                                    basis=form.cleaned_data["basis"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已添加公开文件“{release.clean_filename(upload.name)}”。")
                return redirect(f"{reverse('applications_admin:case', args=[self.app.pk])}#release")
        return self.render_to_response(self.get_context_data(form=form))


class FileMixin:
    def get_file(self, *, handle: bool) -> ReleaseFile:
        f = (ReleaseFile.objects.select_related("application", "application__agency")
             .filter(pk=self.kwargs["pk"], agency_id__in=self.agency_ids).first())
        if f is None:
            raise Http404
        if handle and not may_handle(self.request.user, f.application):
            raise PermissionDenied
        self.file, self.app = f, f.application
        return f


class RedactView(FileMixin, StaffView):
    template_name = "applications/admin/action.html"

    def get_page_title(self):
        return f"遮盖 {self.file.name} · 申请 {self.app.number}"

    def get_breadcrumbs_items(self):
        return _crumbs((reverse("applications_admin:case", args=[self.app.pk]), f"申请 {self.app.number}"),
                       (None, f"遮盖 {self.file.name}"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(app=self.app, file=self.file, clock=caseclock.clock_for(self.app), verb_label="开始遮盖",
                   subject=f"文件：{self.file.name}（{self.file.get_disposition_display()}：{self.file.basis_label}）。"
                           "遮盖在后台进行：删除遮盖处的文字本身（不是盖上黑框），每处标注遮盖依据，再逐页核验。")
        return ctx

    def get(self, request, *args, **kwargs):
        self.get_file(handle=True)
        marks = self.file.marks or []
        initial = {"texts": "\n".join(m["value"] for m in marks if m["kind"] == "text"),
                   "patterns": [m["value"] for m in marks if m["kind"] == "pattern"]}
        for kind, field in (("text", "text_basis"), ("pattern", "pattern_basis")):
            first = next((m["basis"] for m in marks if m["kind"] == kind), None)
            if first:
                initial[field] = first
        return self.render_to_response(self.get_context_data(form=releaseforms.RedactForm(initial=initial)))

    def post(self, request, *args, **kwargs):
        self.get_file(handle=True)
        form = releaseforms.RedactForm(request.POST)
        if form.is_valid():
            try:
                tasks.submit_redaction(self.file, actor=request.user, marks=form.cleaned_data["marks"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已提交遮盖“{self.file.name}”，完成后在本页显示核验结果。")
                return redirect(f"{reverse('applications_admin:case', args=[self.app.pk])}#release")
        return self.render_to_response(self.get_context_data(form=form))


class _PostOnly(FileMixin, StaffView):
    label = ""

    def get(self, request, *args, **kwargs):
        f = self.get_file(handle=False)  # another agency's file: 404
        return redirect(f"{reverse('applications_admin:case', args=[f.application_id])}#release")

    def post(self, request, *args, **kwargs):
        f = self.get_file(handle=True)
        back = f"{reverse('applications_admin:case', args=[self.app.pk])}#release"
        try:
            self.act(f, request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{self.label}“{f.name}”：已完成。")
        return redirect(back)


class ConfirmView(_PostOnly):
    label = "复核确认"

    def act(self, f, user):
        actions.release_confirm(f, actor=user)


class RemoveView(_PostOnly):
    label = "删除公开文件"

    def act(self, f, user):
        actions.release_remove(f, actor=user)


def _file_or_404(request, pk) -> ReleaseFile:
    if not request.user.is_authenticated or not request.user.has_perm("applications.view_application"):
        raise PermissionDenied
    f = ReleaseFile.objects.filter(pk=pk, agency_id__in=selectors.agency_ids_for(request.user)).first()
    if f is None:
        raise Http404
    return f


def download_original(request, pk: int):
    """The file as uploaded (before redaction): for those who handle the case only, not their supervisors."""
    f = _file_or_404(request, pk)
    if not may_handle(request.user, f.application):
        raise PermissionDenied
    return release.file_response(f, "original", inline=request.GET.get("view") == "1")


def download_released(request, pk: int):
    return release.file_response(_file_or_404(request, pk), "released", inline=request.GET.get("view") == "1")


def job_status(request, pk: int):
    """The latest redaction job of a file, for the case page's progress line."""
    f = _file_or_404(request, pk)
    job = f.jobs.first()
    return JsonResponse({"pending": bool(job and job.pending), "summary": job.summary if job else "",
                         "verification": f.get_verification_display()})
