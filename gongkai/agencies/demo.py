"""Demo agencies and one demo user per role (clearly marked as demo data)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from . import actions
from .models import Agency, Kind, Level, Membership
from .roles import TWO_FACTOR_REQUIRED, Role

DEMO_PASSWORD = "demo2026gongkai"
DEMO_BACKUP_CODE = "20262026"

SUPERVISOR = {
    "name": "洛阳市人民政府办公室", "short_name": "洛阳市政府办", "credit_code": "11410300005718100J",
    "site_code": "4103000001", "level": Level.CITY, "kind": Kind.GOVERNMENT,
}
AGENCY = {
    "name": "洛阳市退役军人事务局", "short_name": "市退役军人事务局", "credit_code": "11410300MB1795630N",
    "site_code": "4103000062", "level": Level.CITY, "kind": Kind.DEPARTMENT,
}
OTHER = {
    "name": "洛阳市民政局", "short_name": "市民政局", "credit_code": "11410300005718127A",
    "site_code": "4103000017", "level": Level.CITY, "kind": Kind.DEPARTMENT,
}

# (username, display name, role, which agency)
USERS = [
    ("demo_admin", "演示·系统管理员", Role.SYSADMIN, "supervisor"),
    ("demo_supervisor", "演示·政务公开办", Role.SUPERVISOR, "supervisor"),
    ("demo_head", "演示·公开工作机构负责人", Role.OFFICE_HEAD, "agency"),
    ("demo_officer", "演示·依申请办理", Role.APPLICATION_OFFICER, "agency"),
    ("demo_editor", "演示·编辑", Role.EDITOR, "agency"),
    ("demo_reviewer", "演示·审核", Role.REVIEWER, "agency"),
    ("demo_secrecy", "演示·保密审查", Role.CONFIDENTIALITY_REVIEWER, "agency"),
    ("demo_signer", "演示·签发", Role.SIGNER, "agency"),
    ("demo_messages", "演示·留言办理", Role.MESSAGE_HANDLER, "agency"),
    ("demo_other_officer", "演示·民政局依申请办理", Role.APPLICATION_OFFICER, "other"),
]


def _agency(fields: dict, supervisor=None) -> Agency:
    existing = Agency.objects.filter(credit_code=fields["credit_code"]).first()
    if existing:
        return existing
    return actions.agency_create(actor=None, is_demo=True, supervisor=supervisor, **fields)


def load(context: dict) -> list[str]:
    """Create the demo agencies and users once; return lines to print."""
    supervisor = _agency(SUPERVISOR)
    agency = _agency(AGENCY, supervisor)
    other = _agency(OTHER, supervisor)
    context.update(supervisor=supervisor, agency=agency, other=other)
    by_key = {"supervisor": supervisor, "agency": agency, "other": other}
    User = get_user_model()
    lines = [f"演示账号（演示数据，密码均为 {DEMO_PASSWORD}）："]
    users = {}
    for username, display, role, where in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=display, email=f"{username}@example.invalid")
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not Membership.objects.filter(user=user, agency=by_key[where], role=role).exists():
            actions.membership_grant(user, by_key[where], role, actor=None)
        extra = ""
        if role in TWO_FACTOR_REQUIRED:
            device, _ = StaticDevice.objects.get_or_create(user=user, name="演示备用码")
            if not device.token_set.filter(token=DEMO_BACKUP_CODE).exists():
                # Static tokens are single-use; keep a good supply for demos and tests.
                for _ in range(50):
                    StaticToken.objects.create(device=device, token=DEMO_BACKUP_CODE)
            extra = f"（双因素认证备用码：{DEMO_BACKUP_CODE}）"
        users[username] = user
        lines.append(f"  {username:<20} {role.label}·{by_key[where].name}{extra}")
    context["users"] = users
    return lines
