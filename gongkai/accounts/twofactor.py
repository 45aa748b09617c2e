"""Who must use two-factor authentication, and helpers around django-otp devices."""

from __future__ import annotations

from django_otp import devices_for_user

from gongkai.agencies.roles import TWO_FACTOR_REQUIRED


def two_factor_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(role__in=list(TWO_FACTOR_REQUIRED)).exists()


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))
