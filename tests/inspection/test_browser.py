"""网站自查 in a real browser on the demo: the agency's view, its findings and 立即检查, and the supervising
office's table with its filter and both exports. Screenshots go to /tmp/shots/inspection/ for people to look at."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers.foreign import login

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots")) / "inspection"


def _tab(browser, live_server, username, width=1366):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    login(client, get_user_model().objects.get(username=username))
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}, accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agency_and_supervising_office_walk_through_the_inspection(browser, live_server, settings, tmp_path):
    from openpyxl import load_workbook

    settings.PUBLISH_ROOT = tmp_path / "publish"
    settings.ALLOWED_HOSTS = ["*"]  # the demo crawls its two sites by their own host names
    settings.GONGKAI_DEMO_CRAWL = True
    call_command("load_demo", stdout=io.StringIO())
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The office head of the good site: the start page says 合格, the 网站自查 page shows the score and findings.
    context, tab = _tab(browser, live_server, "demo_head")
    tab.goto(f"{live_server.url}/admin/")
    panel = tab.locator("#todo-inspection")
    assert "合格" in panel.inner_text()
    tab.goto(f"{live_server.url}/admin/inspection/")
    card = tab.locator("section.gk-card").first
    assert card.locator("[data-testid=state]").inner_text() == "合格"
    assert float(card.locator("[data-testid=score]").inner_text()) >= 60
    tab.screenshot(path=str(SHOTS / "agency-index.png"), full_page=True)
    card.get_by_role("link", name="查看全部问题和整改方法").click()
    tab.wait_for_url("**/admin/inspection/site/**")
    findings = tab.locator("[data-testid=findings] .gk-finding")
    assert findings.count() >= 1
    assert tab.locator("[data-testid=findings]").get_by_text("整改：").count() == findings.count()
    tab.get_by_role("button", name="立即检查").click()
    tab.get_by_text("已完成今天的检查").wait_for()
    assert tab.locator("[data-testid=history] tbody tr").count() == 1  # the same day is replaced, not added
    tab.screenshot(path=str(SHOTS / "agency-site.png"), full_page=True)
    context.close()

    # The supervising office: both subordinate sites, the faulty one 不合格 with its single vetoes.
    context, tab = _tab(browser, live_server, "demo_supervisor")
    tab.goto(f"{live_server.url}/admin/inspection/supervision/")
    rows = tab.locator("[data-testid=sites] tbody tr")
    assert rows.count() == 2
    bad = tab.locator("[data-testid=sites] tbody tr", has_text="洛阳市民政局")
    assert "不合格" in bad.inner_text() and "空白栏目" in bad.inner_text() and "留言超期未答复" in bad.inner_text()
    assert bad.locator("td").nth(6).inner_text() != "0"  # deductions, among them the planted dead link
    tab.screenshot(path=str(SHOTS / "supervision.png"), full_page=True)
    tab.select_option("#finding", "veto.empty_columns")
    tab.get_by_role("button", name="筛选").click()
    tab.wait_for_url("**finding=veto.empty_columns**")
    assert rows.count() == 1 and "洛阳市民政局" in rows.first.inner_text()
    with tab.expect_download() as download:
        tab.get_by_role("link", name="导出 Excel").click()
    xlsx = tmp_path / "bulletin.xlsx"
    download.value.save_as(xlsx)
    sheet = load_workbook(xlsx)["检查结果"]
    assert [c.value for c in sheet[3]][1] == "洛阳市民政局" and sheet.max_row == 3  # the filter applies to the export
    with tab.expect_download() as download:
        tab.get_by_role("link", name="导出 PDF 通报").click()
    pdf = SHOTS / "bulletin.pdf"
    download.value.save_as(pdf)
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "政府网站检查情况通报" in text and "洛阳市民政局" in text and "不合格" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "bulletin")], check=True)
    # A made-up filter is refused in Chinese and the whole table is shown.
    tab.goto(f"{live_server.url}/admin/inspection/supervision/?finding=<script>")
    assert tab.get_by_role("alert").inner_text().startswith("没有“<script>”这一问题类型") and rows.count() == 2
    context.close()
