"""Parse a report from HTML: tables become tab-separated lines, page furniture is dropped.

Why: agencies publish reports as web pages, often exported from Word (digits split across
<span>s, <o:p> tags) inside portal chrome. One line per <tr> with one tab-separated cell per
<td>, without expanding rowspan/colspan, keeps each value in one cell; the text parser then
finds rows by their labels, so merged label cells need no geometry.
"""

from __future__ import annotations

import re

from .model import ParsedReport, ReportError
from .textparse import parse_text

_DROP = {"script", "style", "noscript", "nav", "header", "footer", "iframe", "select", "option",
         "button", "svg", "template", "head"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "caption", "form",
          "body", "main", "aside", "figure", "address"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"\s+")
_SPLIT_DIGITS = re.compile(r"^[\d\s.,+\-]+$")


_TAG_NAMES: dict[str, str] = {}


def _tag(el) -> str:
    tag = el.tag
    if type(tag) is not str:  # comments, processing instructions
        return ""
    name = _TAG_NAMES.get(tag)
    if name is None:
        name = _TAG_NAMES[tag] = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
    return name


def _cell_text(td) -> str:
    """A cell's text on one line; a cell of digits split by markup or spaces is one number."""
    # law: imports unchanged (house rule); lxml only needed for HTML reports
    from lxml import etree

    for bad in td.iter("script", "style"):
        bad.text = ""
    text = etree.tostring(td, method="text", encoding="unicode", with_tail=False)
    text = _WS.sub(" ", text).strip()
    if " " in text and _SPLIT_DIGITS.match(text) and not re.search(r"\d\s+[+\-]", text):
        text = text.replace(" ", "")
    return text


def _lines(root) -> list[str]:
    """The page as text lines; each table row is one line of tab-separated cells."""
    # law: imports unchanged (house rule); lxml only needed for HTML reports
    from lxml import etree

    out: list[str] = []
    buf: list[str] = []

    def flush():
        if buf:
            line = _WS.sub(" ", "".join(buf)).strip()
            if line:
                out.append(line)
            buf.clear()

    skipped = None
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event in ("comment", "pi"):
            if node.tail:
                buf.append(node.tail)
            continue
        tag = _tag(node)
        if event == "start":
            if tag in _DROP or tag == "":
                walker.skip_subtree()
                skipped = node
                if node.tail:
                    buf.append(node.tail)
                continue
            if tag == "table":
                walker.skip_subtree()
                skipped = node
                flush()
                for tr in node.xpath("./tr|./*/tr"):
                    cells = [_cell_text(td) for td in tr if _tag(td) in ("td", "th")]
                    if any(cells):
                        out.append("\t".join(cells))
                if node.tail:
                    buf.append(node.tail)
                continue
            if tag in _BLOCK:
                flush()
            if node.text:
                buf.append(node.text)
        elif node is skipped:
            skipped = None
        else:
            if tag in _BLOCK:
                flush()
            if node.tail and node is not root:
                buf.append(node.tail)
    flush()
    return out


def html_to_text(html: str) -> str:
    """The text of an HTML report, tables as tab-separated lines."""
    # heavy; lxml.html only needed for HTML reports (the CLI test keeps it out of start-up)
    import lxml.html
    from lxml import etree

    html = _XML_DECL.sub("", html.replace("\x00", ""))
    if not html.strip():
        raise ReportError("HTML 文件为空")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ReportError(f"无法解析 HTML：{exc}") from None
    title = root.find(".//title")
    lines = []
    if title is not None and title.text:
        lines.append(_WS.sub(" ", title.text).strip())
    lines.extend(_lines(root))
    return "\n".join(lines)


def parse_html(html: str, source: str | None = None) -> ParsedReport:
    """Parse a report published as an HTML page (rowspan/colspan, Word HTML, portal chrome)."""
    return parse_text(html_to_text(html), source=source)
