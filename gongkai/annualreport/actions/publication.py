"""Publishing a signed revision: two actions, because a refused page must stay as a draft.

1. `report_page_prepare`: the year's page in the portal's 年报 column is saved as a draft
   revision, and keyword hits found only in the official labels are confirmed (see
   `publishing`). Committed on its own, so that when the portal then refuses to publish,
   its 保密审查 reviewer has a page to review.
2. `report_page_publish`: the prepared page is published through the portal's guard
   together with the report's state change; a refusal undoes this step only.

`gongkai.annualreport.release.report_publish` runs the two in order.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core.domain import DomainError, action, lock, unchanged

from .. import publishing
from ..models import AnnualReport, ReportRevision, ReportStatus
from ._common import _check_head


def _publishable(report: AnnualReport) -> ReportRevision:
    locked = lock(report)
    if locked.status != ReportStatus.SIGNED:
        if locked.status == ReportStatus.PUBLISHED:
            raise DomainError(f"{locked.year}年度报告第{locked.revision}版已经公开。")
        raise DomainError("报告尚未签发，不能公开。请先由公开工作机构负责人签发。")
    return locked.revisions.get(number=locked.revision)


@action("annualreport.publish_prepare")
def report_page_prepare(report: AnnualReport, *, actor) -> publishing.PreparedPage | None:
    """Save the signed revision's portal page as a draft; None when the agency has no 年报 column."""
    _check_head(actor, report.agency, "公开年度报告")
    revision = _publishable(report)
    prepared = publishing.prepare_page(revision, actor=actor)
    if prepared is None:
        unchanged()  # no 年报 column: the report is public on this app's own page only
        return None
    page, page_revision = prepared
    confirmed = publishing.reconcile_label_hits(page, page_revision, revision.format, actor=actor)
    record("annualreport.publish_prepare", actor=actor, agency=report.agency, subject=report,
           new={"revision": revision.number, "page": page.pk, "page_revision": page_revision.pk,
                "auto_confirmed": confirmed})
    return publishing.PreparedPage(page, page_revision, confirmed)


@action("annualreport.publish")
def report_page_publish(report: AnnualReport, prepared: publishing.PreparedPage | None, *, actor) -> ReportRevision:
    """Publish the prepared page (if any) and mark the signed revision published."""
    _check_head(actor, report.agency, "公开年度报告")
    revision = _publishable(report)
    if prepared is not None:
        try:
            publishing.publish_prepared(prepared.page, prepared.page_revision)
        except (PermissionDenied, ValidationError) as exc:
            raise DomainError(
                f"门户网站拒绝发布该报告页面：{exc} 报告页面已作为草稿保存在“政府信息公开年报”栏目中，"
                "请将其提交“信息发布审核”流程，由保密审查人确认后，再点击“公开”。") from None
    revision.published_at, revision.published_by_label = clock.now(), actor.get_username()
    revision.save(update_fields=["published_at", "published_by_label"])
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED, updated_at=revision.published_at)
    page = prepared.page if prepared is not None else None
    record("annualreport.publish", actor=actor, agency=report.agency, subject=report,
           old={"status": ReportStatus.SIGNED.value},
           new={"status": ReportStatus.PUBLISHED.value, "revision": revision.number,
                "page": page.pk if page is not None else None,
                "url": page.url if page is not None else publishing.public_url(report.agency, report.year),
                "auto_confirmed": prepared.confirmed if prepared is not None else []})
    return revision
