"""The one central list of audited action codes (dotted, `<app>.<verb>`).

Every state change in Gongkai writes exactly one audit event whose `action` is one of
these codes. Add a code here when you add an action; the label is what staff read.
"""

ACTIONS: dict[str, str] = {
    # accounts
    "accounts.login": "登录成功",
    "accounts.login_failed": "登录失败",
    "accounts.logout": "退出登录",
    "accounts.lockout": "登录失败次数过多，账号暂时锁定",
    "accounts.otp_enrol": "启用双因素认证",
    "accounts.otp_verify": "通过双因素认证",
    # agencies
    "agencies.create": "新建机构",
    "agencies.update": "修改机构信息",
    "agencies.role_grant": "授予角色",
    "agencies.role_revoke": "撤销角色",
    # calendars
    "calendars.year_load": "载入年度放假安排",
    "calendars.year_delete": "删除年度放假安排",
}


def label(code: str) -> str:
    return ACTIONS.get(code, code)
