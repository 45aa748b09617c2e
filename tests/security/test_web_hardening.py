"""Web hardening: the real client address, one-use CAPTCHA, lockout per user and address,
production-like error pages, Content-Security-Policy and security headers, no outside hosts,
a new session key at the second factor, receipts shown once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from gongkai.agencies.roles import Role
from gongkai.core import captcha, ratelimit
from gongkai.core.clientip import client_ip
from tests.factories import PASSWORD, make_agency, make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _solve(html: str) -> dict:
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    words = re.search(r"文字题：(.+?)</p>", html).group(1)
    digits = {c: i for i, c in enumerate(captcha.NUMERALS)}
    op = "加" if "加" in words else "减"
    left, right = words.removesuffix("等于几？").split(op)
    answer = digits[left] + digits[right] if op == "加" else digits[left] - digits[right]
    return {"captcha_token": token, "captcha_answer": str(answer)}


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# --- 5. the real client address -------------------------------------------------------------

def test_forged_forwarded_for_from_an_untrusted_address_does_not_reset_a_limit(settings, monkeypatch):
    settings.TRUSTED_PROXIES = []
    from gongkai.applications import views_public

    monkeypatch.setattr(views_public, "STATUS_LIMIT_IP", 2)
    url = reverse("applications_public:status")
    client = Client(REMOTE_ADDR="198.51.100.7")
    bodies = []
    for n in range(4):
        page = client.get(url).content.decode()
        response = client.post(url, {"query_code": "ABCDEFGHJK", "phone_last4": "1234", **_solve(page)},
                               HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        bodies.append(response.content.decode())
    assert "查询过于频繁" not in bodies[0] and "查询过于频繁" not in bodies[1]
    assert "查询过于频繁" in bodies[2] and "查询过于频繁" in bodies[3]
    assert client_ip(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_forwarded_for_from_a_trusted_proxy_is_honoured(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # nginx appends the address it saw; everything left of it came from the client.
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    # Two trusted hops: the right-most untrusted address is the client.
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3")) == "203.0.113.9"
    assert client_ip(_request("127.0.0.1", "garbage")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
    # Not from a proxy: the header is ignored.
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    # Behind the proxy, each citizen has their own count.
    assert all(ratelimit.hit("t-proxy", client_ip(_request("127.0.0.1", "203.0.113.9")), limit=2, window=60)
               for _ in range(2))
    assert not ratelimit.hit("t-proxy", client_ip(_request("127.0.0.1", "203.0.113.9")), limit=2, window=60)
    assert ratelimit.hit("t-proxy", client_ip(_request("127.0.0.1", "203.0.113.10")), limit=2, window=60)


def test_a_captcha_token_is_accepted_once(client):
    from django import forms

    class Form(forms.Form):
        captcha = captcha.CaptchaField()

    data = _solve(str(Form()["captcha"]))
    first = Form({**data})
    assert first.is_valid(), first.errors
    again = Form({**data})
    assert not again.is_valid()
    assert "不能重复使用" in again.errors["captcha"][0]
    # A wrong answer uses the token up too: no guessing all answers with one token.
    data = _solve(str(Form()["captcha"]))
    wrong = Form({**data, "captcha_answer": str(int(data["captcha_answer"]) + 1)})
    assert not wrong.is_valid()
    assert "不能重复使用" in Form({**data}).errors["captcha"][0]


def _login(client, username, password=PASSWORD, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def test_lockout_is_per_username_and_address_with_a_chinese_page(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    make_user("clerk", agency=make_agency(), role=Role.EDITOR)
    attacker = Client(REMOTE_ADDR="127.0.0.1")  # behind nginx: every citizen arrives from 127.0.0.1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "clerk", "guess-123456", HTTP_X_FORWARDED_FOR="203.0.113.66")
    locked = _login(attacker, "clerk", HTTP_X_FORWARDED_FOR="203.0.113.66")
    body = locked.content.decode()
    assert locked.status_code == 429
    assert "登录已暂时锁定" in body and "解除" in body and "系统管理员" in body
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", body)
    # The staff member, through the same nginx but from their own address, still logs in.
    colleague = Client(REMOTE_ADDR="127.0.0.1")
    response = _login(colleague, "clerk", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302 and "_auth_user_id" in colleague.session


def test_lockout_audit_records_the_real_address(settings):
    from gongkai.audit.models import AuditEvent

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    make_user("clerk2", agency=make_agency(), role=Role.EDITOR)
    _login(Client(REMOTE_ADDR="127.0.0.1"), "clerk2", "guess-123456", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert AuditEvent.objects.get(action="accounts.login_failed").ip_address == "203.0.113.77"


# --- 6. production-like demo ----------------------------------------------------------------

def _make_env(target: str) -> dict:
    """The variables `make <target>` exports to its commands (read from make's own database)."""
    out = subprocess.run(["make", "-pn", target], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    env = {}
    for line in out.splitlines():
        match = re.match(rf"^{target}: (DEBUG|ALLOWED_HOSTS|SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE) \??= (.*)$", line)
        if match:
            env[match.group(1)] = match.group(2).strip()
    return env


def test_make_run_is_production_like_with_a_generated_key(tmp_path):
    env = _make_env("run")
    assert env.get("DEBUG") == "0" and env.get("ALLOWED_HOSTS") == "127.0.0.1,localhost,mzj.localhost"
    full = {**os.environ, **env, "GONGKAI_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    full.pop("SECRET_KEY", None)
    full.pop("DJANGO_SETTINGS_MODULE", None)
    # Before the key exists, production refuses the built-in development key.
    refused = subprocess.run([sys.executable, "-c", "import gongkai.wsgi"], cwd=ROOT, env=full,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "拒绝启动" in refused.stderr
    made = subprocess.run([sys.executable, "-m", "gongkai.core.secretkey"], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600" and len(key_file.read_text().strip()) >= 50
    code = ("import gongkai.wsgi; from django.conf import settings; "
            "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.SECRET_KEY == open(settings.SECRET_KEY_FILE).read().strip())")
    started = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True,
                             timeout=120)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "False ['127.0.0.1', 'localhost', 'mzj.localhost'] True"
    # A second run keeps the key (sessions survive a restart).
    before = key_file.read_text()
    subprocess.run([sys.executable, "-m", "gongkai.core.secretkey"], cwd=ROOT, env=full, timeout=60, check=True)
    assert key_file.read_text() == before


def test_check_deploy_is_clean(tmp_path):
    import base64
    import secrets

    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "gk.example.gov.cn",
           "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "GONGKAI_VAR_DIR": str(tmp_path),
           "GONGKAI_FIELD_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/conftest.py for Playwright, never in production
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


TECHNICAL = ("DATABASE_URL", "Traceback", "SECRET_KEY", "urlpatterns", "URLconf", "Django tried", "settings.py",
             "DEBUG = True", "Request Method")


def test_wrong_host_gets_a_chinese_400_page_without_settings(client, settings):
    settings.DEBUG = False
    response = client.get("/", HTTP_HOST="evil.example.com")
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in body and 'lang="zh-CN"' in body
    assert not any(word in body for word in TECHNICAL)


def test_oversized_post_gets_the_chinese_400_page(client, settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("applications_public:status"), {"query_code": "x" * 5000})
    body = response.content.decode()
    assert response.status_code == 400 and "请求无法处理" in body
    assert not any(word in body for word in TECHNICAL)


def test_not_found_is_a_chinese_portal_page_without_url_patterns(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "site-header" in body and "站内检索" in body
    assert not any(word in body for word in TECHNICAL)


def test_admin_refusals_are_plain_chinese_pages_with_the_reason(client, agency, settings):
    from tests.factories import make_user

    settings.DEBUG = False
    client.force_login(make_user("plain_refusal", agency=agency, role="editor", is_staff=True))
    response = client.get("/admin/users/")
    body = response.content.decode()
    assert response.status_code == 403 and "无权访问" in body and "您的角色无权使用此管理功能" in body
    assert "返回管理后台首页" in body and not any(word in body for word in TECHNICAL)
    response = client.get("/admin/snippets/applications/applicant/edit/999999/")
    assert response.status_code == 404 and "管理页面或记录不存在" in response.content.decode()
    assert "site-header" in client.get("/no/such/page/").content.decode()  # visitors keep the portal's page


def test_server_error_page_needs_no_database():
    from django.template import loader

    from django.test.utils import CaptureQueriesContext
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        body = loader.get_template("500.html").render()
    assert len(queries) == 0
    assert "服务器出现了错误" in body and "portal.css" in body


def test_other_error_pages_are_chinese(client, settings):
    from django.template import loader

    for name, words in (("403.html", "无权访问"), ("429.html", "操作过于频繁"), ("403_csrf.html", "页面已过期")):
        body = loader.get_template(name).render({}, RequestFactory().get("/"))
        assert words in body and 'lang="zh-CN"' in body, name


# --- CSP and security headers ---------------------------------------------------------------

@pytest.fixture
def portal(agency, settings, tmp_path):
    from gongkai.portal.setup import ensure_agency_portal

    settings.PUBLISH_ROOT = tmp_path / "publish"
    agency.supervisor = make_agency("测试市政府办公室")
    agency.save()
    return ensure_agency_portal(agency, hostname="testserver", port=80, default=True)


def _assert_csp(response, where):
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "object-src 'none'" in policy, where
    assert "frame-ancestors 'self'" in policy, where
    script = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, where


def test_csp_on_portal_forms_and_admin(client, portal, agency):
    for url in ("/", reverse("applications_public:apply"), reverse("applications_public:status"), "/hudong/",
                "/admin/login/", "/no/such/page/"):
        _assert_csp(client.get(url), url)
    editor = make_user("csp-editor", agency=agency, role=Role.EDITOR)
    client.force_login(editor)
    for url in ("/admin/", f"/admin/pages/{portal.pk}/", f"/admin/pages/{portal.pk}/edit/", "/accounts/2fa/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_csp(response, url)


def test_static_published_pages_carry_csp_and_hsts(portal, settings, tmp_path):
    from wsgiref.util import setup_testing_defaults

    from gongkai.portal.serving import StaticPublishApp

    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    site_dir = settings.PUBLISH_ROOT / "_default"
    site_dir.mkdir(parents=True)
    (site_dir / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    app = StaticPublishApp(lambda environ, start: [b"django"], settings.PUBLISH_ROOT)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_HOST": "gk.example.gov.cn"}
    setup_testing_defaults(environ)
    environ["QUERY_STRING"] = ""
    seen = {}

    def start(status, headers):
        seen.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start))
    assert body.startswith(b"<!doctype html>") and seen["headers"]["X-Gongkai-Static"] == "1"
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


EXTERNAL = re.compile(r"""(?:src|href|action|srcset|poster|data|formaction)\s*=\s*["']?\s*(?:https?:)?//([^/"'\s>]+)"""
                      r"""|url\(\s*["']?(?:https?:)?//([^/"')]+)""", re.I)


def test_no_page_asks_the_browser_for_another_host(client, portal, agency, settings):
    pages = ["/", reverse("applications_public:apply"), reverse("applications_public:status"), "/hudong/",
             "/admin/login/", "/no/such/page/", "/search/?q=abc"]
    bodies = {url: client.get(url).content.decode() for url in pages}
    editor = make_user("ext-editor", agency=agency, role=Role.EDITOR, email="editor@example.gov.cn")
    client.force_login(editor)
    for url in ("/admin/", f"/admin/pages/{portal.pk}/edit/", "/admin/account/", "/accounts/2fa/"):
        bodies[url] = client.get(url).content.decode()
    for url, body in bodies.items():
        body = re.sub(r"<a\b[^>]*>", "", body)  # a link is not a request (Wagtail's <noscript> help link)
        hosts = {a or b for a, b in EXTERNAL.findall(body)} - {"testserver"}
        assert not hosts, f"{url} loads from {hosts}"
        assert "gravatar" not in body.lower(), url
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


# --- session key at the second factor, receipts shown once -----------------------------------

def test_session_key_changes_when_the_second_factor_is_verified(client):
    admin = make_user("sysadmin-2fa", agency=make_agency(), role=Role.SYSADMIN)
    device = StaticDevice.objects.create(user=admin, name="备用码")
    device.token_set.create(token="87654321")
    assert _login(client, "sysadmin-2fa").status_code == 302
    before = client.cookies["sessionid"].value
    response = client.post("/accounts/2fa/", {"token": "87654321", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.get("/admin/").status_code == 200  # still logged in and verified with the new key
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get("/admin/").status_code == 302  # the old key is worthless


def test_application_receipt_is_shown_once(client, portal, agency, fixed_today):
    from gongkai.applications.models import Application

    url = reverse("applications_public:apply")
    page = client.get(url).content.decode()
    data = {"agency": str(agency.pk), "kind": "natural_person", "name": "刘洋", "id_type": "resident_id",
            "id_number": "410302199001011235", "phone": "13612345678", "subject": "优抚政策",
            "description": "请公开2026年优抚对象抚恤补助标准调整文件", "form_wanted": "electronic",
            "delivery_wanted": "email", "email": "liuyang@example.invalid", "consent": "on", **_solve(page)}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    code = Application.objects.get().query_code
    assert code in client.get(response["Location"]).content.decode()
    again = client.get(response["Location"])
    assert again.status_code == 302 and code not in client.get(again["Location"]).content.decode()


def test_message_receipt_is_shown_once(client, portal, agency):
    from gongkai.core import querycodes
    from gongkai.interaction.models import Message

    page = client.get("/hudong/xie/").content.decode()
    data = {"agency": agency.pk, "category": "consult", "title": "优待证办理咨询",
            "content": "请问退役军人优待证在哪里办理，需要带哪些材料？", "writer_name": "王建军",
            "writer_phone": "13912345678", "writer_email": "wjj@example.invalid", "wants_public": "on", **_solve(page)}
    response = client.post("/hudong/xie/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    code = querycodes.display(Message.objects.get().query_code)
    assert code in client.get(response["Location"]).content.decode()
    again = client.get(response["Location"])
    assert again.status_code == 302 and code not in client.get(again["Location"]).content.decode()
