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

from .. import mounts
from ..setup import PAGE_PERMISSIONS, agency_group_name, ensure_agency_portal

USERNAME = re.compile(r"^[\w.@+-]{3,150}$")


def _check_host(address: str, port: int) -> str:
    """The Wagtail host name for a site address: 'mzj.ly.gov.cn', or 'www.ly.gov.cn/bm/mzj' under a shared host."""
    try:
        host, code = mounts.parse_address(address)
    except ValueError as exc:
        raise DomainError(str(exc), field="host") from None
    if not mounts.HOSTNAME_RE.match(host):
        raise DomainError(f"网站主机名“{host or address}”无效：只能含字母、数字、连字符和点，"
                          "例如 mzj.ly.gov.cn，或共享主机下的 www.ly.gov.cn/bm/mzj。", field="host")
    if not code and mounts.mount_of(host):
        raise DomainError(f"主机名“{host}”以 bm- 开头，这种写法留给共享主机下的网站；"
                          "请写成 共享主机名/bm/代码，例如 www.ly.gov.cn/bm/mzj。", field="host")
    if not 1 <= port <= 65535:
        raise DomainError(f"端口“{port}”无效，应为 1–65535，通常为 80。", field="port")
    hostname = mounts.site_hostname(code, host) if code else host
    taken = Site.objects.filter(hostname=hostname, port=port).first()
    if taken is not None:
        where = mounts.public_address(hostname, port)
        raise DomainError(f"网站地址 {where} 已由“{taken.site_name or taken.root_page.title}”使用，请换一个。",
                          field="host")
    return hostname


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
           new={"site": mounts.public_address(host, port), "home_page": home.pk, "head": username,
                "groups": [agency_group_name(agency, role) for role in PAGE_PERMISSIONS]})
    return agency, site, head, password
