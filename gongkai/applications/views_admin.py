"""Staff pages in the Wagtail admin: case list, register, case page, actions, board, letters.

Thin: parse the form, check the agency (can_view to read, may_handle to act), call one
action or selector, render. Another agency's case is a 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django import forms as djforms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from gongkai.agencies.access import changeable_agency_ids, has_role
from gongkai.agencies.models import Agency
from gongkai.core.domain import DomainError
from gongkai.core.parsing import search_text
from gongkai.core import clock as system_clock
from gongkai.law.replies import ALREADY_PUBLISHED, ALREADY_PUBLISHED_BASIS, REPLY_TYPES
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import actions, caseclock, forms, lapses, letters, printing, release, selectors
from .models import CaseNotice, Consultation, Litigation, Reconsideration, Status
from .published import find_published
from .nextstep import HANDLER_ROLES, VERBS, allowed_verbs, may_handle, more_actions, next_steps


def _crumbs(*items):
    base = [{"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse("applications_admin:list"), "label": "依申请公开"}]
    return base + [{"url": url, "label": label} for url, label in items]


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        if not request.user.has_perm("applications.view_application"):
            raise PermissionDenied
        self.agency_ids = selectors.agency_ids_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return _crumbs((None, self.get_page_title()))


class CaseListView(StaffView):
    template_name = "applications/admin/list.html"
    page_title = "依申请公开办理"

    def get_breadcrumbs_items(self):
        return _crumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        q = search_text(self.request.GET.get("q"))
        qs = selectors.case_list(agency_ids=self.agency_ids, status=status if status in Status.values else "", q=q)
        page = Paginator(qs, 50).get_page(self.request.GET.get("p"))
        ctx.update(page=page, status=status, q=q, statuses=Status.choices,
                   can_register=bool(changeable_agency_ids(self.request.user)))
        return ctx


class BoardView(StaffView):
    template_name = "applications/admin/board.html"
    page_title = "答复期限看板"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["board"] = selectors.deadlines_board(agency_ids=self.agency_ids)
        ctx["today"] = system_clock.today()
        return ctx


def _handler_agencies(user):
    return [a for a in Agency.objects.filter(pk__in=changeable_agency_ids(user)) if has_role(user, a, *HANDLER_ROLES)]


class RegisterView(StaffView):
    template_name = "applications/admin/register.html"
    page_title = "登记政府信息公开申请"

    def get_form(self):
        form = forms.RegisterForm(self.request.POST or None)
        agencies = _handler_agencies(self.request.user)
        if not agencies:
            raise PermissionDenied
        if len(agencies) > 1:
            form.fields["agency"] = djforms.ModelChoiceField(label="受理机关", queryset=Agency.objects.filter(
                pk__in=[a.pk for a in agencies]))
        self.agencies = agencies
        return form

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            agency = form.cleaned_data.get("agency") or self.agencies[0]
            try:
                app = actions.application_register(agency=agency, actor=request.user, **form.action_kwargs())
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已登记申请 {app.number}，答复期限 {app.due_on}。")
                if app.repeat_of_id:
                    messages.warning(request, "该申请与本申请人的另一申请内容相似，已标记为疑似重复申请，请核查。")
                return redirect("applications_admin:case", pk=app.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CaseMixin:
    def get_case(self):
        app = selectors.case_for(agency_ids=self.agency_ids, pk=self.kwargs["pk"])
        if app is None:
            raise Http404
        return app


class CaseView(CaseMixin, StaffView):
    template_name = "applications/admin/case.html"

    def get_page_title(self):
        return f"申请 {self.app.number}"

    def get(self, request, *args, **kwargs):
        self.app = self.get_case()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """"查看完整信息": the full ID number and contacts, once, audited (never cached); or "知悉" a notice."""
        self.app = self.get_case()
        if "notice_seen" in request.POST:
            notice = CaseNotice.objects.filter(application=self.app, pk=request.POST.get("notice_seen")).first()
            if notice is None or not may_handle(request.user, self.app):
                raise PermissionDenied
            actions.application_notice_seen(notice, actor=request.user)
            messages.success(request, "已知悉。")
            return redirect("applications_admin:case", pk=self.app.pk)
        if "reveal" not in request.POST:
            return redirect("applications_admin:case", pk=self.app.pk)
        try:
            actions.application_reveal_applicant(self.app, actor=request.user)
        except DomainError:
            raise PermissionDenied from None
        response = self.render_to_response(self.get_context_data(revealed=True))
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        app = self.app
        clock = caseclock.clock_for(app)
        user = self.request.user
        ctx.update(
            app=app, clock=clock, state_label=caseclock.STATE_LABELS.get(clock.state, clock.state),
            steps=next_steps(app, clock, user), verbs=allowed_verbs(app, user), more_actions=more_actions(app, user),
            may_handle=may_handle(user, app),
            is_head=has_role(user, app.agency, "office_head"),
            events=app.events.order_by("on", "id"), consultations=app.consultations.all(),
            fee=getattr(app, "fee", None) if hasattr(app, "fee") else None, parts=app.parts.all(),
            reviews=app.reconsiderations.all(), litigations=app.litigations.all(),
            letters=letters.available_letters(app), outcome_info=REPLY_TYPES.get(app.outcome),
            notices=app.notices.filter(seen_at__isnull=True), lapse_check=lapses.check(app),
        )
        ctx.update(release.case_context(app, user))
        return ctx


# verb -> (form class, function(app, actor, form) -> object)
def _kw(form):
    return dict(form.cleaned_data)


ACTIONS = {
    "request_correction": (forms.CorrectionRequestForm, lambda a, u, f: actions.application_request_correction(a, actor=u, **f.action_kwargs())),
    "record_correction": (forms.NoteOnForm, lambda a, u, f: actions.application_record_correction(a, actor=u, **_kw(f))),
    "correction_expired": (forms.OnForm, lambda a, u, f: actions.application_correction_expired(a, actor=u, **_kw(f))),
    "consult": (forms.ConsultForm, lambda a, u, f: actions.application_consult(a, actor=u, **_kw(f))),
    "extend": (forms.ExtendForm, lambda a, u, f: actions.application_extend(a, actor=u, **_kw(f))),
    "special_deadline": (forms.SpecialDeadlineForm, lambda a, u, f: actions.application_set_special_deadline(a, actor=u, **_kw(f))),
    "fee_notice": (forms.FeeNoticeForm, lambda a, u, f: actions.application_fee_notice(a, actor=u, **_kw(f))),
    "fee_received": (forms.OnForm, lambda a, u, f: actions.application_fee_notice_received(a, actor=u, **_kw(f))),
    "fee_paid": (forms.FeePaidForm, lambda a, u, f: actions.application_fee_paid(a, actor=u, **_kw(f))),
    "fee_expired": (forms.OnForm, lambda a, u, f: actions.application_fee_expired(a, actor=u, **_kw(f))),
    "deliver": (forms.DeliverForm, lambda a, u, f: actions.application_deliver(a, actor=u, **_kw(f))),
    "withdraw": (forms.WithdrawForm, lambda a, u, f: actions.application_withdraw(a, actor=u, **_kw(f))),
    "change_kind": (forms.ChangeKindForm, lambda a, u, f: actions.application_change_applicant_kind(a, actor=u, **_kw(f))),
    "note": (forms.NoteForm, lambda a, u, f: actions.application_add_note(a, actor=u, **_kw(f))),
    "review": (forms.ReviewForm, lambda a, u, f: actions.reconsideration_record(a, actor=u, **_kw(f))),
    "litigation": (forms.LitigationForm, lambda a, u, f: actions.litigation_record(a, actor=u, **_kw(f))),
}


class CaseActionView(CaseMixin, StaffView):
    template_name = "applications/admin/action.html"

    def setup_case(self):
        self.app = self.get_case()
        self.verb = self.kwargs["verb"]
        if self.verb not in VERBS:
            raise Http404
        if not may_handle(self.request.user, self.app):
            raise PermissionDenied

    def get_page_title(self):
        return f"{VERBS[self.verb][0]} · 申请 {self.app.number}"

    def get_breadcrumbs_items(self):
        return _crumbs((reverse("applications_admin:case", args=[self.app.pk]), f"申请 {self.app.number}"),
                       (None, VERBS[self.verb][0]))

    def make_forms(self, data=None):
        today = system_clock.today()
        if self.verb == "decide":
            initial = {"on": today}
            if self.published_query():
                initial.update(outcome=ALREADY_PUBLISHED, basis=ALREADY_PUBLISHED_BASIS)
            form = forms.DecideForm(data, initial=initial)
            parts = forms.PartFormSet(data, prefix="parts")
            return form, parts
        form_class = ACTIONS[self.verb][0]
        initial = {"on": today}
        if self.verb == "change_kind":
            initial["kind"] = self.app.applicant_kind
        return form_class(data, initial=initial), None

    def get(self, request, *args, **kwargs):
        self.setup_case()
        if self.verb not in dict(allowed_verbs(self.app, request.user)):
            messages.warning(request, f"该申请当前状态为“{self.app.get_status_display()}”，不能{VERBS[self.verb][0]}。")
            return redirect("applications_admin:case", pk=self.app.pk)
        form, parts = self.make_forms()
        return self.render_to_response(self.get_context_data(form=form, parts=parts))

    def published_query(self) -> str:
        """已主动公开: the title words staff search the agency's published pages by (`?pq=`)."""
        return search_text(self.request.POST.get("pq") or self.request.GET.get("pq"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(app=self.app, verb=self.verb, verb_label=VERBS[self.verb][0],
                   clock=caseclock.clock_for(self.app),
                   defaults={k: v.basis for k, v in REPLY_TYPES.items()})
        if self.verb == "decide":
            pq = self.published_query()
            chosen = str(ctx["form"]["published_page"].value() or "") if "form" in ctx else ""
            ctx.update(pq=pq, published_pages=find_published(self.app.agency, pq, limit=10, by_title=True) if pq else [],
                       published_chosen=chosen)
        return ctx

    def post(self, request, *args, **kwargs):
        self.setup_case()
        form, parts = self.make_forms(request.POST)
        valid = form.is_valid() and (parts is None or parts.is_valid())
        if valid:
            try:
                if self.verb == "decide":
                    part_rows = [p.cleaned_data for p in parts.forms if p.cleaned_data.get("description")]
                    actions.application_decide(self.app, actor=request.user, parts=part_rows, **form.cleaned_data)
                else:
                    ACTIONS[self.verb][1](self.app, request.user, form)
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc))
            else:
                messages.success(request, f"{VERBS[self.verb][0]}：已完成。")
                return redirect("applications_admin:case", pk=self.app.pk)
        return self.render_to_response(self.get_context_data(form=form, parts=parts))


class SubRecordActionView(StaffView):
    """Answer a consultation, conclude a reconsideration or a litigation."""

    template_name = "applications/admin/action.html"
    kinds = {
        "consultation": (Consultation, forms.ConsultAnswerForm, actions.application_record_consultation_answer, "登记征求意见答复"),
        "review": (Reconsideration, forms.ConcludeForm, actions.reconsideration_conclude, "登记复议结果"),
        "litigation": (Litigation, forms.ConcludeForm, actions.litigation_conclude, "登记诉讼结果"),
    }

    def setup_obj(self):
        kind = self.kwargs["kind"]
        if kind not in self.kinds:
            raise Http404
        model, self.form_class, self.action, self.label = self.kinds[kind]
        self.obj = get_object_or_404(model, pk=self.kwargs["pk"], agency_id__in=self.agency_ids)
        self.app = self.obj.application
        if not may_handle(self.request.user, self.app):
            raise PermissionDenied

    def get_page_title(self):
        return f"{self.label} · 申请 {self.app.number}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(app=self.app, verb_label=self.label, clock=caseclock.clock_for(self.app), subject=self.obj)
        return ctx

    def get(self, request, *args, **kwargs):
        self.setup_obj()
        form = self.form_class(initial={"on": system_clock.today(), "concluded_on": system_clock.today()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.setup_obj()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.action(self.obj, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"{self.label}：已完成。")
                return redirect("applications_admin:case", pk=self.app.pk)
        return self.render_to_response(self.get_context_data(form=form))


def letter_download(request, pk: int, key: str, fmt: str):
    if not request.user.is_authenticated or not request.user.has_perm("applications.view_application"):
        raise PermissionDenied
    app = selectors.case_for(agency_ids=selectors.agency_ids_for(request.user), pk=pk)
    if app is None or fmt not in ("pdf", "docx"):
        raise Http404
    ref = request.GET.get("ref", "")
    try:
        letter = printing.letter_for(app, key, ref, actor=request.user, issue=may_handle(request.user, app))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("applications_admin:case", pk=app.pk)
    if fmt == "pdf":
        content, ctype = letters.to_pdf(letter), "application/pdf"
    else:
        content, ctype = letters.to_docx(letter), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=ctype)
    filename = f"{app.number}-{letter.file_stem}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class SameInfoBoardView(StaffView):
    """依申请转主动 (《条例》第四十四条): groups of cases of several applicants asking for the same information.

    One agency at a time (`?agency=`, default the first the user may see); another agency's board is a 404."""

    template_name = "applications/admin/same_info.html"
    page_title = "依申请转主动"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        from .published import group_actions
        from .sameinfo import may_decide_group

        ctx = super().get_context_data(**kwargs)
        agencies = list(Agency.objects.filter(pk__in=self.agency_ids).order_by("name"))
        if not agencies:
            raise PermissionDenied
        chosen = self.request.GET.get("agency")
        agency = next((a for a in agencies if str(a.pk) == chosen), None) if chosen else agencies[0]
        if agency is None:
            raise Http404
        groups = selectors.same_info_groups(agency=agency)
        page = Paginator(groups, 20).get_page(self.request.GET.get("p"))
        selectors.suggest_published(page.object_list, agency=agency)
        for group in page:
            group.actions = group_actions(group, self.request.user)
        ctx.update(agency=agency, agencies=agencies, page=page, total=len(groups),
                   min_applicants=settings.SAME_INFO_MIN_APPLICANTS, months=settings.SAME_INFO_MONTHS,
                   may_decide=may_decide_group(self.request.user, agency),
                   dismiss_form=forms.SameInfoDismissForm())
        return ctx


class SameInfoDismissView(CaseMixin, StaffView):
    """不转为主动公开: dismiss the group of a case, with a reason (audited)."""

    template_name = "applications/admin/action.html"
    page_title = "不转为主动公开"

    def get(self, request, *args, **kwargs):
        self.get_case()
        return redirect("applications_admin:same_info")

    def post(self, request, *args, **kwargs):
        app = self.get_case()
        form = forms.SameInfoDismissForm(request.POST)
        back = f"{reverse('applications_admin:same_info')}?agency={app.agency_id}"
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect(back)
        try:
            actions.same_info_group_dismiss(app, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已记录：该组不转为主动公开。")
        return redirect(back)
