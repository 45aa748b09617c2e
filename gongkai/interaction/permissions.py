"""Who may handle messages, approve replies and see the writers' personal data.

Personal data (name, phone, e-mail, attachment) is shown only to the staff who handle
the case: 留言办理 and 公开工作机构负责人 of the message's own agency. The supervising
office (政务公开办) and system administrators read counts and masked texts only.
"""

from __future__ import annotations

from gongkai.agencies.roles import Role

from .models import MessageSettings

HANDLER_ROLES = (Role.MESSAGE_HANDLER, Role.OFFICE_HEAD)


def _roles(user, agency) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or agency is None:
        return set()
    cache = user.__dict__.setdefault("_interaction_roles", {})
    key = getattr(agency, "pk", agency)
    if key not in cache:
        cache[key] = set(user.memberships.filter(agency_id=key).values_list("role", flat=True))
    return cache[key]


def handles_messages(user, agency) -> bool:
    """May triage, route, draft, publish and see personal data of this agency's messages."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(_roles(user, agency) & {r.value for r in HANDLER_ROLES})


def can_see_personal_data(user, agency) -> bool:
    return handles_messages(user, agency)


def can_approve(user, agency, settings_row=None) -> bool:
    """公开工作机构负责人 of the agency, or the approver configured in its settings."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    if Role.OFFICE_HEAD.value in _roles(user, agency):
        return True
    if settings_row is None:
        settings_row = MessageSettings.objects.filter(agency=agency).first()
    return bool(
        settings_row is not None and settings_row.approver_id is not None
        and getattr(user, "pk", None) == settings_row.approver_id and _roles(user, agency)
    )


def can_configure(user, agency) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return Role.OFFICE_HEAD.value in _roles(user, agency)
