import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def _login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_successful_and_failed_logins_are_audited():
    agency = make_agency()
    make_user("editor", agency=agency, role=Role.EDITOR)
    from django.test import Client

    client = Client(REMOTE_ADDR="10.1.2.3")
    _login(client, "editor", "wrong-password-1")
    failed = AuditEvent.objects.get(action="accounts.login_failed")
    assert failed.actor_label == "editor" and failed.ip_address == "10.1.2.3"
    assert "wrong-password" not in str(failed.new)
    response = _login(client, "editor")
    assert response.status_code == 302
    ok = AuditEvent.objects.get(action="accounts.login")
    assert ok.actor.username == "editor"
    assert client.get("/admin/").status_code == 200  # editors need no second factor


def test_repeated_failures_lock_the_account_even_with_the_right_password(client):
    make_user("victim", agency=make_agency(), role=Role.EDITOR)
    for _ in range(5):
        _login(client, "victim", "guess-123456")
    response = _login(client, "victim")
    assert response.status_code in (403, 429)
    assert "暂时锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.lockout").exists()
    assert "_auth_user_id" not in client.session


def test_system_administrator_must_pass_second_factor(client):
    admin = make_user("sysadmin", agency=make_agency(), role=Role.SYSADMIN)
    device = StaticDevice.objects.create(user=admin, name="备用码")
    device.token_set.create(token="12345678")
    assert _login(client, "sysadmin").status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")
    page = client.get(response["Location"])
    assert "双因素认证" in page.content.decode()
    wrong = client.post("/accounts/2fa/", {"token": "00000000", "next": "/admin/"})
    assert "验证码不正确" in wrong.content.decode()
    too_fast = client.post("/accounts/2fa/", {"token": "12345678", "next": "/admin/"})
    assert "过于频繁" in too_fast.content.decode()  # django-otp throttles after a failure
    time.sleep(1.1)
    right = client.post("/accounts/2fa/", {"token": "12345678", "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.otp_verify", actor=admin).count() == 1


def test_supervisor_without_device_enrols_a_totp_app(client):
    office = make_agency("市政府办公室")
    make_user("inspector", agency=office, role=Role.SUPERVISOR)
    _login(client, "inspector")
    page = client.get("/accounts/2fa/?next=/admin/")
    body = page.content.decode()
    assert "启用双因素认证" in body and "data:image/svg+xml;base64," in body
    device = TOTPDevice.objects.get(user__username="inspector", confirmed=False)
    token = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)
    response = client.post("/accounts/2fa/", {"token": token, "next": "/admin/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="accounts.otp_enrol").count() == 1
    assert client.get("/admin/").status_code == 200


def test_password_rules_explain_themselves_in_chinese():
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefghijkl")
    assert "必须同时包含字母和数字" in " ".join(exc.value.messages)
    validate_password("gongkai-2026-Luoyang")


def test_every_staff_member_is_offered_two_factor_on_the_account_page(client):
    editor = make_user("ed2fa", agency=make_agency(), role=Role.EDITOR)
    client.force_login(editor)
    body = client.get("/admin/account/").content.decode()
    assert "双因素认证" in body and "/accounts/2fa/" in body
