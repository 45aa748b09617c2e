"""Two-factor authentication: enrol a TOTP app, or verify with a code (or a backup code)."""

from __future__ import annotations

import base64
from datetime import timedelta
from io import BytesIO

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.record import record
from gongkai.core.clientip import client_ip

from .twofactor import two_factor_required


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码", max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "请输入验证器应用上显示的6位验证码。"},
    )


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/admin/"


def _qr_svg(uri: str) -> str:
    # heavy; only needed for enrolling a 2FA device (keeps qrcode out of every worker start)
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required(login_url="/admin/login/")
def otp(request):
    user = request.user
    confirmed = list(devices_for_user(user, confirmed=True))
    form = TokenForm(request.POST or None)
    if confirmed:
        if request.method == "POST" and form.is_valid():
            token = form.cleaned_data["token"].strip().replace(" ", "")
            throttled = False
            for device in confirmed:
                allowed, _data = device.verify_is_allowed()
                if not allowed:
                    throttled = True
                    continue
                if device.verify_token(token):
                    otp_login(request, device)
                    # A new session key at the second factor: a key fixed or seen before it is now worthless.
                    request.session.cycle_key()
                    record("accounts.otp_verify", actor=user, subject=user)
                    return redirect(_next_url(request))
            if throttled:
                form.add_error("token", "验证码尝试过于频繁，请稍等几秒后再输入。")
            else:
                form.add_error("token", "验证码不正确或已过期，请查看验证器应用上的最新验证码后重试。")
        return render(request, "accounts/otp_verify.html",
                      {"form": form, "next": _next_url(request), "required": two_factor_required(user)})

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="验证器应用", confirmed=False)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().replace(" ", "")
        if device.verify_token(token):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record("accounts.otp_enrol", actor=user, subject=user)
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        form.add_error("token", "验证码不正确，请确认手机时间准确、已扫描下方二维码后重试。")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "next": _next_url(request), "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "required": two_factor_required(user),
    })


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page: in Chinese, says until when, and whom to ask (AXES_LOCKOUT_CALLABLE)."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request) or timedelta(0)
    last = (AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
            .order_by("-attempt_time").values_list("attempt_time", flat=True).first())
    until = timezone.localtime((last or timezone.now()) + cool_off)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {
        "username": username, "until": until, "minutes": max(1, int(cool_off.total_seconds() // 60)),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)
