"""Public pages: write a message, get a query code, read replies (own by code, published ones by all).

Bad input is refused with a Chinese message next to the field and everything typed is
kept (except the chosen file, which browsers cannot keep; the form says so). Limits:
per IP a burst window and a daily cap, per phone number a daily cap, all in the shared
database cache (`gongkai.core.ratelimit`), counted only for otherwise valid submissions.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from gongkai.agencies.models import Agency
from gongkai.core import clock
from gongkai.core import querycodes
from gongkai.core import ratelimit
from gongkai.core.domain import DomainError
from gongkai.core.fields import phone_hash
from gongkai.core.parsing import parse_id

from . import actions, forms, selectors, spam
from .deadlines import message_deadline
from .models import Category, Channel, Message, Status

DEFAULT_LIMITS = {
    "ip_burst": (3, 600),  # 3 messages per IP in 10 minutes
    "ip_day": (10, 86400),
    "phone_day": (3, 86400),
    "query_ip": (30, 3600),
}
DUPLICATE_WINDOW_DAYS = 30
SESSION_KEY = "interaction_receipt"


def _limit(name: str) -> tuple[int, int]:
    return getattr(settings, "INTERACTION_RATE_LIMITS", {}).get(name, DEFAULT_LIMITS[name])


def _public_agencies():
    return Agency.objects.order_by("name")


def index(request):
    q = request.GET.get("q", "")[:50]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    agency_pk = parse_id(request.GET.get("agency"))
    agency_id = str(agency_pk) if agency_pk else ""
    qs = selectors.published_messages(agency_ids=[agency_pk] if agency_pk else None, q=q, category=category)
    page = Paginator(qs, 20).get_page(request.GET.get("p"))
    return render(request, "interaction/public/index.html", {
        "page": page, "q": q, "category": category, "agency_id": agency_id,
        "categories": Category.choices, "agencies": _public_agencies(),
        "nav": "index", "querystring": urlencode([(k, v) for k, v in (("q", q), ("category", category), ("agency", agency_id)) if v]),
    })


def detail(request, pk: int):
    message = selectors.published_messages().filter(pk=pk).first()
    if message is None:
        raise Http404("该留言不存在或未公开。")
    return render(request, "interaction/public/detail.html", {
        "m": message, "reply": message.approved_reply, "nav": "index"})


def _duplicate(agency, content: str) -> Message | None:
    since = clock.today() - timedelta(days=DUPLICATE_WINDOW_DAYS)
    return (
        Message.objects.filter(agency=agency, content_fingerprint=spam.fingerprint(content), received_on__gte=since)
        .order_by("-received_on").first()
    )


@never_cache
def write(request):
    agencies = _public_agencies()
    if request.method != "POST":
        initial = {}
        wanted, wanted_id = request.GET.get("jiguan", ""), parse_id(request.GET.get("agency"))
        chosen = (agencies.filter(credit_code=wanted).first() if wanted else None) or \
            (agencies.filter(pk=wanted_id).first() if wanted_id else None)  # ?agency=: from the agency's portal
        if chosen is None and agencies.count() == 1:
            chosen = agencies.first()
        if chosen is not None:
            initial["agency"] = chosen.pk
        return render(request, "interaction/public/write.html", {"nav": "write", "form": forms.PublicMessageForm(
            agencies=agencies, initial=initial)})
    form = forms.PublicMessageForm(request.POST, request.FILES, agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        refusal = _refusal(request, data)
        if refusal:
            form.add_error(None, refusal)
        else:
            upload = data.get("attachment")
            try:
                message = actions.message_register(
                    data["agency"], actor=None, category=data["category"], channel=Channel.WEBSITE,
                    title=data["title"], content=data["content"], writer_name=data["writer_name"],
                    writer_phone=data["writer_phone"], writer_email=data["writer_email"],
                    wants_public=data["wants_public"], attachment=upload,
                    attachment_name=upload.name if upload else "",
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                request.session[SESSION_KEY] = {"code": message.query_code, "id": message.pk}
                return redirect(reverse("interaction:done"))
    return render(request, "interaction/public/write.html", {"form": form, "nav": "write"}, status=400)


def _refusal(request, data) -> str | None:
    """Duplicate and rate-limit checks on an otherwise valid message (in this order)."""
    earlier = _duplicate(data["agency"], data["content"])
    if earlier is not None:
        # The date only to the same writer (same phone): a stranger learns nothing about another's message.
        if earlier.writer_phone_hash and earlier.writer_phone_hash == phone_hash(data["writer_phone"]):
            return (
                f"相同内容的留言已于{earlier.received_on:%Y年%-m月%-d日}提交，请勿重复提交；"
                "可凭当时得到的查询码查询办理进度。"
            )
        return "近期已收到相同内容的留言，请勿重复提交；如有新的情况，请在留言中写明。"
    ip = ratelimit.client_ip(request)
    limit, window = _limit("ip_burst")
    if not ratelimit.hit("interaction.ip_burst", ip, limit=limit, window=window):
        return f"提交过于频繁：同一网络{window // 60}分钟内最多提交{limit}条留言，请稍后再试。"
    limit, window = _limit("ip_day")
    if not ratelimit.hit("interaction.ip_day", ip, limit=limit, window=window):
        return f"同一网络每天最多提交{limit}条留言，请明天再试，或拨打本机关公开的咨询电话。"
    limit, window = _limit("phone_day")
    if not ratelimit.hit("interaction.phone_day", data["writer_phone"], limit=limit, window=window):
        return f"同一联系电话每天最多提交{limit}条留言，请明天再试；已提交的留言可凭查询码查询办理进度。"
    return None


@never_cache
def done(request):
    # Shown once: a reload (or the next person at a shared computer) does not see the query code again.
    receipt = request.session.pop(SESSION_KEY, None)
    if not receipt:
        return redirect(reverse("interaction:write"))
    message = Message.objects.filter(pk=receipt["id"], query_code=receipt["code"]).select_related("agency").first()
    if message is None:
        return redirect(reverse("interaction:write"))
    return render(request, "interaction/public/done.html", {
        "m": message, "code": querycodes.display(message.query_code), "deadline": message_deadline(message),
    })


@never_cache
def query(request):
    form = forms.QueryForm(request.POST if request.method == "POST" else None)  # an empty POST is refused too
    message = None
    status = 200
    if request.method == "POST":
        limit, window = _limit("query_ip")
        if not ratelimit.hit("interaction.query_ip", ratelimit.client_ip(request), limit=limit, window=window):
            form.add_error(None, "查询过于频繁，请一小时后再试。")
            status = 429
        elif form.is_valid():
            message = selectors.by_query_code(form.cleaned_data["code"])
            if message is None:
                form.add_error("code", "没有找到该查询码对应的留言，请核对后重新输入（字母不区分大小写）。")
                status = 404
        else:
            status = 400
    context = {"form": form, "m": message, "nav": "query"}
    if message is not None:
        context.update(
            reply=message.approved_reply, deadline=message_deadline(message),
            stage=_stage(message),
        )
    return render(request, "interaction/public/query.html", context, status=status)


def _stage(message: Message) -> str:
    if message.status == Status.CLOSED:
        if message.outcome == "replied":
            return "已答复"
        if message.outcome == "converted":
            return "已转为政府信息公开申请办理"
        return "已办结"
    if message.status == Status.RECEIVED:
        return "已受理，等待分办"
    return "办理中"
