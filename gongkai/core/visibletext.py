"""The text a person sees on an HTML page: text nodes and the few attributes read out or shown
(title, placeholder, aria-label, alt, value of buttons), without scripts, styles, templates and
elements marked `hidden`.

Used by the test that fails on English left in the Chinese admin (tests/core/test_admin_chinese.py).
"""

from __future__ import annotations

from html.parser import HTMLParser

SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED = {"script", "style", "template", "noscript", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.hidden: list[str | int] = []  # [tag, depth] of the element marked hidden we are inside

    def handle_starttag(self, tag, attrs):
        if self.hidden:
            if tag == self.hidden[0]:
                self.hidden[1] += 1
            return
        if any(name == "hidden" for name, _ in attrs) and tag not in VOID:
            self.hidden = [tag, 1]
            return
        if tag in SKIPPED:
            self.skipping += 1
            return
        if self.skipping:
            return
        values = dict(attrs)
        self.parts.extend(values[a] for a in SHOWN_ATTRIBUTES if values.get(a))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if self.hidden:
            if tag == self.hidden[0]:
                self.hidden[1] -= 1
                if not self.hidden[1]:
                    self.hidden = []
            return
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    return collector.parts
