import re

import pytest
from django import forms

from gongkai.core import captcha, ratelimit


class Form(forms.Form):
    captcha = captcha.CaptchaField()


def _challenge():
    html = str(Form()["captcha"])
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    words = re.search(r"文字题：(.+?)</p>", html).group(1)
    return html, token, words


def _solve(words: str) -> int:
    digits = {c: i for i, c in enumerate(captcha.NUMERALS)}
    op = "加" if "加" in words else "减"
    left, right = words.removesuffix("等于几？").split(op)
    a, b = digits[left], digits[right]
    return a + b if op == "加" else a - b


def test_rendered_challenge_has_picture_and_words_alternative():
    html, token, words = _challenge()
    assert 'src="data:image/svg+xml;base64,' in html and "alt=" in html
    assert words.endswith("等于几？")


@pytest.mark.django_db
def test_right_answer_passes_and_wrong_answer_is_refused_in_chinese():
    _html, token, words = _challenge()
    good = Form({"captcha_token": token, "captcha_answer": str(_solve(words))})
    assert good.is_valid(), good.errors
    _html, token, words = _challenge()  # each token answers once (tests/security/test_web_hardening.py)
    bad = Form({"captcha_token": token, "captcha_answer": str(_solve(words) + 1)})
    assert not bad.is_valid()
    assert "答案不正确" in bad.errors["captcha"][0]
    _html, token, words = _challenge()
    empty = Form({"captcha_token": token, "captcha_answer": ""})
    assert not empty.is_valid() and "请填写验证题" in empty.errors["captcha"][0]
    forged = Form({"captcha_token": "x" + token, "captcha_answer": str(_solve(words))})
    assert not forged.is_valid() and "无效" in forged.errors["captcha"][0]


@pytest.mark.django_db
def test_honeypot_refuses_bots():
    _html, token, words = _challenge()
    form = Form({"captcha_token": token, "captcha_answer": str(_solve(words)), "captcha_website": "http://spam"})
    assert not form.is_valid() and "自动填表" in form.errors["captcha"][0]


@pytest.mark.django_db
def test_rate_limit_counts_per_identity_and_window():
    assert all(ratelimit.hit("t", "1.2.3.4", limit=3, window=60) for _ in range(3))
    assert not ratelimit.hit("t", "1.2.3.4", limit=3, window=60)
    assert ratelimit.hit("t", "5.6.7.8", limit=3, window=60)
