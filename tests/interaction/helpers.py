"""Solve the self-hosted CAPTCHA from a rendered page (its words alternative)."""

from __future__ import annotations

import re

from gongkai.core import captcha


def solve(words: str) -> int:
    digits = {c: i for i, c in enumerate(captcha.NUMERALS)}
    op = "加" if "加" in words else "减"
    left, right = words.removesuffix("等于几？").split(op)
    a, b = digits[left], digits[right]
    return a + b if op == "加" else a - b


def captcha_fields(html: str) -> dict:
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    words = re.search(r"文字题：(.+?)</p>", html).group(1)
    return {"captcha_token": token, "captcha_answer": str(solve(words))}


def login_verified(client, user) -> None:
    """Log in and pass two-factor authentication (required for the 政务公开办 role)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    device = StaticDevice.objects.create(user=user, name="测试备用码")
    device.token_set.create(token="11112222")
    response = client.post("/accounts/2fa/", {"token": "11112222"})
    assert response.status_code in (200, 302), response.status_code
