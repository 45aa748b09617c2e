"""State changes of agencies and roles: actions (`gongkai.core.domain.action`), each audited."""

from __future__ import annotations

from django.contrib.auth.models import Group

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, unchanged

from .models import Agency, Membership
from .roles import Role, ensure_role_groups, group_name

AGENCY_FIELDS = ("name", "short_name", "credit_code", "site_code", "level", "kind", "supervisor_id", "is_demo")


def _snapshot(agency: Agency) -> dict:
    return {field: getattr(agency, field) for field in AGENCY_FIELDS}


def _sync_groups(user) -> None:
    roles = set(user.memberships.values_list("role", flat=True))
    names = {group_name(r) for r in roles}
    role_group_names = {group_name(r) for r in Role}
    keep = [g for g in user.groups.all() if g.name not in role_group_names]
    user.groups.set(keep + list(Group.objects.filter(name__in=names)))


@action("agencies.create")
def agency_create(*, actor, **fields) -> Agency:
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    record("agencies.create", actor=actor, agency=agency, subject=agency, new=_snapshot(agency))
    return agency


@action("agencies.update")
def agency_update(agency: Agency, *, actor, **changes) -> Agency:
    old = _snapshot(lock(agency))
    for field, value in changes.items():
        setattr(agency, field, value)
    agency.full_clean()
    new = _snapshot(agency)
    if new == old:
        unchanged()
        return agency
    agency.save()
    diff_old = {k: v for k, v in old.items() if new[k] != v}
    diff_new = {k: new[k] for k in diff_old}
    record("agencies.update", actor=actor, agency=agency, subject=agency, old=diff_old, new=diff_new)
    return agency


@action("agencies.role_grant")
def membership_grant(user, agency: Agency, role: str, *, actor) -> Membership:
    role = Role(role)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if not created:
        raise DomainError(f"{user.get_username()} 已在{agency}担任“{role.label}”，无需重复授予。")
    ensure_role_groups()
    _sync_groups(user)
    record(
        "agencies.role_grant", actor=actor, agency=agency, subject=membership,
        new={"user": user.get_username(), "role": role.value},
    )
    return membership


@action("agencies.role_revoke")
def membership_revoke(membership: Membership, *, actor) -> None:
    user, agency, role = membership.user, membership.agency, membership.role
    record(
        "agencies.role_revoke", actor=actor, agency=agency, subject=membership,
        old={"user": user.get_username(), "role": role},
    )
    membership.delete()
    _sync_groups(user)
