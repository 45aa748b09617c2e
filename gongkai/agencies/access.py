"""Who may see and change which agency's records.

Staff see their own agencies; holders of the 政务公开办 role also read (never change)
every agency their agency supervises, directly or further down. Superusers and
system administrators see all.
"""

from __future__ import annotations

from django.apps import apps

from .roles import CROSS_AGENCY_READ, Role


def _agencies():
    """Agency rows, looked up in the app registry: the models import this module."""
    return apps.get_model("agencies", "Agency").objects


def _is_global(user) -> bool:
    """Superusers and system administrators (系统管理员) administer the whole installation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_gongkai_is_sysadmin", None)
    if cached is None:
        cached = user.memberships.filter(role=Role.SYSADMIN).exists()
        user._gongkai_is_sysadmin = cached
    return cached


def member_agency_ids(user, roles=None) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    qs = user.memberships.all()
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return set(qs.values_list("agency_id", flat=True))


def supervised_agency_ids(agency_ids: set[int]) -> set[int]:
    """All agencies below the given ones in the supervision tree."""
    found: set[int] = set()
    frontier = set(agency_ids)
    while frontier:
        children = set(_agencies().filter(supervisor_id__in=frontier).values_list("pk", flat=True)) - found
        found |= children
        frontier = children
    return found


def visible_agency_ids(user) -> set[int]:
    if _is_global(user):
        return set(_agencies().values_list("pk", flat=True))
    own = member_agency_ids(user)
    cross = member_agency_ids(user, roles=CROSS_AGENCY_READ)
    return own | supervised_agency_ids(cross)


def changeable_agency_ids(user) -> set[int]:
    if _is_global(user):
        return set(_agencies().values_list("pk", flat=True))
    return member_agency_ids(user)


def has_role(user, agency, *roles: str) -> bool:
    if _is_global(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(agency=agency, role__in=[Role(r) for r in roles]).exists()


def can_change(user, agency) -> bool:
    return agency is not None and agency.pk in changeable_agency_ids(user)


def can_view(user, agency) -> bool:
    return agency is not None and agency.pk in visible_agency_ids(user)
