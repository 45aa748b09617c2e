"""Clean rich text: keep formatting, drop scripts, event handlers and javascript: links.

The Draftail editor already whitelists what it saves; this protects every other way
into a page (imports, the shell, a revision written by a script).
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Comment

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
    "a", "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td", "caption", "span", "div", "pre", "code",
    "embed", "img", "figure", "figcaption",
}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "applet", "noscript", "template", "form", "svg", "math"}
ALLOWED_ATTRS = {
    "a": {"href", "linktype", "id", "title"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"class"},
}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "/", "#")


def clean_html(html: str) -> str:
    if not html or ("<" not in html and "&" not in html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.name in DROP_WITH_CONTENT:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.name not in ALLOWED_TAGS:
            tag.unwrap()
            continue
        allowed = ALLOWED_ATTRS.get(tag.name, set()) | ALLOWED_ATTRS["*"]
        for attr in list(tag.attrs):
            if attr not in allowed or attr.lower().startswith("on"):
                del tag.attrs[attr]
        for attr in ("href", "src", "url"):
            value = tag.attrs.get(attr)
            v = (value or "").strip().lower()
            if value is not None and (not v.startswith(SAFE_SCHEMES) or v.startswith("//")):
                del tag.attrs[attr]
    return str(soup)
