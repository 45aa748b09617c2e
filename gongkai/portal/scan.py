"""Run the 保密审查 scan over one revision of a page: its text and the text of its attachments.

The text of an attachment comes from `extraction.py` (a background job; a file that cannot
be read becomes an "未能扫描" hit that a person must confirm after reading the file). A
request never extracts: until the text is there the attachment is listed in
`ScanReport.pending`, the review page says "附件正在提取文字，请稍候刷新" and nothing can be
published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from gongkai.law.pii import DEFAULT_KEYWORDS, Hit, scan_text, unscanned_hit

from .extraction import EXTRACTING, extracted_text
from .review import HitConfirmation, ScanKeyword

PAGE_TEXT_FIELDS = ("title", "summary", "body", "intro", "legal_basis", "conditions", "materials", "location",
                    "hours", "phone", "process", "item_name", "source", "doc_number")


SHOWN_CHARACTERS = 20000  # of one text on the review screen; the rest is in the file itself


@dataclass
class ScannedText:
    """One text the scan read (a field of the page or an attachment), as the reviewer reads it."""

    where: str
    text: str
    document: object | None = None  # the attachment's document, for a link to the file

    def segments(self, hits: list[Hit], confirmed: dict) -> list[tuple[str, Hit | None, bool]]:
        """The text cut at each hit found in it: (text, hit or None, confirmed). A hit's value is shown masked."""
        own = sorted((h for h in hits if h.where == self.where and h.kind != "unscanned"), key=lambda h: -len(h.value))
        shown = self.text[:SHOWN_CHARACTERS]
        marks: list[tuple[int, int, Hit]] = []
        for hit in own:
            start = shown.find(hit.value)
            while start >= 0:
                end = start + len(hit.value)
                if not any(a < end and start < b for a, b, _ in marks):
                    marks.append((start, end, hit))
                start = shown.find(hit.value, end)
        out, at = [], 0
        for start, end, hit in sorted(marks, key=lambda m: m[0]):
            if start > at:
                out.append((shown[at:start], None, False))
            out.append((hit.masked, hit, hit.fingerprint in confirmed))
            at = end
        if at < len(shown):
            out.append((shown[at:], None, False))
        return out

    @property
    def left_out(self) -> int:
        return max(0, len(self.text) - SHOWN_CHARACTERS)


@dataclass
class ScanReport:
    hits: list[Hit] = field(default_factory=list)
    confirmed: dict[str, object] = field(default_factory=dict)  # fingerprint -> HitConfirmation
    pending: list[str] = field(default_factory=list)  # 附件《…》 whose text is still being extracted
    texts: list[ScannedText] = field(default_factory=list)  # what was read, in the order it was read

    def reviewed_texts(self) -> list[tuple[ScannedText, list]]:
        """Each text with its hits marked, for the review screen."""
        return [(t, t.segments(self.hits, self.confirmed)) for t in self.texts]

    @property
    def unconfirmed(self) -> list[Hit]:
        return [h for h in self.hits if h.fingerprint not in self.confirmed]

    @property
    def clean(self) -> bool:
        return not self.unconfirmed and not self.pending

    def pending_message(self) -> str:
        """Why the scan is not complete yet (empty when it is)."""
        if not self.pending:
            return ""
        return f"{'、'.join(self.pending[:5])}{'等' if len(self.pending) > 5 else ''}{EXTRACTING}"


def html_text(html: str) -> str:
    if not html or "<" not in html:
        return html or ""
    return BeautifulSoup(html, "html.parser").get_text(" ")


def page_text(page) -> list[tuple[str, str]]:
    """(where, text) for each text field of a page."""
    parts = []
    for name in PAGE_TEXT_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, str) and value:
            label = str(page._meta.get_field(name).verbose_name) if name != "title" else "标题"
            parts.append((f"正文·{label}" if name != "title" else "标题", html_text(value)))
    return parts


def keywords_for(agency_id) -> list[str]:
    own = list(ScanKeyword.objects.filter(agency_id=agency_id).values_list("word", flat=True))
    return list(dict.fromkeys(list(DEFAULT_KEYWORDS) + own))


def scan_object(page, pending: list[str] | None = None, texts: list[ScannedText] | None = None) -> list[Hit]:
    """All hits of a page object (usually a revision's `as_object()`), attachments included.

    An attachment whose text is still being extracted adds its place to `pending` (when given);
    every text read is added to `texts` (when given).
    """
    keywords = keywords_for(page.agency_id)
    hits: list[Hit] = []
    for where, text in page_text(page):
        hits.extend(scan_text(text, where, keywords))
        if texts is not None:
            texts.append(ScannedText(where, text))
    for attachment in getattr(page, "attachments", None).all() if hasattr(page, "attachments") else []:
        document = attachment.document
        where = f"附件《{attachment.display_title}》"
        found = extracted_text(document)
        if found is None:
            if pending is not None:
                pending.append(where)
            continue
        ok, text, problem = found
        if texts is not None:
            texts.append(ScannedText(where, text if ok else "", document))
        if not ok:
            hits.append(unscanned_hit(where, problem))
            continue
        hits.extend(scan_text(text, where, keywords))
    return hits


def scan_revision(page, revision=None) -> ScanReport:
    obj = revision.as_object() if revision is not None else page
    pending: list[str] = []
    texts: list[ScannedText] = []
    hits = scan_object(obj, pending, texts)
    confirmed = {c.fingerprint: c for c in HitConfirmation.objects.filter(page_id=page.pk).select_related("confirmed_by")}
    return ScanReport(hits=hits, confirmed=confirmed, pending=pending, texts=texts)
