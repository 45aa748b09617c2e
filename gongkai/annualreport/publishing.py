"""Put a signed revision on the portal: the agency's 政府信息公开年报 column, one page per year.

The page body is the report rendered in the official layout (sections, merged tables),
preceded by the revision note when it is a correction and followed by the download
links. When the agency has no 年报 column in the portal, the report is still public on
this app's own page (`/annual-reports/<credit code>/<year>/`), which always exists.

The portal's 保密审查 scan (gongkai.portal.scan) looks for words such as 秘密 and 内部, which
the official table labels themselves contain (“1.属于国家秘密”, “5.属于三类内部事务信息”).
Adapter: a keyword hit that occurs *only* inside the official labels of the format is
confirmed on the page automatically, with the reason below and the signing office head as
confirmer, and listed in the publish audit event. A keyword anywhere else (the prose) is
left to the 保密审查 reviewer: publication is refused with the portal's message, and an
automatic confirmation is withdrawn when the word now also appears outside the labels.
"""

from __future__ import annotations

import re
from html import escape
from typing import NamedTuple

from django.urls import reverse
from django.utils import timezone

from gongkai.law.reportformat import spec
from gongkai.law.reportformat.spec import layout
from gongkai.portal.models.disclosure_pages import AnnualReportIndexPage, AnnualReportPage
from gongkai.portal.review import HitConfirmation
from gongkai.portal.scan import page_text, scan_revision

from .checks import document_from_snapshot
from .outputs import body_html

class PreparedPage(NamedTuple):
    """The year's report page saved as a draft revision, and the label hits confirmed on it."""

    page: object
    page_revision: object
    confirmed: list[str]


AUTO_REASON = "仅出现在年度报告格式规定的表格标签中（国办公开办函〔2021〕30号、〔2019〕60号），非涉密内容；年报公开时由系统确认"


def public_url(agency, year: int, fmt: str | None = None) -> str:
    if fmt:
        return reverse("annualreport_public:download", args=[agency.credit_code, year, fmt])
    return reverse("annualreport_public:page", args=[agency.credit_code, year])


def revision_note(revision) -> str:
    if revision.number == 1:
        return ""
    when = timezone.localtime(revision.signed_at).strftime("%Y年%m月%d日")
    return (f"本报告为更正后的第{revision.number}版（{when}签发）。更正原因：{revision.correction_reason}")


def portal_body(revision) -> str:
    doc = document_from_snapshot(revision.snapshot)
    agency = revision.agency
    parts = []
    note = revision_note(revision)
    if note:
        parts.append(f'<p class="report-revision"><strong>{escape(note)}</strong></p>')
    # The portal styles its bordered tables with these classes (portal.css); rich text keeps only `class`.
    body = body_html(doc).replace("<table>", '<div class="table-scroll"><table class="catalogue-table report-table">')
    parts.append(body.replace("</table>", "</table></div>"))
    links = "　".join(f'<a href="{public_url(agency, doc.year, fmt)}">{label}</a>'
                     for fmt, label in (("pdf", "下载 PDF"), ("docx", "下载 Word（DOCX）"), ("json", "数据（JSON）")))
    parts.append(f"<p>{links}</p>")
    return "\n".join(parts)


def annual_report_column(agency):
    """The agency's 政府信息公开年报 index page in the portal, or None."""
    return AnnualReportIndexPage.objects.filter(agency=agency).first()


def official_labels(fmt_id: str) -> list[str]:
    """Every fixed text of the format's tables and headings, longest first."""
    fmt = spec.get_format(fmt_id)
    labels = set(spec.SECTION_TITLES.values()) | set(fmt.column_labels.values())
    for block in fmt.section2:
        labels.add(block.caption)
        labels.update(block.columns)
        labels.update(r.label for r in block.rows)
    for r in fmt.rows:
        labels.add(r.label)
        if r.group:
            labels.add(r.group)
    lay = layout()
    labels.update([lay["section3"]["note"], lay["section3"]["applicant"], lay["section3"]["org_group"],
                   lay["section3"]["result_group"]])
    labels.update(lay["section4"]["review_parts"])
    labels.update(lay["section4"]["litigation_groups"])
    labels.update(t["label"] for t in lay["section4"]["top"])
    return sorted((x for x in labels if x), key=len, reverse=True)


def strip_labels(text: str, fmt_id: str) -> str:
    text = re.sub(r"\s+", "", text)
    for label in official_labels(fmt_id):
        text = text.replace(re.sub(r"\s+", "", label), "|")
    return text


def reconcile_label_hits(page, page_revision, fmt_id: str, *, actor) -> list[str]:
    """Confirm keyword hits found only in the official labels; withdraw such confirmations otherwise."""
    scan = scan_revision(page, page_revision)
    texts = dict(page_text(page_revision.as_object()))
    confirmed = []
    for hit in scan.hits:
        if hit.kind != "keyword":
            continue
        only_labels = hit.value not in strip_labels(texts.get(hit.where, ""), fmt_id)
        existing = scan.confirmed.get(hit.fingerprint)
        if only_labels and existing is None:
            HitConfirmation.objects.create(agency_id=page.agency_id, page_id=page.pk, fingerprint=hit.fingerprint,
                                           kind=hit.kind, masked_value=hit.masked[:200], location=hit.where[:200],
                                           reason=AUTO_REASON, confirmed_by=actor)
            confirmed.append(hit.value)
        elif not only_labels and existing is not None and existing.reason == AUTO_REASON:
            existing.delete()
    return confirmed


def prepare_page(revision, *, actor):
    """Create or update the year's AnnualReportPage as a draft revision; (page, page revision) or None.

    Call `reconcile_label_hits` on the result before publishing (see the module docstring).
    """
    column = annual_report_column(revision.agency)
    if column is None:
        return None
    doc = document_from_snapshot(revision.snapshot)
    page = AnnualReportPage.objects.child_of(column).filter(year=doc.year).first()
    title = doc.display_title()
    signed_on = timezone.localdate(revision.signed_at)
    summary = f"{title}（第{revision.number}版）"
    if page is None:
        page = AnnualReportPage(title=title, slug=f"{doc.year}", year=doc.year, agency=revision.agency,
                                body=portal_body(revision), written_on=signed_on, statutory_category="15",
                                summary=summary, live=False)
        column.add_child(instance=page)
    else:
        page = page.specific
        page.title, page.body, page.written_on, page.summary = title, portal_body(revision), signed_on, summary
    user = actor if getattr(actor, "is_authenticated", False) else None
    return page, page.save_revision(user=user)


def publish_prepared(page, page_revision) -> None:
    """Publish a prepared page revision; the portal's guard refuses unconfirmed scan hits."""
    page_revision.publish(user=page_revision.user, skip_permission_checks=True)
