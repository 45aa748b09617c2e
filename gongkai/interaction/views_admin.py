"""Staff pages in the Wagtail admin: message list, case page with its action forms, board, entry.

Thin: check the agency (visible to read, handler role to act), parse a form, call one
action or selector, render. Another agency's message is a 404; a reader without the
handler role (e.g. the supervising office) gets a 403 on any POST and sees masked texts.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gongkai.agencies.models import Agency
from gongkai.applications import caseclock
from gongkai.applications import selectors as cases
from gongkai.applications.nextstep import may_handle
from gongkai.audit.models import AuditEvent
from gongkai.core import querycodes
from gongkai.core.parsing import search_text
from gongkai.core import clock
from gongkai.core.domain import DomainError
from gongkai.law.masking import REPLY_KINDS, mask_personal_data

from . import actions, forms, selectors
from .deadlines import message_deadline
from .models import Category, Channel, Outcome, ReplyStatus, Status
from .permissions import can_approve, can_see_personal_data, handles_messages


def _crumbs(*items):
    base = [{"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse("interaction_admin:list"), "label": "互动交流"}]
    return base + [{"url": url, "label": label} for url, label in items]


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "mail"
    permission = "interaction.view_message"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.agency_ids = selectors.agency_ids_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return _crumbs((None, self.get_page_title()))

    def handler_agencies(self):
        return Agency.objects.filter(
            pk__in=[a.pk for a in Agency.objects.filter(pk__in=self.agency_ids)
                    if handles_messages(self.request.user, a)]
        )


class MessageListView(StaffView):
    template_name = "interaction/admin/list.html"
    page_title = "留言办理"

    def get_breadcrumbs_items(self):
        return _crumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        g = self.request.GET
        filters = {k: g.get(k, "") for k in ("status", "category", "channel", "q", "state")}
        filters["q"] = search_text(filters["q"])
        qs = selectors.message_list(agency_ids=self.agency_ids, **filters)
        page = Paginator(qs, 50).get_page(g.get("p"))
        ctx.update(
            page=page, rows=selectors.rows_for(self.request.user, page.object_list), filters=filters,
            statuses=[("open", "未办结")] + list(Status.choices), categories=Category.choices,
            channels=Channel.choices, querystring=_qs(filters),
            can_register=self.handler_agencies().exists(),
        )
        return ctx


def _qs(filters: dict) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


ACTION_FORMS = {
    "triage": forms.TriageForm,
    "route": forms.RouteForm,
    "draft": forms.ReplyForm,
    "submit": forms.EmptyForm,
    "approve": forms.ApproveForm,
    "return": forms.ReturnForm,
    "publish": forms.PublishForm,
    "unpublish": forms.ReasonForm,
    "invalid": forms.ReasonForm,
    "convert": forms.ConvertForm,
}
APPROVER_ACTIONS = {"approve", "return"}


def _run(verb: str, message, user, data: dict):
    if verb == "triage":
        return actions.message_triage(message, actor=user, **data)
    if verb == "route":
        return actions.message_route(message, actor=user, **data)
    if verb == "draft":
        return actions.reply_draft(message, actor=user, **data)
    if verb == "submit":
        reply = selectors.working_reply(message)
        if reply is None:
            raise DomainError("还没有答复草稿，请先起草答复。")
        return actions.reply_submit(reply, actor=user)
    if verb in ("approve", "return"):
        reply = selectors.working_reply(message)
        if reply is None or reply.status != ReplyStatus.PENDING:
            raise DomainError("没有待审批的答复。")
        fn = actions.reply_approve if verb == "approve" else actions.reply_return
        return fn(reply, actor=user, note=data.get("note", ""))
    if verb == "publish":
        return actions.message_publish(message, actor=user, **data)
    if verb == "unpublish":
        return actions.message_unpublish(message, actor=user, **data)
    if verb == "invalid":
        return actions.message_mark_invalid(message, actor=user, **data)
    if verb == "convert":
        return actions.message_convert_to_application(message, actor=user, **data)  # data from action_kwargs()
    raise DomainError("未知的操作。")


DONE = {
    "triage": "已分办。", "route": "已转办。", "draft": "答复草稿已保存。", "submit": "答复已提交审批。",
    "approve": "答复已审批通过，留言已办结。", "return": "答复已退回修改。", "publish": "留言及答复已公开。",
    "unpublish": "已撤回公开。", "invalid": "已认定为无效留言并办结。", "convert": "已转为政府信息公开申请。",
}


class CaseView(StaffView):
    """One message: its facts, deadline, history, and the forms for the next steps."""

    template_name = "interaction/admin/case.html"

    def get_page_title(self):
        return str(self.message)

    def get(self, request, *args, **kwargs):
        self.load(kwargs["pk"])
        return self.render_to_response(self.get_context_data())

    def load(self, pk):
        self.message = selectors.case(pk, agency_ids=self.agency_ids)
        if self.message is None:
            raise Http404
        self.is_handler = handles_messages(self.request.user, self.message.agency)
        self.is_approver = can_approve(self.request.user, self.message.agency)

    def post(self, request, *args, **kwargs):
        self.load(kwargs["pk"])
        verb = request.POST.get("action", "")
        if verb == "reveal":  # the full phone and e-mail, once, audited, never cached
            try:
                actions.message_reveal_writer(self.message, actor=request.user)
            except DomainError:
                raise PermissionDenied from None
            response = self.render_to_response(self.get_context_data(revealed=True))
            response["Cache-Control"] = "no-store"
            return response
        if verb not in ACTION_FORMS:
            raise Http404
        allowed = self.is_approver if verb in APPROVER_ACTIONS else self.is_handler
        if not allowed:
            raise PermissionDenied
        form = ACTION_FORMS[verb](request.POST, message=self.message)
        if form.is_valid():
            data = form.action_kwargs() if hasattr(form, "action_kwargs") else form.cleaned_data
            try:
                _run(verb, self.message, request.user, data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                flash.success(request, DONE[verb])
                return redirect(reverse("interaction_admin:case", args=[self.message.pk]))
        return self.render_to_response(self.get_context_data(failed=(verb, form)), status=400)

    def action_forms(self, failed=None) -> dict:
        m = self.message
        reply = selectors.working_reply(m)
        out = {}
        if self.is_handler:
            if m.status == Status.RECEIVED:
                out["triage"] = forms.TriageForm(message=m, initial={"category": m.category})
            if m.status == Status.IN_PROGRESS:
                out["triage"] = forms.TriageForm(message=m, initial={"category": m.category,
                                                                    "department": m.department_id})
                out["route"] = forms.RouteForm(message=m)
                out["draft"] = forms.ReplyForm(message=m, initial={"text": reply.text if reply else ""})
                if reply is not None and reply.status == ReplyStatus.DRAFT:
                    out["submit"] = forms.EmptyForm(message=m)
            if m.status in (Status.RECEIVED, Status.IN_PROGRESS):
                out["invalid"] = forms.ReasonForm(message=m)
                out["convert"] = forms.ConvertForm(message=m)
            if m.outcome == Outcome.REPLIED and m.wants_public and m.published_at is None:
                out["publish"] = forms.PublishForm(message=m, initial=self.publish_initial())
            if m.published_at is not None:
                out["unpublish"] = forms.ReasonForm(message=m)
        if self.is_approver and m.status == Status.PENDING_APPROVAL:
            out["approve"] = forms.ApproveForm(message=m)
            out["return"] = forms.ReturnForm(message=m)
        if failed is not None:
            out[failed[0]] = failed[1]
        return out

    def publish_initial(self) -> dict:
        m = self.message
        approved = m.approved_reply
        return {
            "public_title": selectors.masked_text(m, m.title),
            "public_content": selectors.masked_text(m, m.content),
            "public_reply": selectors.masked_text(m, approved.text if approved else "", reply=True),
        }

    def get_context_data(self, failed=None, revealed=False, **kwargs):
        ctx = super().get_context_data(**kwargs)
        m = self.message
        show = can_see_personal_data(self.request.user, m.agency)
        ctx["revealed"] = show and revealed
        replies = list(m.replies.all())
        history = AuditEvent.objects.filter(
            subject_type="interaction.message", subject_id=str(m.pk)
        ) | AuditEvent.objects.filter(subject_type="interaction.reply", subject_id__in=[str(r.pk) for r in replies])
        ctx.update(
            m=m, show_personal=show, deadline=message_deadline(m), today=clock.today(),
            title=m.title if show else selectors.masked_text(m, m.title),
            content=m.content if show else selectors.masked_text(m, m.content),
            replies=[(r, r.text if show else selectors.masked_text(m, r.text, reply=True)) for r in replies],
            routings=list(m.routings.all()), history=history.order_by("at", "id"),
            forms=self.action_forms(failed), query_code=querycodes.display(m.query_code),
            is_handler=self.is_handler, is_approver=self.is_approver,
            publish_findings=self.publish_findings() if m.outcome == Outcome.REPLIED else "",
        )
        return ctx

    def publish_findings(self) -> str:
        m = self.message
        names = [m.writer_name] if m.writer_name else []
        parts = [mask_personal_data(m.title, names=names), mask_personal_data(m.content, names=names)]
        approved = m.approved_reply
        if approved:
            parts.append(mask_personal_data(approved.text, names=names, kinds=REPLY_KINDS))
        counts: dict[str, int] = {}
        for part in parts:
            for f in part.findings:
                counts[f.kind] = counts.get(f.kind, 0) + 1
        return "、".join(f"{k}{n}处" for k, n in counts.items())


class AttachmentView(StaffView):
    def get(self, request, *args, **kwargs):
        message = selectors.case(kwargs["pk"], agency_ids=self.agency_ids)
        if message is None or not message.attachment:
            raise Http404
        if not can_see_personal_data(request.user, message.agency):
            raise PermissionDenied
        name = message.attachment_name or message.attachment.name.rsplit("/", 1)[-1]
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return FileResponse(message.attachment.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)


class BoardView(StaffView):
    template_name = "interaction/admin/board.html"
    page_title = "留言超期看板"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["board"] = selectors.overdue_board(self.request.user, agency_ids=self.agency_ids)
        ctx["today"] = clock.today()
        return ctx


class RegisterView(StaffView):
    """Staff enter a message received by letter, phone or in person (or a single ticket)."""

    template_name = "interaction/admin/register.html"
    page_title = "登记留言"
    permission = "interaction.add_message"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", forms.StaffRegisterForm(agencies=self.handler_agencies()))
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.StaffRegisterForm(request.POST, agencies=self.handler_agencies())
        if form.is_valid():
            data = dict(form.cleaned_data)
            agency = data.pop("agency")
            try:
                message = actions.message_register(agency, actor=request.user, **data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                flash.success(request, f"已登记{message}。")
                return redirect(reverse("interaction_admin:case", args=[message.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FromApplicationView(WagtailAdminTemplateMixin, TemplateView):
    """《条例》第三十九条第一款: an application closed as a petition or complaint becomes a message.

    Offered on the application's case page (hook `applications_case_actions`, see
    wagtail_hooks.py) to the staff who handle the case; the form, the check and the
    action live here with the messages, so the applications app knows nothing of them.
    """

    template_name = "applications/admin/action.html"
    header_icon = "doc-full"
    label = "转为留言办理（第三十九条）"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        if not request.user.has_perm("applications.view_application"):
            raise PermissionDenied
        self.app = cases.case_for(agency_ids=cases.agency_ids_for(request.user), pk=kwargs["pk"])
        if self.app is None:
            raise Http404
        if not may_handle(request.user, self.app):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.label} · 申请 {self.app.number}"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": reverse("applications_admin:list"), "label": "依申请公开"},
                {"url": reverse("applications_admin:case", args=[self.app.pk]), "label": f"申请 {self.app.number}"},
                {"url": None, "label": self.label}]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(app=self.app, verb_label=self.label, clock=caseclock.clock_for(self.app))
        return ctx

    def get(self, request, *args, **kwargs):
        if not selectors.application_convertible(self.app):
            flash.warning(request, f"该申请当前状态为“{self.app.get_status_display()}”，不能{self.label}。")
            return redirect("applications_admin:case", pk=self.app.pk)
        form = forms.FromApplicationForm(initial={"reason": actions.ART39_DEFAULT_REASON})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = forms.FromApplicationForm(request.POST)
        if form.is_valid():
            try:
                actions.message_create_from_application(self.app, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                flash.success(request, f"{self.label}：已完成。")
                return redirect("applications_admin:case", pk=self.app.pk)
        return self.render_to_response(self.get_context_data(form=form))
