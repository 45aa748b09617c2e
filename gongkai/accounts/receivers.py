"""Audit logins, failed logins, logouts and lockouts (the auth framework's own signals)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongkai.audit.record import record
from gongkai.core.clientip import client_ip


def _ip(request) -> str | None:
    if request is None:
        return None
    return client_ip(request)


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record("accounts.login", actor=user, subject=user, ip_address=_ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.logout", actor=user, subject=user, ip_address=_ip(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record("accounts.login_failed", actor_label=username, ip_address=_ip(request), new={"username": username})


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    record("accounts.lockout", actor_label=str(username or "")[:150], ip_address=ip_address,
           new={"username": username})
