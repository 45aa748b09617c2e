"""Staff roles, scoped per agency, and the Django permissions each role carries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    SUPERVISOR = "supervisor", _("政务公开办")
    OFFICE_HEAD = "office_head", _("公开工作机构负责人")
    APPLICATION_OFFICER = "application_officer", _("依申请办理")
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核")
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer", _("保密审查")
    SIGNER = "signer", _("签发")
    MESSAGE_HANDLER = "message_handler", _("留言办理")


# Roles whose holders must use two-factor authentication.
TWO_FACTOR_REQUIRED = frozenset({Role.SYSADMIN, Role.SUPERVISOR})

# Roles that read across the agencies an agency supervises.
CROSS_AGENCY_READ = frozenset({Role.SUPERVISOR})

# Every role may enter the admin. Apps extend this map with their own model
# permissions ("app_label.codename") in their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, set[str]] = {role.value: {"wagtailadmin.access_admin"} for role in Role}
ROLE_PERMISSIONS[Role.SYSADMIN].update(
    {
        "agencies.view_agency", "agencies.add_agency", "agencies.change_agency",
        "agencies.view_membership", "agencies.add_membership", "agencies.change_membership",
        "agencies.delete_membership",
        "calendars.view_calendaryear", "calendars.add_calendaryear", "calendars.change_calendaryear",
        "audit.view_auditevent",
        "auth.add_user", "auth.change_user", "auth.view_user",
    }
)
ROLE_PERMISSIONS[Role.SUPERVISOR].update({"agencies.view_agency", "audit.view_auditevent"})
ROLE_PERMISSIONS[Role.OFFICE_HEAD].update({"agencies.view_agency", "agencies.view_membership", "audit.view_auditevent"})


def group_name(role: str) -> str:
    return str(Role(role).label)


def ensure_role_groups() -> dict[str, Group]:
    """Create (or refresh) one Django group per role with the role's permissions (after migrate).

    Reads the permissions in one query and rewrites a group's only when they differ: it
    runs on every role grant (it took 1.7 s per grant when it read them one by one).
    """
    # app registry: every apps.py imports this module (ROLE_PERMISSIONS) before models load
    from django.contrib.auth.models import Group, Permission

    codenames = {dotted.split(".", 1)[1] for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(codename__in=codenames)
        .values_list("pk", "content_type__app_label", "codename")
    }
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = {known[dotted] for dotted in ROLE_PERMISSIONS[role.value] if dotted in known}
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)
        groups[role.value] = group
    return groups
