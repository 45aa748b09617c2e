"""The public apply form, receipt and status page: validation, CAPTCHA, rate limits, no personal data in URLs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.core import captcha

pytestmark = pytest.mark.django_db


def solve(html: str) -> dict:
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    words = re.search(r"文字题：(.+?)</p>", html).group(1)
    digits = {c: i for i, c in enumerate(captcha.NUMERALS)}
    op = "加" if "加" in words else "减"
    left, right = words.removesuffix("等于几？").split(op)
    answer = digits[left] + digits[right] if op == "加" else digits[left] - digits[right]
    return {"captcha_token": token, "captcha_answer": str(answer)}


@pytest.fixture
def public_agency(agency):
    from tests.factories import make_agency

    agency.supervisor = make_agency("测试市政府办公室")
    agency.save()
    return agency


def form_data(agency, **extra):
    data = {"agency": str(agency.pk), "kind": "natural_person", "name": "刘洋", "id_type": "resident_id",
            "id_number": "410302199001011235", "phone": "13612345678", "subject": "优抚政策",
            "description": "请公开2026年优抚对象抚恤补助标准调整文件", "form_wanted": "electronic",
            "delivery_wanted": "email", "email": "liuyang@example.invalid", "consent": "on"}
    data.update(extra)
    return data


def test_apply_receipt_and_status_flow(client, public_agency, fixed_today):
    url = reverse("applications_public:apply")
    page = client.get(url).content.decode()
    assert "验证题" in page and "文字题" in page and 'name="viewport"' in page
    r = client.post(url, {**form_data(public_agency), **solve(page)})
    assert r.status_code == 302 and r["Location"] == reverse("applications_public:receipt")
    app = Application.objects.get()
    assert (app.channel, app.received_on, app.confirmed_on) == ("online", date(2026, 3, 2), date(2026, 3, 2))
    receipt = client.get(r["Location"]).content.decode()
    assert app.query_code in receipt and "2026年3月30日" in receipt
    status_page = client.get(reverse("applications_public:status")).content.decode()
    r = client.post(reverse("applications_public:status"),
                    {"query_code": app.query_code.lower(), "phone_last4": "5678", **solve(status_page)})
    body = r.content.decode()
    assert "办理中" in body and "2026年3月30日" in body and "自收到申请之日起 20 个工作日内答复" in body
    assert "410302199001011235" not in body and "13612345678" not in body
    wrong = client.post(reverse("applications_public:status"),
                        {"query_code": app.query_code, "phone_last4": "0000", **solve(client.get(reverse("applications_public:status")).content.decode())})
    assert "没有找到" in wrong.content.decode() and "办理中" not in wrong.content.decode()


def test_bad_input_is_refused_in_chinese_and_keeps_what_was_typed(client, public_agency, fixed_today):
    url = reverse("applications_public:apply")
    page = client.get(url).content.decode()
    r = client.post(url, {**form_data(public_agency, id_number="410302199001011234"), **solve(page)})
    body = r.content.decode()
    assert r.status_code == 200 and "校验位不正确" in body
    assert "请公开2026年优抚对象抚恤补助标准调整文件" in body and "410302199001011234" in body
    r = client.post(url, {**form_data(public_agency), "captcha_token": "x", "captcha_answer": "3"})
    assert "验证题无效" in r.content.decode()
    r = client.post(url, {**form_data(public_agency, consent=""), **solve(client.get(url).content.decode())})
    assert "请勾选确认" in r.content.decode()
    assert not Application.objects.exists()


def test_public_form_never_reveals_who_holds_a_document_number(client, public_agency, fixed_today):
    from .helpers import person, register

    known = register(public_agency, None, applicant=person(name="张三", id_number="410302199001011235"))
    url = reverse("applications_public:apply")
    page = client.get(url).content.decode()
    r = client.post(url, {**form_data(public_agency), **solve(page)})
    # The same answer as for an unknown number: accepted, with its own receipt.
    assert r.status_code == 302 and r["Location"] == reverse("applications_public:receipt")
    body = client.get(r["Location"]).content.decode()
    assert "已用其他姓名登记" not in body and "张三" not in body
    assert Application.objects.count() == 2
    known.applicant.refresh_from_db()
    assert (known.applicant.name, known.applicant.phone) == ("张三", "13800138000")


def test_rate_limit_per_phone(client, public_agency, fixed_today, settings, monkeypatch):
    from gongkai.applications import views_public

    monkeypatch.setattr(views_public, "APPLY_LIMIT_PHONE", 2)
    url = reverse("applications_public:apply")
    for i in range(3):
        page = client.get(url).content.decode()
        r = client.post(url, {**form_data(public_agency, description=f"第{i}份：文号洛退役〔2026〕{i * 37}号"),
                              **solve(page)})
    assert "同一联系电话在一小时内提交的申请过多" in r.content.decode()
    assert Application.objects.count() == 2


def test_the_apply_page_is_in_the_agencys_site_with_that_agency_chosen(client, public_agency, settings):
    """From an agency's portal (its host, or its link with ?agency=) the form wears its header and names it."""
    from gongkai.portal.setup import ensure_agency_portal
    from tests.factories import make_agency

    settings.ALLOWED_HOSTS = ["*"]
    other = make_agency("测试市民政局", supervisor=public_agency.supervisor)
    ensure_agency_portal(public_agency, hostname="a.example.test")
    ensure_agency_portal(other, hostname="b.example.test")
    for host, agency in (("a.example.test", public_agency), ("b.example.test", other)):
        html = client.get("/apply/", HTTP_HOST=host).content.decode()
        assert f'<a href="/">{agency.name}</a>' in html  # the agency's own header, a way back home
        assert f'<option value="{agency.pk}" selected>' in html
    # A citizen who chose another agency keeps that choice.
    html = client.get(f"/apply/?agency={other.pk}", HTTP_HOST="a.example.test").content.decode()
    assert f'<option value="{other.pk}" selected>' in html and f'<option value="{public_agency.pk}" selected>' not in html
