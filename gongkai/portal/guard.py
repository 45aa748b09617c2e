"""The one check every publication passes: no unconfirmed 保密审查 hit may go out.

Called from `PortalPageMixin.publish()`, which Wagtail's admin, the workflow's last step,
scheduled publishing (`publish_scheduled`), bulk actions and Gongkai's own commands all
use to publish a revision.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import Revision

from gongkai.audit.record import record

from .scan import scan_revision


class PublishBlocked(PermissionDenied):
    """Publishing refused; the message is Chinese and says what to do."""

    def __init__(self, message: str, hits=()):
        super().__init__(message)
        self.message = message
        self.hits = list(hits)

    def __str__(self) -> str:
        return self.message


def check_publishable(page, revision) -> None:
    report = scan_revision(page, revision)
    if report.pending:
        raise PublishBlocked(f"“{page.title}”的{report.pending_message()}：文字提取完成、保密审查确认之前不能发布。")
    if report.unconfirmed:
        listed = "；".join(f"{h.label}：{h.masked}（{h.where}）" for h in report.unconfirmed[:5])
        more = f" 等{len(report.unconfirmed)}处" if len(report.unconfirmed) > 5 else ""
        raise PublishBlocked(
            f"“{page.title}”有未经保密审查确认的内容，不能发布：{listed}{more}。请提交“信息发布审核”流程，由保密审查人逐项确认或退回修改。",
            report.unconfirmed,
        )


def cancel_scheduled(page, revision, exc: PublishBlocked) -> None:
    """A scheduled publication of an unreviewed revision is cancelled (and recorded), not retried."""
    with transaction.atomic():
        Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
        record("portal.schedule_cancel", actor=None, agency=page.agency, subject=page,
               new={"revision": revision.pk, "reason": exc.message[:500]})
    logging.getLogger(__name__).warning("scheduled publication of page %s cancelled: %s", page.pk, exc.message)
