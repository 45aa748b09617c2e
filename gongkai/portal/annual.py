"""Publishing an agency's 政府信息公开工作年度报告 into its 政府信息公开年报 column.

For the annual-report app: call `publish_annual_report_page(agency, year, html, attachments)`.
It creates (or, for a year already published, revises) the AnnualReportPage under the
agency's AnnualReportIndexPage and publishes it through the normal publish path, so the
report gets its 索引号, enters the catalogue, the search index and the static site, and
the 保密审查 guard applies (a report with unconfirmed personal data raises PublishBlocked).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from gongkai.core.domain import DomainError

from .models.disclosure_pages import AnnualReportIndexPage, AnnualReportPage
from .models.page_base import PageAttachment
from .setup import agency_collection


@transaction.atomic
def publish_annual_report_page(agency, year: int, html: str, attachments=(), *, actor=None, title: str | None = None):
    """Create or revise the year's report page and publish it; return the AnnualReportPage.

    `html`: the report body (cleaned of scripts on save). `attachments`: Wagtail Documents,
    or (filename, bytes) pairs, e.g. ("2025年年度报告.pdf", pdf_bytes) — PDF/DOCX/XLSX.
    """
    if not 2008 <= int(year) <= 2100:
        raise DomainError(f"报告年度“{year}”不正确，应为2008年至2100年之间的年份。")
    index = AnnualReportIndexPage.objects.filter(agency=agency).first()
    if index is None:
        raise DomainError(f"{agency.name}的门户网站还没有“政府信息公开年报”栏目，请先在网站“政府信息公开”下建立该栏目。")
    title = title or f"{agency.name}{year}年政府信息公开工作年度报告"
    Document = get_document_model()
    documents = []
    for item in attachments:
        if isinstance(item, Document):
            documents.append(item)
        else:
            name, data = item
            documents.append(Document.objects.create(title=name, file=ContentFile(data, name=name),
                                                     collection=agency_collection(agency)))
    page = AnnualReportPage.objects.child_of(index).filter(year=year).first()
    if page is None:
        page = AnnualReportPage(title=title, slug=f"{year}", year=year, live=False, statutory_category="15",
                                summary=f"{year}年度政府信息公开工作情况。")
        index.add_child(instance=page)
    else:
        page = page.get_latest_revision_as_object()
    page.title, page.body = title, html
    page.attachments = [PageAttachment(document=d) for d in documents]
    revision = page.save_revision(user=actor)
    revision.publish(user=actor)
    page.refresh_from_db()
    return page
