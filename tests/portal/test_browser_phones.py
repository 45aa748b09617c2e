"""Every public page type on a phone (360 and 390 px wide), in normal and 长者模式: nothing scrolls sideways.

Walks the public page types of the demo site (tests/helpers/public_pages.py, the list the axe-core test
walks too: home, columns, an article, a policy with its 索引号, an interpretation, the catalogue, statutory
content, the annual reports and a report, a service guide, a topic, search results, the site map, apply,
status, messages, a message, writing, a 404) and fails on any page wider than the screen, naming the
widest element. Screenshots at 390 and 1366 px go to /tmp/shots/public/ for people to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.public_pages import NOT_FOUND, load_public_site, public_paths

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots")) / "public"
WIDEST = """() => {
  const w = document.documentElement.clientWidth;
  let worst = null, right = w;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 0.5 && getComputedStyle(el).position !== 'fixed') {
      right = r.right;
      worst = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
              (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: w, worst, right: Math.round(right)};
}"""


@pytest.mark.browser
@pytest.mark.heavy
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_server, settings, publish_root):
    settings.GONGKAI_STATIC_PUBLISH = False  # the live server renders every page itself
    load_public_site()
    paths = public_paths()
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for elderly in (False, True):
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=1)
        if elderly:
            context.add_init_script("localStorage.setItem('gongkai-elderly', '1')")
        tab = context.new_page()
        for name, path in paths.items():
            response = tab.goto(live_server.url + path)
            assert response.status == (404 if name == NOT_FOUND else 200), (name, path, response.status)
            for width in (360, 390):
                tab.set_viewport_size({"width": width, "height": 844})
                found = tab.evaluate(WIDEST)
                if found["scroll"] > found["width"]:
                    too_wide.append(f"{name}{'（长者模式）' if elderly else ''} @{width}px: {found['scroll']}px wide, "
                                    f"widest {found['worst']} to {found['right']}px ({path})")
            if not elderly:
                tab.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
        context.close()
    desktop = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    tab = desktop.new_page()
    for name, path in paths.items():
        tab.goto(live_server.url + path)
        tab.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
    desktop.close()
    assert not too_wide, "\n".join(too_wide)
