"""Keyboard only: a citizen applies for information on /apply/ and writes a message on /hudong/, never clicking.

Only page.keyboard moves and types: Tab and Shift+Tab to go from one control to the next, typing into fields,
arrow keys in selects and radio groups, Space for the checkboxes, the radio choice and the 长者模式 button,
Enter on links, the file field and submit buttons. Every control the walk passes is checked for a visible
focus (an outline or a box-shadow, as the browser computes it for the focused element). Each walk starts with
the skip link (跳到正文), which must be the first Tab stop, show on screen and move focus to the content. The
CAPTCHA is answered from its words alternative (文字题), as a person who cannot read the picture would. The
tests read the page (what is focused, what a select shows) but never act on it other than through the keyboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.public_pages import AGENCY, captcha_answer, load_public_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ICON = Path(__file__).resolve().parents[2] / "gongkai" / "portal" / "static" / "portal" / "icon-180.png"
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: 'body', visible: false};
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = !!s.boxShadow && s.boxShadow !== 'none';
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '') +
               (el.type === 'radio' ? '[value=' + el.value + ']' : '') +
               (el.tagName === 'A' ? '「' + el.textContent.trim() + '」' : '');
  return {name, visible: outline || shadow, outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow};
}"""


class Walker:
    """Moves through a page with the keyboard and checks that every stop shows where the focus is."""

    def __init__(self, page):
        self.page = page
        self.keys = page.keyboard
        self.stops: list[str] = []

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def check_visible(self) -> dict:
        now = self.focused()
        assert now["visible"], \
            f"no visible focus on {now['name']} (outline {now['outline']}, box-shadow {now['shadow']})"
        return now

    def press(self, key: str) -> None:
        self.keys.press(key)

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 40) -> None:
        """Tab (or Shift+Tab) until the control matching selector has the focus, checking each stop on the way."""
        for _ in range(limit):
            self.press("Shift+Tab" if back else "Tab")
            now = self.check_visible()
            self.stops.append(now["name"])
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} not reached in {limit} {'Shift+Tab' if back else 'Tab'} presses: "
                             + " → ".join(self.stops[-limit:]))

    def type_into(self, selector: str, text: str, **kw) -> None:
        self.tab_to(selector, **kw)
        self.keys.type(text)

    def choose(self, selector: str, label: str) -> None:
        """Tab to a select and move its choice with the arrow keys until it shows label."""
        self.tab_to(selector)
        labels = self.page.evaluate("s => [...document.querySelector(s).options].map(o => o.text.trim())", selector)
        assert label in labels, (selector, label, labels)
        current = self.page.evaluate("s => document.querySelector(s).selectedIndex", selector)
        target = labels.index(label)
        for _ in range(abs(target - current)):
            self.press("ArrowDown" if target > current else "ArrowUp")
        self.check_visible()
        shown = self.page.evaluate(
            "s => { const e = document.querySelector(s); return e.options[e.selectedIndex].text.trim(); }", selector)
        assert shown == label, (selector, shown, label)

    def submit(self, selector: str) -> None:
        """Tab to the submit button and press Enter; wait for the page it leads to."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.press("Enter")

    def skip_to_content(self) -> None:
        """The first Tab stop is the skip link; Enter on it puts the focus on <main>."""
        self.press("Tab")
        now = self.check_visible()
        assert self.page.evaluate("document.activeElement.className") == "skip-link", now
        assert self.page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
        box = self.page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect();"
                                 " return [r.left, r.top, r.width, r.height]; })()")
        assert box[0] >= 0 and box[1] >= 0 and box[2] > 0 and box[3] > 0, f"the focused skip link is off screen: {box}"
        self.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"


@pytest.fixture
def site(settings, publish_root, tmp_path):
    from django.core.cache import cache

    settings.GONGKAI_STATIC_PUBLISH = False
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"  # the message's attachment
    cache.clear()  # rate limits of the public forms
    load_public_site(annual_report=False)
    yield
    cache.clear()


def _tab(browser, **options):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, **options)
    context.set_default_timeout(20000)
    return context, context.new_page()


def test_keyboard_only_application_from_form_to_receipt(browser, live_server, site):
    from gongkai.applications.models import Application

    context, page = _tab(browser)
    walk = Walker(page)
    page.goto(f"{live_server.url}/apply/")
    walk.skip_to_content()
    walk.choose("#id_agency", AGENCY)
    walk.choose("#id_kind", "自然人")
    walk.type_into("#id_name", "钟键盘")
    walk.choose("#id_id_type", "居民身份证")
    walk.type_into("#id_id_number", "410302199505051231")  # a wrong check digit: the form comes back
    walk.type_into("#id_phone", "13612340000")
    walk.type_into("#id_description", "请公开2026年本市退役军人就业创业扶持资金使用情况")
    walk.type_into("#id_subject", "扶持资金使用情况", back=True)  # back up one field to add the summary
    walk.choose("#id_delivery_wanted", "电子邮件")
    walk.tab_to("#id_consent")
    walk.press("Space")
    assert page.evaluate("document.getElementById('id_consent').checked")
    walk.type_into("input[name=captcha_answer]", captcha_answer(page))
    walk.submit("main button[type=submit]")
    assert "校验位不正确" in page.inner_text("main"), page.inner_text("main")[:500]

    # Back on the form: everything typed is kept; correct the number, answer a new question, send again. (The
    # address still ends in #main from the skip link, so the next Tab goes on from the content.)
    walk.tab_to("#id_id_number")
    walk.press("Control+A")
    walk.keys.type("410302199505051230")
    assert page.evaluate("document.getElementById('id_consent').checked")
    walk.type_into("input[name=captcha_answer]", captcha_answer(page))
    walk.submit("main button[type=submit]")
    page.wait_for_url(re.compile(r"/apply/receipt/(#main)?$"))  # the redirect keeps #main
    assert page.locator("[data-testid=query-code]").is_visible()
    app = Application.objects.get(applicant__name="钟键盘")
    assert (app.agency.name, app.subject, app.delivery_wanted) == (AGENCY, "扶持资金使用情况", "email")
    # The receipt's link to the status query is reachable too.
    walk.tab_to("main a[href$='/apply/status/']:not(.sub-nav a)")
    context.close()


def test_keyboard_only_message_in_elderly_mode_from_list_to_receipt(browser, live_server, site):
    from gongkai.interaction.models import Message

    context, page = _tab(browser)
    # Stands for the person choosing a file in the system's dialog. Listening from the start: Playwright starts
    # catching the dialog only some time after the first listener is added, and a dialog before that is lost.
    page.on("filechooser", lambda chooser: chooser.set_files(str(ICON)))
    walk = Walker(page)
    page.goto(f"{live_server.url}/hudong/")
    walk.skip_to_content()
    # 长者模式 by keyboard: back up to the button in the header, Space switches it on.
    walk.tab_to("#elderly-toggle", back=True)
    walk.press("Space")
    assert "elderly" in (page.locator("html").get_attribute("class") or "")
    assert page.evaluate("document.getElementById('elderly-toggle').getAttribute('aria-pressed')") == "true"
    walk.tab_to(".sub-nav a[href*='/hudong/xie/']")
    with page.expect_navigation():
        walk.press("Enter")
    assert "/hudong/xie/" in page.url and "elderly" in (page.locator("html").get_attribute("class") or "")
    walk.skip_to_content()
    walk.choose("#id_agency", AGENCY)
    # The radio group: Tab enters it, Space picks the focused choice, arrow keys move the choice.
    walk.tab_to("input[name=category]")
    walk.press("Space")
    for _ in range(4):
        if page.evaluate("document.querySelector('input[name=category]:checked')?.value") == "suggestion":
            break
        walk.press("ArrowDown")
        walk.check_visible()
    assert page.evaluate("document.activeElement.value") == "suggestion"
    walk.type_into("#id_title", "建议延长服务站周末开放时间")
    walk.type_into("#id_content", "建议区退役军人服务站周六上午开放，方便上班的退役军人办事。")
    walk.type_into("#id_writer_name", "钟键盘")
    walk.type_into("#id_writer_phone", "13612340001")
    walk.tab_to("#id_wants_public")
    walk.press("Space")
    walk.tab_to("#id_attachment")
    walk.press("Enter")  # the file field opens the system's file dialog (here answered by choose_icon)
    for _ in range(100):  # the dialog answers a moment later
        if page.evaluate("document.getElementById('id_attachment').files.length") == 1:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.getElementById('id_attachment').files[0]?.name") == "icon-180.png"
    walk.type_into("input[name=captcha_answer]", captcha_answer(page))
    walk.submit("main button[type=submit]")
    page.wait_for_url(re.compile(r"/hudong/xie/wancheng/(#main)?$"))
    assert page.locator("#query-code").is_visible()
    message = Message.objects.get(title="建议延长服务站周末开放时间")
    assert (message.agency.name, message.category, message.wants_public) == (AGENCY, "suggestion", True)
    assert message.attachment_name == "icon-180.png"
    walk.tab_to("main a[href$='/hudong/chaxun/']:not(.sub-nav a)")
    context.close()
