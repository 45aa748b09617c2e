"""Refuse requests no form can be asked to handle, with a 400 page in Chinese.

Why: Django decodes what it can and leaves the rest to views: a NUL character in a query
parameter or a form field reaches PostgreSQL ("cannot contain NUL bytes", a 500), a form
posted as GBK is refused by Django with an English page, and a 20-digit id in the URL
overflows SQLite. This middleware checks, before any view runs, that

- the path and query string decode as UTF-8 and carry no control characters,
- a form body (urlencoded or multipart) declares no charset other than UTF-8, and an
  urlencoded body decodes as UTF-8 without control characters,
- every integer taken from the URL fits a database id,

and answers anything else with 400 (404 for an id out of range) and a message saying what
to do. Django's own refusals (too many fields, a body too large) use templates/400.html.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.http import Http404, HttpResponse
from django.utils.html import escape

from .parsing import MAX_ID

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UTF8_NAMES = {"utf-8", "utf8"}
# C0 controls except tab, line feed and carriage return (which textareas send), and DEL.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MSG_URL = "网址中含有无法识别的字符（需为 UTF-8 编码，且不能含控制字符）。请回到上一页，通过页面上的链接或表单重新访问。"
MSG_CHARSET = "提交的表单使用了不支持的字符编码（{charset}）。本网站只接受 UTF-8 编码的表单，请使用常见浏览器在本网站页面上填写并提交。"
MSG_BODY = "提交的内容无法识别（需为 UTF-8 编码，且不能含控制字符）。请回到表单页面，检查输入的内容后重新提交。"


def _decodes(raw: bytes) -> bool:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not CONTROL_RE.search(text)


def _query_ok(query: str) -> bool:
    # The WSGI query string is latin-1 text of the original bytes: percent-decode to bytes.
    raw = query.encode("latin-1", "replace").replace(b"+", b" ")
    return _decodes(unquote_to_bytes(raw))


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        key, _sep, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def refusal(message: str, status: int = 400) -> HttpResponse:
    body = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求无法处理</title></head>'
        f'<body><main><h1>请求无法处理</h1><p role="alert">{escape(message)}</p><p><a href="/">返回首页</a></p></main></body></html>'
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.check(request)
        if problem:
            return refusal(problem)
        return self.get_response(request)

    def check(self, request) -> str | None:
        if CONTROL_RE.search(request.path_info):
            return MSG_URL
        if not _query_ok(request.META.get("QUERY_STRING", "")):
            return MSG_URL
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        main = content_type.split(";", 1)[0].strip().lower()
        if main not in FORM_TYPES:
            return None
        charset = _charset(content_type)
        if charset and charset not in UTF8_NAMES:
            return MSG_CHARSET.format(charset=charset[:40])
        if main == FORM_TYPES[0]:
            body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (a 400 beyond it)
            if not _decodes(unquote_to_bytes(body.replace(b"+", b" "))):
                return MSG_BODY
        else:
            for key, values in request.POST.lists():  # Django replaced undecodable bytes already
                if CONTROL_RE.search(key) or any(CONTROL_RE.search(v) for v in values):
                    return MSG_BODY
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in [*view_args, *view_kwargs.values()]:
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404("编号超出范围。")
        return None

