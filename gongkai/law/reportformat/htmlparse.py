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


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _cell_text(td) -> str:
    """A cell's text on one line; a cell of digits split by markup or spaces is one number."""
    text = _WS.sub(" ", "".join(_texts(td))).strip()
    if " " in text and _SPLIT_DIGITS.match(text) and not re.search(r"\d\s+[+\-]", text):
        text = text.replace(" ", "")
    return text.replace("\t", " ")


def _texts(el):
    """Text of an element without dropped furniture (iterative: deep markup cannot overflow)."""
    stack = [(el, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.tail:
                yield node.tail
            continue
        tag = _tag(node)
        if tag in _DROP or tag == "":
            if node is not el and node.tail:
                yield node.tail
            continue
        if tag == "br":
            yield " "
        if node.text:
            yield node.text
        if node is not el:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))


def _rows(table):
    for tr in table.iter():
        if _tag(tr) != "tr":
            continue
        owner = next((a for a in tr.iterancestors() if _tag(a) == "table"), None)
        if owner is table:
            yield tr


def _lines(root) -> list[str]:
    """The page as text lines; each table row is one line of tab-separated cells."""
    out: list[str] = []
    buf: list[str] = []

    def flush():
        line = _WS.sub(" ", "".join(buf)).strip()
        if line:
            out.append(line)
        buf.clear()

    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if _tag(node) in _BLOCK:
                flush()
            if node.tail:
                buf.append(node.tail)
            continue
        tag = _tag(node)
        if tag in _DROP or tag == "":
            if node.tail:
                buf.append(node.tail)
            continue
        if tag == "table":
            flush()
            for tr in _rows(node):
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
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    flush()
    return out


def html_to_text(html: str) -> str:
    """The text of an HTML report, tables as tab-separated lines."""
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
