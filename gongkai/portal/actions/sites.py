"""One step for a province administrator: a new agency with its site, groups, workflow and office head."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.models import Site

from gongkai.agencies import actions as agency_actions
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action

from ..setup import PAGE_PERMISSIONS, agency_group_name, ensure_agency_portal

HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
USERNAME = re.compile(r"^[\w.@+-]{3,150}$")


def _check_host(hostname: str, port: int) -> str:
    host = (hostname or "").strip().lower().rstrip(".")
    if not HOSTNAME.match(host):
        raise DomainError(f"网站主机名“{hostname}”无效：只能含字母、数字、连字符和点，例如 mzj.ly.gov.cn。", field="host")
    if not 1 <= port <= 65535:
        raise DomainError(f"端口“{port}”无效，应为 1–65535，通常为 80。", field="port")
    taken = Site.objects.filter(hostname=host, port=port).first()
    if taken is not None:
        raise DomainError(f"主机名 {host}:{port} 已由“{taken.site_name or taken.root_page.title}”使用，请换一个。",
                          field="host")
    return host


@action("portal.agency_site_create")
def agency_with_site_create(*, actor, hostname: str, port: int = 80, head_username: str = "", head_email: str = "",
                            **fields):
    """Create the agency, its site (home page, Wagtail site, 网站 settings), per-agency groups, collections,
    the 初审 → 保密审查 → 签发 workflow and, if named, its office head with a one-time password.

    Returns (agency, site, head user or None, initial password or "").
    """
    host = _check_host(hostname, port)
    username = (head_username or "").strip()
    User = get_user_model()
    if username:
        if not USERNAME.match(username):
            raise DomainError(f"用户名“{username}”无效：3–150 个字母、数字或 . @ + - _。", field="head_username")
        if User.objects.filter(username=username).exists():
            raise DomainError(f"用户名“{username}”已存在，请换一个或稍后在后台为其授予角色。", field="head_username")
    try:
        agency = agency_actions.agency_create(actor=actor, **fields)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages)) from None
    home = ensure_agency_portal(agency, hostname=host, port=port)
    site = Site.objects.get(root_page=home)
    head, password = None, ""
    if username:
        password = secrets.token_urlsafe(12)
        head = User.objects.create_user(username, email=head_email.strip(), password=password, is_staff=True)
        agency_actions.membership_grant(head, agency, Role.OFFICE_HEAD, actor=actor)
    record("portal.agency_site_create", actor=actor, agency=agency, subject=agency,
           new={"site": f"{host}:{port}", "home_page": home.pk, "head": username,
                "groups": [agency_group_name(agency, role) for role in PAGE_PERMISSIONS]})
    return agency, site, head, password
