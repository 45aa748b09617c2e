"""State changes of the portal's review: actions (`gongkai.core.domain.action`), each audited.

- `scan_hit_confirm(page, hit, *, actor, reason)`: the 保密审查 reviewer accepts one hit.
- `review_send_back(task_state, *, actor, comment)`: 保密审查 returns the page to the editor.
- `review_pass(task_state, *, actor, comment)`: 保密审查 approves (only with no unconfirmed hit).
- `index_number_issue(page, *, actor)`: in indexnumbers.py, called by the publish path.
- `publishing.publish_job_retry(job, *, actor)`: staff of the page's agency run a failed static publication again
  (a module of its own: the review task model imports this package, and publishing reaches the models).
"""

from __future__ import annotations

from wagtail.models import TaskState

from gongkai.agencies.access import has_role
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock

from ..review import HitConfirmation
from ..scan import scan_revision


def _check_reviewer(page, actor) -> None:
    if not has_role(actor, page.agency, Role.CONFIDENTIALITY_REVIEWER):
        raise DomainError("只有本机关的保密审查人员可以进行保密审查。")


@action("portal.scan_confirm")
def scan_hit_confirm(page, hit, *, actor, reason: str = "") -> HitConfirmation:
    _check_reviewer(page, actor)
    if HitConfirmation.objects.filter(page_id=page.pk, fingerprint=hit.fingerprint).exists():
        raise DomainError("该项已经确认过，无需重复确认。")
    confirmation = HitConfirmation.objects.create(
        agency_id=page.agency_id, page_id=page.pk, fingerprint=hit.fingerprint, kind=hit.kind,
        masked_value=hit.masked[:200], location=hit.where[:200], reason=reason[:300], confirmed_by=actor,
    )
    record("portal.scan_confirm", actor=actor, agency=page.agency, subject=page,
           new={"kind": hit.kind, "value": hit.masked, "where": hit.where, "reason": reason})
    return confirmation


def _state(task_state) -> TaskState:
    state = lock(task_state).specific
    if state.status != TaskState.STATUS_IN_PROGRESS:
        raise DomainError("该审核步骤已经结束，请刷新页面。")
    return state


@action("portal.review_send_back")
def review_send_back(task_state, *, actor, comment: str = ""):
    state = _state(task_state)
    page = state.workflow_state.content_object.specific
    _check_reviewer(page, actor)
    if not comment.strip():
        raise DomainError("退回修改时请写明需要修改的内容。")
    state.reject(user=actor, comment=comment)
    record("portal.review_send_back", actor=actor, agency=page.agency, subject=page,
           new={"revision": state.revision_id, "comment": comment})


@action("portal.review_pass")
def review_pass(task_state, *, actor, comment: str = ""):
    state = _state(task_state)
    page = state.workflow_state.content_object.specific
    _check_reviewer(page, actor)
    revision = page.get_latest_revision()  # what the approval will be of (receivers.approval_is_of_the_latest_revision)
    report = scan_revision(page, revision)
    if report.pending:
        raise DomainError(f"{report.pending_message()}：文字提取完成并逐项确认后才能通过保密审查。")
    if report.unconfirmed:
        raise DomainError(f"还有{len(report.unconfirmed)}处扫描命中未确认，请逐项确认或退回修改。")
    record("portal.review_pass", actor=actor, agency=page.agency, subject=page,
           new={"revision": revision.pk, "confirmed": len(report.hits), "comment": comment})
    state.approve(user=actor, comment=comment)

