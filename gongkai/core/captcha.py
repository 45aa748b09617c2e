"""A CAPTCHA that needs no outside service, with an accessible text alternative.

The challenge is a small sum. It is drawn as a distorted SVG picture and, for people
who cannot see the picture (screen readers, low vision), asked in words in the same
field's description ("七加二等于几？"). The answer is never stored: the form carries a
signed, timestamped token of it, valid for 20 minutes and for ONE submission: the
token's nonce is marked used in the shared cache (the database, so every worker sees
it) on the first answer, right or wrong, so a solved token cannot be replayed and a
token cannot be brute-forced. A honeypot field catches naive bots.

Usage: add `captcha = CaptchaField()` to a public form; render `{{ form.captcha }}`.
"""

from __future__ import annotations

import base64
import hashlib
import random
import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .parsing import parse_int

SALT = "gongkai.captcha"
MAX_AGE = 20 * 60
NUMERALS = "零一二三四五六七八九十"


def _words(n: int) -> str:
    if n <= 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n - 10] if n % 10 else "")
    return NUMERALS[n // 10] + "十" + (NUMERALS[n % 10] if n % 10 else "")


def new_challenge(rng: random.Random | None = None) -> tuple[str, str, str, int]:
    """Return (token, picture text, words question, answer)."""
    rng = rng or random.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    if rng.random() < 0.5 or a <= b:
        text, words, answer = f"{a} + {b} = ?", f"{_words(a)}加{_words(b)}等于几？", a + b
    else:
        text, words, answer = f"{a} - {b} = ?", f"{_words(a)}减{_words(b)}等于几？", a - b
    nonce = secrets.token_hex(8)
    digest = hashlib.sha256(f"{nonce}:{answer}".encode()).hexdigest()[:16]
    token = signing.dumps({"n": nonce, "h": digest}, salt=SALT)
    return token, text, words, answer


def _svg(text: str) -> str:
    rng = random.SystemRandom()
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="56" viewBox="0 0 180 56">',
        '<rect width="180" height="56" fill="#f3f1ea"/>',
    ]
    for _ in range(6):
        parts.append(
            f'<line x1="{rng.randint(0, 180)}" y1="{rng.randint(0, 56)}" x2="{rng.randint(0, 180)}" '
            f'y2="{rng.randint(0, 56)}" stroke="#9a8f7a" stroke-width="1"/>'
        )
    x = 12
    for char in text:
        rotate = rng.randint(-18, 18)
        y = rng.randint(34, 42)
        parts.append(
            f'<text x="{x}" y="{y}" font-family="DejaVu Sans,sans-serif" font-size="26" fill="#3a2f1d" '
            f'transform="rotate({rotate} {x} {y})">{char}</text>'
        )
        x += 17 if char != " " else 8
    parts.append("</svg>")
    return "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode()).decode()


def _use_once(nonce: str) -> bool:
    """True the first time a token's nonce is presented, False ever after (until it expires anyway)."""
    return cache.add(f"captcha:used:{nonce}", 1, timeout=MAX_AGE + 60)


def verify(token: str, answer: str) -> str | None:
    """None when right; else a Chinese message saying what to do."""
    answer = (answer or "").strip()
    if not answer:
        return "请填写验证题的答案（图片中算式的结果，或文字题的答案）。"
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "验证题已过期（超过20分钟），请按新出的题目重新作答。"
    except signing.BadSignature:
        return "验证题无效，请按新出的题目重新作答。"
    number = parse_int(answer)  # not int(): "²".isdigit() is true, and 5,000 digits raise
    if number is None:
        return "验证题的答案应为数字，例如 7。"
    if not _use_once(data["n"]):
        return "这道验证题已经提交过一次，不能重复使用，请按新出的题目重新作答。"
    digest = hashlib.sha256(f"{data['n']}:{number}".encode()).hexdigest()[:16]
    if digest != data["h"]:
        return "验证题答案不正确，请按新出的题目重新作答。"
    return None


class CaptchaWidget(forms.Widget):
    template_name = ""

    def value_from_datadict(self, data, files, name):
        return {
            "token": data.get(f"{name}_token", ""),
            "answer": data.get(f"{name}_answer", ""),
            "website": data.get(f"{name}_website", ""),
        }

    def render(self, name, value, attrs=None, renderer=None):
        token, text, words, _answer = new_challenge()
        field_id = (attrs or {}).get("id", f"id_{name}")
        return format_html(
            '<div class="captcha">'
            '<img src="{}" alt="验证题图片：请计算图中算式；看不清请使用下方文字题" width="180" height="56">'
            '<p class="captcha-words" id="{}_words">文字题：{}</p>'
            '<input type="hidden" name="{}_token" value="{}">'
            '<label for="{}">答案</label> '
            '<input type="text" inputmode="numeric" autocomplete="off" name="{}_answer" id="{}" '
            'aria-describedby="{}_words" size="4" required>'
            '<span class="captcha-hp" aria-hidden="true" style="position:absolute;left:-9999px">'
            '<label>请勿填写<input type="text" name="{}_website" tabindex="-1" autocomplete="off"></label></span>'
            "</div>",
            mark_safe(_svg(text)), field_id, words, name, token, field_id, name, field_id, field_id, name,
        )


class CaptchaField(forms.Field):
    widget = CaptchaWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "验证题")
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)

    def clean(self, value):
        value = value or {}
        if value.get("website"):
            raise forms.ValidationError("提交被拒绝：请不要使用自动填表工具。", code="honeypot")
        message = verify(value.get("token", ""), value.get("answer", ""))
        if message:
            raise forms.ValidationError(message, code="captcha")
        return True
