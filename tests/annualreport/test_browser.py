"""End to end in a real browser: the demo agency's 2025 report from demo data to a published PDF.

The officer opens the 2025 report (computed from the demo cases; last year's report, which the
demo published, is what its continuity is checked against), looks at the records behind a
number and finishes the prose; the office head signs and publishes; the PDF downloaded from the admin is rendered to PNG, and `gongkai report parse`
on it gives back every computed cell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots/annualreport"))
PASSWORD = "demo2026gongkai"
GONGKAI = str(Path(sys.executable).with_name("gongkai"))


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_2025_report_computed_checked_signed_published_and_parsed(live_server, browser, settings, tmp_path):
    from gongkai.agencies.models import Agency
    from gongkai.annualreport import selectors
    from gongkai.annualreport.compute import compute
    from gongkai.annualreport.models import AnnualReport

    settings.PUBLISH_ROOT = tmp_path / "publish"
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    agency = Agency.objects.get(name="洛阳市退役军人事务局")
    base = live_server.url

    officer = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
    officer.set_default_timeout(30000)
    login(officer, base, "demo_officer")
    officer.goto(f"{base}/admin/annual-reports/")
    officer.fill("input[name=year]", "2025")
    officer.click("text=建立草稿")
    officer.wait_for_selector("text=签发前检查")
    report = AnnualReport.objects.get(agency=agency, year=2025)
    body = officer.content()
    assert "“一、总体情况”中还有待填写的内容" in body  # pre-filled prose still to finish
    assert officer.inner_text('td[data-key="apply.new.total"]') == "9"
    shot(officer, "01-draft")

    officer.click('td[data-key="apply.carried_forward.social_welfare"] a')
    officer.wait_for_selector("text=年末尚未办结，结转下年度")
    assert "2025-0009" in officer.content()
    shot(officer, "02-drilldown")

    officer.goto(f"{base}/admin/annual-reports/{report.pk}/prose/")
    prefilled = officer.input_value("textarea[name=section1]")
    assert "本年度新收政府信息公开申请9件，上年结转0件，办结8件" in prefilled
    shot(officer, "03-prose")
    assert "上年度报告（本系统已签发的2024年度报告（第1版））所列问题：" in officer.input_value("textarea[name=section5]")
    officer.fill("textarea[name=section1]", prefilled.split("（三）")[0].replace(
        "【请填写：主动公开的重点领域、政策解读等情况】", "重点公开了退役军人安置、优抚等政策。")
        + "（三）政府信息管理\n落实公开属性源头认定。\n（四）政府信息公开平台建设\n门户网站试运行。\n（五）监督保障\n开展业务培训两次。")
    officer.fill("textarea[name=section5]", "一是政策解读形式单一。改进：增加图解。")
    six = officer.input_value("textarea[name=section6]").split("\n")[0]
    assert six.startswith("本年度依据《政府信息公开信息处理费管理办法》发出收费通知1件")
    officer.fill("textarea[name=section6]", six + "\n无其他需要报告的事项。")
    officer.click("button:has-text('保存')")
    officer.wait_for_selector("text=正文已保存")

    # The demo's 2024 report is signed in the system: carry-over and 现行有效 continue from it, no warning.
    assert officer.locator(".gk-finding.warning").count() == 0
    assert officer.locator(".gk-finding.error").count() == 0
    shot(officer, "04-checks-pass")

    head = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
    head.set_default_timeout(60000)
    login(head, base, "demo_head")
    head.goto(f"{base}/admin/annual-reports/{report.pk}/")
    head.click("button:has-text('签发')")
    head.wait_for_selector("text=已签发第1版")
    head.click("button:has-text('公开第1版')")
    head.wait_for_selector("text=第1版已公开")
    assert head.inner_text("[data-testid=status]") == "已公开"
    shot(head, "05-published")

    with head.expect_download() as info:
        head.click("#downloads >> text=PDF")
    pdf = SHOTS / "report-2025.pdf"
    info.value.save_as(str(pdf))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "report-2025")], check=True)
    assert sorted(SHOTS.glob("report-2025-*.png"))

    parsed = json.loads(subprocess.run([GONGKAI, "report", "parse", str(pdf)], check=True, capture_output=True,
                                       text=True).stdout)
    computed = selectors.report_state(agency, 2025).doc.cells
    assert computed == compute(agency, 2025).cells
    assert parsed["format"] == "gov2021" and parsed["year"] == 2025 and parsed["agency"] == agency.name
    assert parsed["cells"] == computed and len(computed) == 200
    assert parsed["blank_cells"] == parsed["ambiguous_cells"] == parsed["missing_cells"] == []

    public = head.context.new_page()
    public.goto(f"{base}/annual-reports/{agency.credit_code}/2025/")
    assert "洛阳市退役军人事务局2025年政府信息公开工作年度报告" in public.content()
    shot(public, "06-public")
    from gongkai.portal.models.disclosure_pages import AnnualReportPage

    portal_page = AnnualReportPage.objects.get(agency=agency, year=2025)
    assert portal_page.live and "勾稽关系" in portal_page.body
