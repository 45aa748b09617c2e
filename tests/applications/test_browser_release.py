"""The release package in a real browser: staff upload a PDF, mark two redactions, decide 部分公开;
the applicant, on a phone, downloads the letter and the redacted file from the status page.

The downloaded PDF is read back (pdftotext: the marked strings are gone, the labels of
the bases are there) and rendered to PNG (pdftoppm) into /tmp/shots/release/ to be looked at.
"""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from gongkai.applications import actions
from gongkai.applications.models import ReleaseDownload
from gongkai.core import clock
from tests.applications.releasefiles import ID_NUMBER, KEPT, THIRD_PARTY, pdf_text, report_pdf
from tests.applications.test_browser import login, solve, submit

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots")) / "release"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, settings, tmp_path):
    from gongkai.agencies import demo as agencies_demo

    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    context: dict = {}
    agencies_demo.load(context)
    return context


def test_partial_release_walk_to_online_delivery_on_a_phone(live_server, page, browser, demo, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    today = clock.today()
    app = actions.application_register(
        agency=demo["agency"], actor=None, channel="online", submitted_on=today - timedelta(days=3),
        confirmed_on=today - timedelta(days=3), subject="优抚资金发放汇总表", delivery_wanted="online",
        description="请公开2025年度本局退役军人优抚资金发放汇总表。",
        applicant={"kind": "natural_person", "name": "陈网查", "id_type": "resident_id",
                   "id_number": "410302199505051230", "phone": "13700004321"})
    source = tmp_path / "发放汇总表.pdf"
    source.write_bytes(report_pdf())

    # Staff: upload the file as 部分公开, mark a text string and the ID-number pattern.
    login(page, base, "demo_officer")
    page.goto(f"{base}/admin/applications/{app.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/admin/applications/{app.pk}/release/add/']")
    page.set_input_files("#id_file", str(source))
    page.select_option("#id_disposition", "partial")
    page.select_option("#id_reason", "result.denied.third_party")
    page.fill("#id_basis", "经办人姓名和身份证号属于个人隐私，依据《条例》第十五条不予公开。")
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{app.pk}/#release")
    assert "待核验" in page.inner_text("#release")
    with page.expect_navigation():
        page.click("#release a:has-text('标记遮盖')")
    page.fill("#id_texts", THIRD_PARTY)
    page.select_option("#id_text_basis", "privacy")
    page.check("input[name=patterns][value=id_number]")
    page.select_option("#id_pattern_basis", "privacy")
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{app.pk}/#release")
    page.wait_for_function("document.querySelector('#release [data-testid=verification]')"
                           ".textContent.includes('已核验')", timeout=60000)
    page.locator("#release").screenshot(path=str(SHOTS / "case-release.png"))

    # Staff decide 部分公开 with its parts; the letter lists the file and carries a verification code.
    page.goto(f"{base}/admin/applications/{app.pk}/do/decide/")
    page.select_option("#id_outcome", "result.partial")
    page.fill("#id_parts-0-description", "优抚资金发放汇总表")
    page.select_option("#id_parts-0-disclosed", "1")
    page.fill("#id_parts-1-description", "经办人姓名、身份证号")
    page.select_option("#id_parts-1-disclosed", "0")
    page.select_option("#id_parts-1-reason", "result.denied.third_party")
    page.fill("#id_parts-1-basis", "个人隐私，依据《条例》第十五条")
    submit(page)
    page.wait_for_url(f"{base}/admin/applications/{app.pk}/")
    app.refresh_from_db()
    assert (app.status, app.outcome) == ("decided", "result.partial")

    # The applicant, on a phone: status page → the letter and the released file.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, accept_downloads=True)
    mobile = phone.new_page()
    mobile.goto(f"{base}/apply/status/")
    mobile.fill("#id_query_code", app.query_code)
    mobile.fill("#id_phone_last4", "4321")
    mobile.fill("input[name=captcha_answer]", solve(mobile))
    submit(mobile, "main button[type=submit]")
    assert app.query_code not in mobile.url
    mobile.screenshot(path=str(SHOTS / "status-phone.png"), full_page=True)
    with mobile.expect_download() as got:
        mobile.click("[data-testid=file]")
    released = Path(got.value.path()).read_bytes()
    with mobile.expect_download() as got:
        mobile.click("[data-testid=letter]")
    letter = Path(got.value.path()).read_bytes()
    phone.close()

    text = pdf_text(released)
    assert THIRD_PARTY not in text and ID_NUMBER not in text and KEPT in text
    assert "个人隐私" in text  # the basis printed in each box
    letter_text = pdf_text(letter)
    assert "发放汇总表.pdf" in letter_text and "核验码" in letter_text
    (SHOTS / "released.pdf").write_bytes(released)
    (SHOTS / "letter.pdf").write_bytes(letter)
    for name in ("released", "letter"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(SHOTS / f"{name}.pdf"), str(SHOTS / name)], check=True)

    app.refresh_from_db()
    assert (app.status, app.delivered_on, app.delivery_method) == ("delivered", clock.today(), "网上送达")
    assert ReleaseDownload.objects.filter(application=app).count() == 2
    page.goto(f"{base}/admin/applications/{app.pk}/")
    assert "网上送达" in page.inner_text("#history") and "网上下载记录" in page.inner_text("#release")
    page.locator("#release").screenshot(path=str(SHOTS / "case-delivered-release.png"))
    page.locator("#history").screenshot(path=str(SHOTS / "case-delivered-history.png"))
