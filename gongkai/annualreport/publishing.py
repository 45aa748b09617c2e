"""Put a signed revision on the portal: the agency's 政府信息公开年报 column, one page per year.

The page body is the report rendered in the official layout (sections, merged tables),
preceded by the revision note when it is a correction and followed by the download
links. When the agency has no 年报 column in the portal, the report is still public on
this app's own page (`/annual-reports/<credit code>/<year>/`), which always exists.
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils import timezone

from .checks import document_from_snapshot
from .outputs import body_html


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
    parts.append(body_html(doc))
    links = "　".join(f'<a href="{public_url(agency, doc.year, fmt)}">{label}</a>'
                     for fmt, label in (("pdf", "下载 PDF"), ("docx", "下载 Word（DOCX）"), ("json", "数据（JSON）")))
    parts.append(f"<p>{links}</p>")
    return "\n".join(parts)


def annual_report_column(agency):
    """The agency's 政府信息公开年报 index page in the portal, or None."""
    try:
        from gongkai.portal.disclosure_pages import AnnualReportIndexPage
    except ImportError:  # pragma: no cover
        return None
    return AnnualReportIndexPage.objects.filter(agency=agency).first()


def publish_page(revision, *, actor):
    """Create or update the year's AnnualReportPage and publish it; None when there is no column."""
    from gongkai.portal.disclosure_pages import AnnualReportPage

    column = annual_report_column(revision.agency)
    if column is None:
        return None
    doc = document_from_snapshot(revision.snapshot)
    page = AnnualReportPage.objects.child_of(column).filter(year=doc.year).first()
    title = doc.display_title()
    signed_on = timezone.localdate(revision.signed_at)
    if page is None:
        page = AnnualReportPage(title=title, slug=f"{doc.year}", year=doc.year, agency=revision.agency,
                                body=portal_body(revision), written_on=signed_on, statutory_category="15",
                                summary=f"{title}（第{revision.number}版）")
        column.add_child(instance=page)
    else:
        page = page.specific
        page.title, page.body, page.written_on = title, portal_body(revision), signed_on
        page.summary = f"{title}（第{revision.number}版）"
    page_revision = page.save_revision(user=actor if getattr(actor, "is_authenticated", False) else None)
    page_revision.publish(user=actor if getattr(actor, "is_authenticated", False) else None,
                          skip_permission_checks=True)
    return page
