"""axe-core in Chromium: no serious or critical violation on any public page type, in normal and 长者模式.

Every page type of tests/helpers/public_pages.py (the list the phone-width test walks too), and the pages only a
form leads to: the form sent back with its errors, the application receipt, the status answer, the message
receipt and the message query answer; each at a desktop's width and a phone's. axe-core is the copy bundled by
the PyPI package axe-playwright-python (no network at test time); it runs with its default rules, none switched
off, and two of its "needs review" results count as violations too (CERTAIN_WHEN_INCOMPLETE). Each page, mode
and width is a subtest, so a failure says which page in which mode, and lists each violation: rule, impact, the
elements, axe's help and what to fix. AXE_SHOTS=folder keeps a screenshot of each for people to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.public_pages import NOT_FOUND, answer_captcha, load_public_site, public_paths

BLOCKING = ("serious", "critical")
MODES = {"normal": False, "elderly": True}
MODE_NAMES = {"normal": "普通模式", "elderly": "长者模式"}
WIDTHS = (1366, 390)  # a desktop and a phone: on a phone, wide tables scroll inside the page
SHOTS = os.environ.get("AXE_SHOTS", "")
AFTER_RESIZE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"  # its handlers ran


# axe reports these as "needs review" (incomplete) rather than as violations, yet each is certain: text of the
# same colour as its background (axe cannot tell it from text hidden on purpose; 长者模式's white text on a white
# card was exactly that), and aria-describedby naming an element that is not on the page.
CERTAIN_WHEN_INCOMPLETE = {"equalRatio", "noId"}


def _message_keys(node) -> set[str]:
    return {check["data"].get("messageKey") for part in ("any", "all", "none") for check in node.get(part, [])
            if isinstance(check.get("data"), dict)}


def axe_violations(page) -> list[str]:
    """The serious and critical violations axe finds on the page as it is now, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    found = [(v, node) for v in results["violations"] for node in v["nodes"]]
    found += [(v, node) for v in results["incomplete"] for node in v["nodes"]
              if _message_keys(node) & CERTAIN_WHEN_INCOMPLETE]
    lines = []
    for violation, node in found:
        if violation["impact"] not in BLOCKING:
            continue
        summary = (node.get("failureSummary") or "").strip().splitlines()
        lines.append(f"  {violation['id']} ({violation['impact']}) at {' '.join(map(str, node['target']))}: "
                     f"{violation['help']} — {summary[-1].strip() if summary else ''}")
    return lines


def _submit(page, selector="main button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def _form_pages(tab, base):
    """Yield (name, path) after bringing the tab to each page that only a form leads to."""
    tab.goto(base + "/apply/")
    _submit(tab)  # nothing filled in: the form comes back with its errors
    yield "apply-errors", "/apply/ (POST)"
    tab.goto(base + "/apply/")
    tab.select_option("#id_agency", label="洛阳市退役军人事务局")
    tab.fill("#id_name", "周无障")
    tab.fill("#id_id_number", "410302199505051230")
    tab.fill("#id_phone", "13612349876")
    tab.fill("#id_description", "请公开2026年本市光荣之家评选结果")
    tab.check("#id_consent")
    answer_captcha(tab)
    _submit(tab)
    tab.wait_for_url("**/apply/receipt/")
    code = tab.inner_text("[data-testid=query-code]")
    yield "apply-receipt", "/apply/receipt/"
    tab.goto(base + "/apply/status/")
    tab.fill("#id_query_code", code)
    tab.fill("#id_phone_last4", "9876")
    answer_captcha(tab)
    _submit(tab)
    assert tab.locator("[data-testid=status]").count() == 1
    yield "apply-status-answer", "/apply/status/ (POST)"
    tab.goto(base + "/hudong/xie/")
    _submit(tab)
    yield "write-errors", "/hudong/xie/ (POST)"
    tab.goto(base + "/hudong/xie/")
    tab.select_option("select[name=agency]", label="洛阳市退役军人事务局")
    tab.check("input[name=category][value=consult]")
    tab.fill("input[name=title]", "烈士子女教育优待咨询")
    tab.fill("textarea[name=content]", "请问烈士子女升学有哪些优待政策？")
    tab.fill("input[name=writer_name]", "陈立新")
    tab.fill("input[name=writer_phone]", "13612345678")
    answer_captcha(tab)
    _submit(tab)
    tab.wait_for_url("**/hudong/xie/wancheng/")
    code = tab.locator("#query-code").inner_text().strip()
    yield "write-done", "/hudong/xie/wancheng/"
    tab.goto(base + "/hudong/chaxun/")
    tab.fill("input[name=code]", code)
    _submit(tab)
    assert tab.locator("#stage").count() == 1
    yield "message-query-answer", "/hudong/chaxun/ (POST)"


@pytest.fixture(autouse=True)
def _no_rate_limits():
    from django.core.cache import cache

    cache.clear()  # the forms are sent a few times from one address
    yield
    cache.clear()


@pytest.mark.browser
@pytest.mark.heavy
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("mode", list(MODES))
def test_no_serious_axe_violation_on_any_public_page(mode, browser, live_server, settings, publish_root, subtests):
    settings.GONGKAI_STATIC_PUBLISH = False  # the live server renders every page itself
    load_public_site()
    paths = public_paths()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(20000)
    if MODES[mode]:
        context.add_init_script("localStorage.setItem('gongkai-elderly', '1')")
    tab = context.new_page()
    base = live_server.url

    def check(name, path):
        for width in WIDTHS:
            tab.set_viewport_size({"width": width, "height": 900})
            tab.evaluate(AFTER_RESIZE)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(Path(SHOTS) / f"{name}-{mode}-{width}.png"), full_page=True)
            with subtests.test(msg=f"{name}（{MODE_NAMES[mode]}，{width}px）{path}"):
                if tab.locator("#elderly-toggle").count():  # the portal's chrome (the report's own page has none)
                    assert ("elderly" in (tab.locator("html").get_attribute("class") or "")) == MODES[mode]
                found = axe_violations(tab)
                assert not found, f"axe: {name} in {MODE_NAMES[mode]} at {width}px ({path}):\n" + "\n".join(found)
        tab.set_viewport_size({"width": WIDTHS[0], "height": 900})

    for name, path in paths.items():
        response = tab.goto(base + path)
        assert response.status == (404 if name == NOT_FOUND else 200), (name, path, response.status)
        check(name, path)
    for name, path in _form_pages(tab, base):
        check(name, path)
    context.close()
