"""Public pages: apply online, the receipt with the query code, the status page with the
letter and released files to download (网上查看), and the letter verification page.

No personal data in URLs or logs: the forms POST, the receipt is shown by a one-time
session key (never by query code in the URL), and failures log nothing personal.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from gongkai.agencies.models import Agency
from gongkai.core import clock as system_clock
from gongkai.core import ratelimit
from gongkai.core.domain import DomainError
from gongkai.core.parsing import parse_id

from . import actions, caseclock, letters, printing, release, releaseforms, selectors, verification
from .published import find_published
from .forms import PublicApplyForm, StatusQueryForm
from .models import Application, Channel

APPLY_LIMIT_IP = getattr(settings, "APPLY_LIMIT_PER_IP", 10)
APPLY_LIMIT_PHONE = getattr(settings, "APPLY_LIMIT_PER_PHONE", 5)
STATUS_LIMIT_IP = getattr(settings, "STATUS_LIMIT_PER_IP", 30)
WINDOW = 3600


def _agencies():
    return Agency.objects.filter(supervisor__isnull=False).order_by("name")


LOOKUP_TEXT_MAX = 300


def _described(data) -> str:
    """What the applicant typed about the information: subject, description and 文号."""
    return " ".join((data.get(k) or "").strip() for k in ("subject", "description", "document_number"))[:LOOKUP_TEXT_MAX]


def _lookup_allowed(request) -> bool:
    return ratelimit.hit_batched("apply-published", ratelimit.client_ip(request),
                                 limit=settings.APPLY_PUBLISHED_RATE_LIMIT, window=60)


@never_cache
def published(request):
    """JSON for /apply/ while the citizen types: items of the chosen agency's site that are already published."""
    agency = _agencies().filter(pk=parse_id(request.GET.get("agency"))).first() \
        if parse_id(request.GET.get("agency")) else None
    if agency is None:
        return JsonResponse({"error": "请选择受理申请的机关。", "items": []}, status=404)
    text = (request.GET.get("q") or "")[:LOOKUP_TEXT_MAX]
    if len(text.strip()) < 2:
        return JsonResponse({"items": []})
    if not _lookup_allowed(request):
        return JsonResponse({"error": "查询过于频繁，请稍后再试；您仍可以直接提交申请。", "items": []}, status=429)
    items = [{"title": i["title"], "url": i["url"],
              "date": i["published_on"].isoformat() if i["published_on"] else ""}
             for i in find_published(agency, text, limit=5)]
    return JsonResponse({"items": items}, json_dumps_params={"ensure_ascii": False})


@csrf_protect
@never_cache
def apply(request):
    agencies = list(_agencies())
    chosen = request.POST.get("agency") or request.GET.get("agency") or ""
    if request.method == "POST" and "lookup" in request.POST:
        return _apply_lookup(request, agencies, chosen)
    form = PublicApplyForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        agency = next((a for a in agencies if str(a.pk) == chosen), None)
        if agency is None:
            error = "请选择受理申请的机关。"
        if form.is_valid() and agency is not None:
            ip = ratelimit.client_ip(request)
            phone = form.cleaned_data["phone"]
            if not ratelimit.hit("apply-ip", ip, limit=APPLY_LIMIT_IP, window=WINDOW):
                error = "提交过于频繁，请一小时后再试；如需帮助请致电受理机关。"
            elif not ratelimit.hit("apply-phone", phone, limit=APPLY_LIMIT_PHONE, window=WINDOW):
                error = "同一联系电话在一小时内提交的申请过多，请稍后再试。"
            else:
                today = system_clock.today()
                try:
                    app = actions.application_register(
                        agency=agency, actor=None, applicant=form.applicant_data(), channel=Channel.ONLINE,
                        submitted_on=today, confirmed_on=today, subject=form.cleaned_data["subject"],
                        description=form.cleaned_data["description"],
                        document_number=form.cleaned_data["document_number"],
                        form_wanted=form.cleaned_data["form_wanted"],
                        delivery_wanted=form.cleaned_data["delivery_wanted"])
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    request.session["applications_receipt"] = app.pk
                    return redirect("applications_public:receipt")
    return render(request, "applications/public/apply.html",
                  {"form": form, "agencies": agencies, "chosen": chosen, "error": error})


def _apply_lookup(request, agencies, chosen):
    """“查找已公开的信息” without JavaScript: the form again, as typed, with what is already published."""
    agency = next((a for a in agencies if str(a.pk) == chosen), None)
    form = PublicApplyForm(initial={k: v for k, v in request.POST.items() if k not in ("captcha", "csrfmiddlewaretoken")})
    error, matches = "", None
    if agency is None:
        error = "请先选择受理申请的机关，再查找已公开的信息。"
    elif not _lookup_allowed(request):
        error = "查询过于频繁，请稍后再试；您仍可以直接提交申请。"
    else:
        matches = find_published(agency, _described(request.POST), limit=5)
    return render(request, "applications/public/apply.html",
                  {"form": form, "agencies": agencies, "chosen": chosen, "error": error, "matches": matches})


@never_cache
def receipt(request):
    # Shown once: a reload (or the next person at a shared computer) does not see the query code again.
    pk = request.session.pop("applications_receipt", None)
    if not pk:
        return redirect("applications_public:apply")
    app = get_object_or_404(Application.objects.select_related("agency"), pk=pk)
    clock = caseclock.clock_for(app)
    return render(request, "applications/public/receipt.html", {"app": app, "clock": clock})


@csrf_protect
@never_cache
def status(request):
    form = StatusQueryForm(request.POST if request.method == "POST" else None)
    app = clock = None
    error = ""
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("status-ip", ratelimit.client_ip(request), limit=STATUS_LIMIT_IP, window=WINDOW):
            error = "查询过于频繁，请稍后再试。"
        else:
            app = selectors.find_by_query_code(form.cleaned_data["query_code"], form.cleaned_data["phone_last4"])
            if app is None:
                error = "没有找到与查询码和电话后4位相符的申请，请核对申请回执上的查询码。"
            else:
                clock = caseclock.clock_for(app)
                release.start_session(request.session, app)
    return render(request, "applications/public/status.html",
                  {"form": form, "app": app, "clock": clock, "error": error,
                   "state_label": caseclock.STATE_LABELS.get(clock.state, "") if clock else "",
                   "delivery": _delivery(request, app) if app else None})


def _delivery(request, app) -> dict | None:
    """What the status page offers for download (网上查看 / 电子邮件 cases, after the decision, in the period)."""
    if not release.offers_online(app):
        return None
    until = release.online_until(app.decided_on)
    if not release.online_open(app):
        return {"closed": True, "until": until}
    files = [f for f in app.release_files.all() if f.releasable]
    return {"closed": False, "until": until,
            "letter": release.make_link_token(request.session, app, None),
            "files": [(f, release.make_link_token(request.session, app, f.pk)) for f in files]}


CLOSED_MESSAGE = "网上查看期限已过（答复后{days}天内可下载）。如需答复书或所提供的信息，请与{agency}联系。"


@never_cache
def download(request, token: str):
    """A released file or the reply letter, through a signed short-lived link of this status session."""
    try:
        app_id, file_id = release.read_link_token(request.session, token)
    except release.LinkRefused as exc:
        return render(request, "applications/public/refused.html", {"message": str(exc)}, status=403)
    app = Application.objects.select_related("agency", "applicant").filter(pk=app_id).first()
    f = app.release_files.filter(pk=file_id).first() if app is not None and file_id else None
    if app is None or not release.offers_online(app) or (file_id and (f is None or not f.releasable)):
        return render(request, "applications/public/refused.html",
                      {"message": "没有可下载的文件，请重新查询办理进度。"}, status=404)
    if not release.online_open(app):
        return render(request, "applications/public/refused.html", {"message": CLOSED_MESSAGE.format(
            days=release.online_days(), agency=app.agency.name)}, status=410)
    if f is None:
        letter = printing.letter_for(app, f"reply.{app.outcome}", actor=None, issue=True)
        content, name = letters.to_pdf(letter), f"{app.number}-{letter.file_stem}.pdf"
    actions.release_record_download(app, release_file=f, ip=ratelimit.client_ip(request))
    if f is not None:
        return release.file_response(f, "released")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


VERIFY_LIMIT_IP = getattr(settings, "VERIFY_LIMIT_PER_IP", 30)


@csrf_protect
@never_cache
def verify(request):
    """文书核验: is a letter with this code genuine — which agency, which kind, which date; nothing personal."""
    form = releaseforms.VerifyForm(request.POST if request.method == "POST" else None)
    found = None
    error = ""
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("verify-ip", ratelimit.client_ip(request), limit=VERIFY_LIMIT_IP, window=WINDOW):
            error = "查询过于频繁，请稍后再试。"
        else:
            seal = verification.find(form.cleaned_data["code"])
            if seal is None:
                error = "未找到该核验码：此文书不是由本平台出具的，或核验码填写有误。请对照文书底部核对，如有疑问请联系出具文书的机关。"
            else:
                found = verification.describe(seal)
    return render(request, "applications/public/verify.html", {"form": form, "found": found, "error": error})
