"""Offer two-factor authentication to every staff member from their account page."""

from wagtail import hooks


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": "/accounts/2fa/?next=/admin/account/",
        "label": "双因素认证",
        "help_text": "用手机验证器应用绑定账号，登录时需输入6位验证码（系统管理员、政务公开办必须启用）。",
    }
