"""State changes of agencies and roles; each writes its audit event in the same transaction."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gongkai.audit.record import record

from .models import Agency, Membership
from .roles import ROLE_PERMISSIONS, Role, group_name

AGENCY_FIELDS = ("name", "short_name", "credit_code", "site_code", "level", "kind", "supervisor_id", "is_demo")


class AgencyError(ValueError):
    """A refused change; the message is Chinese and says what to do."""


def _snapshot(agency: Agency) -> dict:
    return {field: getattr(agency, field) for field in AGENCY_FIELDS}


def ensure_role_groups() -> dict[str, Group]:
    """Create (or refresh) one Django group per role with the role's permissions."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in sorted(ROLE_PERMISSIONS[role.value]):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
        groups[role.value] = group
    return groups


def _sync_groups(user) -> None:
    roles = set(user.memberships.values_list("role", flat=True))
    names = {group_name(r) for r in roles}
    role_group_names = {group_name(r) for r in Role}
    keep = [g for g in user.groups.all() if g.name not in role_group_names]
    user.groups.set(keep + list(Group.objects.filter(name__in=names)))


@transaction.atomic
def agency_create(*, actor, **fields) -> Agency:
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    record("agencies.create", actor=actor, agency=agency, subject=agency, new=_snapshot(agency))
    return agency


@transaction.atomic
def agency_update(agency: Agency, *, actor, **changes) -> Agency:
    old = _snapshot(Agency.objects.select_for_update().get(pk=agency.pk))
    for field, value in changes.items():
        setattr(agency, field, value)
    agency.full_clean()
    new = _snapshot(agency)
    if new == old:
        return agency
    agency.save()
    diff_old = {k: v for k, v in old.items() if new[k] != v}
    diff_new = {k: new[k] for k in diff_old}
    record("agencies.update", actor=actor, agency=agency, subject=agency, old=diff_old, new=diff_new)
    return agency


@transaction.atomic
def membership_grant(user, agency: Agency, role: str, *, actor) -> Membership:
    role = Role(role)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if not created:
        raise AgencyError(f"{user.get_username()} 已在{agency}担任“{role.label}”，无需重复授予。")
    ensure_role_groups()
    _sync_groups(user)
    record(
        "agencies.role_grant", actor=actor, agency=agency, subject=membership,
        new={"user": user.get_username(), "role": role.value},
    )
    return membership


@transaction.atomic
def membership_revoke(membership: Membership, *, actor) -> None:
    user, agency, role = membership.user, membership.agency, membership.role
    record(
        "agencies.role_revoke", actor=actor, agency=agency, subject=membership,
        old={"user": user.get_username(), "role": role},
    )
    membership.delete()
    _sync_groups(user)
