"""Send staff who must use two-factor authentication to enrol or verify before the admin."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from .twofactor import two_factor_required

EXEMPT_PREFIXES = ("/accounts/", "/admin/login/", "/admin/logout/", "/static/", "/media/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = getattr(request, "user", None)
        if (
            path.startswith("/admin/")
            and not path.startswith(EXEMPT_PREFIXES)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and two_factor_required(user)
        ):
            return redirect(f"{reverse('accounts:otp')}?next={path}")
        return self.get_response(request)
