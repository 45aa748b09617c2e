"""依申请公开 in a real browser: the demo agency's staff walk applications from receipt to the
reply letter (every reply type), the long path once, and the public apply + status pages."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest

from gongkai.applications import actions
from gongkai.applications.models import Application
from gongkai.law.replies import DECISION_REPLY_TYPES
from gongkai.core import captcha, clock

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots/applications"))
PASSWORD = "demo2026gongkai"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, settings):
    from gongkai.agencies import demo as agencies_demo

    context: dict = {}
    agencies_demo.load(context)
    return context


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def submit(page, selector="form.gk-form button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def act(page, base, app_pk, verb, fill=None, select=None):
    page.goto(f"{base}/admin/applications/{app_pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/admin/applications/{app_pk}/do/{verb}/']")
    for selector, value in (select or {}).items():
        page.select_option(selector, value)
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{app_pk}/")
    assert "已完成" in page.content()


def fetch_letter(page, base, app_pk, key, fmt):
    if not page.url.endswith(f"/admin/applications/{app_pk}/"):
        page.goto(f"{base}/admin/applications/{app_pk}/")
    link = page.locator(f"a[href^='/admin/applications/{app_pk}/letter/{key}.{fmt}']").first
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    return response.body()


def test_long_path_correction_consultation_extension_fee_partial_reply(live_server, page, demo):
    base = live_server.url
    today = clock.today()
    login(page, base, "demo_officer")
    # 1. Register a registered-mail application in the browser.
    page.goto(f"{base}/admin/applications/new/")
    page.fill("#id_name", "陈浏览（测试）")
    page.fill("#id_id_number", "410302199505051230")
    page.fill("#id_phone", "13700001111")
    page.select_option("#id_channel", "registered_mail")
    page.fill("#id_submitted_on", (today - timedelta(days=1)).isoformat())
    page.fill("#id_description", "请公开本局2026年退役军人就业创业扶持资金使用明细。")
    submit(page)
    assert "请填写签收日期" in page.content()  # refused, typed text kept
    assert page.input_value("#id_description") == "请公开本局2026年退役军人就业创业扶持资金使用明细。"
    page.fill("#id_signed_for_on", today.isoformat())
    submit(page)
    page.wait_for_url(re.compile(r"/admin/applications/\d+/$"))
    app = Application.objects.get(applicant__name="陈浏览（测试）")
    assert app.received_on == today and app.agency == demo["agency"]
    assert "《条例》第三十一条" in page.inner_text("#explanation")
    # 2. Correction requested and received: the period restarts.
    act(page, base, app.pk, "request_correction",
        fill={"#id_items": "请写明资金项目名称\n请写明所需年份", "#id_period_end": (today + timedelta(days=14)).isoformat()})
    assert "待申请人补正" in page.content()
    act(page, base, app.pk, "record_correction")
    assert "重新计算" in page.inner_text("#explanation")
    # 3. Consultation of a third party, answered.
    act(page, base, app.pk, "consult", fill={"#id_party_name": "洛阳某培训学校（测试）", "#id_matter": "资金拨付明细"})
    with page.expect_navigation():
        page.click("#consultations a.button")
    page.select_option("#id_answer", "object")
    page.fill("#id_note", "涉及本单位经营信息")
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{app.pk}/")
    # 4. The officer cannot extend; the office head can.
    assert f"/admin/applications/{app.pk}/do/extend/" not in page.content()
    due_before = Application.objects.get(pk=app.pk).due_on
    login(page, base, "demo_head")
    act(page, base, app.pk, "extend", fill={"#id_reason": "涉及多个年度的财务凭证，需调档核对"})
    app.refresh_from_db()
    assert app.due_on > due_before and "延长答复期限 20 个工作日" in page.inner_text("#explanation")
    # 5. Fee by pages, paid.
    login(page, base, "demo_officer")
    act(page, base, app.pk, "fee_notice", select={"#id_method": "by_pages"}, fill={"#id_pages": "120"})
    assert "1,100.00" in page.content() or "1100" in page.content()
    act(page, base, app.pk, "fee_paid", fill={"#id_receipt_no": "测试票据001"})
    # 6. Partial disclosure with reasons per part.
    page.goto(f"{base}/admin/applications/{app.pk}/do/decide/")
    page.select_option("#id_outcome", "result.partial")
    assert "第三十七条" in page.input_value("#id_basis")  # default basis filled in
    page.fill("#id_parts-0-description", "资金使用汇总表")
    page.select_option("#id_parts-0-disclosed", "1")
    page.fill("#id_parts-1-description", "培训学校经营信息")
    page.select_option("#id_parts-1-disclosed", "0")
    submit(page)
    assert "请选择不予公开的理由类型" in page.content()  # refused, parts kept
    assert page.input_value("#id_parts-1-description") == "培训学校经营信息"
    page.select_option("#id_parts-1-reason", "result.denied.third_party")
    page.fill("#id_parts-1-basis", "第三方不同意公开，依据《条例》第十五条")
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{app.pk}/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "browser-long-path.png"), full_page=True)
    # 7. Letters of every step, and delivery.
    for key in ("receipt", "correction", "consult_third_party", "extension", "fee", "reply.result.partial"):
        assert fetch_letter(page, base, app.pk, key, "pdf")[:4] == b"%PDF"
    act(page, base, app.pk, "deliver", fill={"#id_tracking_number": "XA123456789CN"})
    app.refresh_from_db()
    assert (app.status, app.outcome) == ("delivered", "result.partial")
    assert "邮件号 XA123456789CN" in page.inner_text("#history")


GROUPS = {
    "granted_and_denied": [o for o in DECISION_REPLY_TYPES if o.startswith(("result.granted", "result.denied."))],
    "unable_not_processed_other": [o for o in DECISION_REPLY_TYPES
                                   if o.startswith(("result.unable.", "result.not_processed.", "result.other."))
                                   and o != "result.unable.unclear_after_correction"],
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_every_reply_type_from_receipt_to_letter(live_server, page, demo, group):
    """Same path for each: registered at the counter, decided in the browser, reply letter downloaded."""
    base = live_server.url
    today = clock.today()
    officer = demo["users"]["demo_officer"]
    login(page, base, "demo_officer")
    for i, outcome in enumerate(GROUPS[group]):
        app = actions.application_register(
            agency=demo["agency"], actor=officer, channel="in_person", submitted_on=today, subject="",
            applicant={"kind": "natural_person", "name": f"浏览器申请人{i}", "id_type": "passport",
                       "id_number": f"E{i:08d}", "phone": "13800001111"},
            description=f"第{i}号测试申请：请公开编号为 T-{i * 7919} 的文件")
        page.goto(f"{base}/admin/applications/{app.pk}/do/decide/")
        page.select_option("#id_outcome", outcome)
        assert page.input_value("#id_basis")  # the default legal basis for the reply type
        submit(page)
        page.wait_for_url(f"{base}/admin/applications/{app.pk}/")
        app.refresh_from_db()
        assert app.outcome == outcome and app.status == "decided"
        body = fetch_letter(page, base, app.pk, f"reply.{outcome}", "docx")
        assert body[:2] == b"PK"


def test_closing_without_reply_and_unclear_after_correction(live_server, page, demo):
    """逾期不补正 / 逾期未缴费 / 撤回 / 补正后仍不明确, with their letters."""
    base = live_server.url
    today = clock.today()
    officer = demo["users"]["demo_officer"]

    def reg(n, received):
        return actions.application_register(
            agency=demo["agency"], actor=officer, channel="in_person", submitted_on=received, subject="",
            applicant={"kind": "commercial", "name": "测试企业（浏览器）", "id_type": "credit_code",
                       "id_number": "91410300MA44XY1C0K", "phone": "0379-63900000", "contact_person": "钱"},
            description=f"第{n}件：有关文件{n * 31}号")

    past = today - timedelta(days=60)
    no_correction = reg(1, past)
    actions.application_request_correction(no_correction, actor=officer, on=past, items=["写明文号"],
                                           period_end=past + timedelta(days=10))
    unpaid = reg(2, past)
    actions.application_fee_notice(unpaid, actor=officer, on=past, method="by_pages", pages=50)
    withdrawn = reg(3, today)
    unclear = reg(4, today)
    actions.application_request_correction(unclear, actor=officer, on=today, items=["写明文号"],
                                           period_end=today + timedelta(days=7))
    actions.application_record_correction(unclear, actor=officer, on=today)
    login(page, base, "demo_officer")
    act(page, base, no_correction.pk, "correction_expired")
    act(page, base, unpaid.pk, "fee_expired")
    act(page, base, withdrawn.pk, "withdraw", fill={"#id_note": "申请人书面撤回"})
    page.goto(f"{base}/admin/applications/{unclear.pk}/do/decide/")
    page.select_option("#id_outcome", "result.unable.unclear_after_correction")
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{unclear.pk}/")
    expected = {no_correction.pk: "result.other.no_correction", unpaid.pk: "result.other.fee_unpaid",
                withdrawn.pk: "result.other.other", unclear.pk: "result.unable.unclear_after_correction"}
    for pk, outcome in expected.items():
        assert Application.objects.get(pk=pk).outcome == outcome
        assert fetch_letter(page, base, pk, f"reply.{outcome}", "pdf")[:4] == b"%PDF"


def solve(page) -> str:
    words = page.locator(".captcha-words").first.inner_text().replace("文字题：", "")
    op = "加" if "加" in words else "减"
    a, b = words.removesuffix("等于几？").split(op)
    x, y = captcha.NUMERALS.index(a), captcha.NUMERALS.index(b)
    return str(x + y if op == "加" else x - y)


def test_public_apply_and_status_on_a_phone(live_server, browser, demo):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/apply/")
    page.select_option("#id_agency", label="洛阳市退役军人事务局")
    page.fill("#id_name", "周公开")
    page.fill("#id_id_number", "410302199505051231")  # wrong check digit
    page.fill("#id_phone", "13612349876")
    page.fill("#id_description", "请公开2026年本市光荣之家评选结果")
    page.check("#id_consent")
    page.fill("input[name=captcha_answer]", solve(page))
    submit(page, "main button[type=submit]")
    assert "校验位不正确" in page.content()
    assert page.input_value("#id_description") == "请公开2026年本市光荣之家评选结果"
    page.fill("#id_id_number", "410302199505051230")
    page.fill("input[name=captcha_answer]", solve(page))
    submit(page, "main button[type=submit]")
    page.wait_for_url(f"{base}/apply/receipt/")
    code = page.inner_text("[data-testid=query-code]")
    assert re.fullmatch(r"[A-Z2-9]{10}", code) and "410302199505051230" not in page.url
    page.screenshot(path=str(SHOTS / "browser-receipt-phone.png"), full_page=True)
    page.goto(f"{base}/apply/status/")
    page.fill("#id_query_code", code)
    page.fill("#id_phone_last4", "9876")
    page.fill("input[name=captcha_answer]", solve(page))
    submit(page, "main button[type=submit]")
    assert page.inner_text("[data-testid=status]") == "办理中"
    assert "自收到申请之日起 20 个工作日内答复" in page.content()
    assert page.url == f"{base}/apply/status/" and code not in page.url
    page.screenshot(path=str(SHOTS / "browser-status-phone.png"), full_page=True)
    context.close()
