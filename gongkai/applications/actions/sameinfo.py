"""依申请转主动 (《条例》第四十四条): staff decide about a group of cases of several applicants.

Converting a group into a draft portal page is the portal's action
(`gongkai.portal.actions.proactive.same_info_group_convert`: the portal sits above this app);
dismissing a group, with a reason, is here. Both write a `SameInfoGroup` row, so the group
is not offered again.
"""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action

from ..models import Application, SameInfoGroup
from ..sameinfo import locked_group


@action("applications.same_info_dismiss")
def same_info_group_dismiss(application: Application, *, actor, reason: str) -> SameInfoGroup:
    """Decide not to publish the information of this case's group proactively; the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请写明不转为主动公开的理由（如：涉及个人隐私、属于过程性信息）。", field="reason")
    group = locked_group(application, actor=actor)
    if group.decision is not None:
        raise DomainError(f"该组已处理：{group.decision.get_status_display()}（{group.decision.decided_at:%Y-%m-%d}）。")
    row = SameInfoGroup.objects.create(agency=application.agency, key=group.key, status=SameInfoGroup.Status.DISMISSED,
                                       reason=reason[:2000], decided_by=actor)
    row.applications.set([c.pk for c in group.cases])
    record("applications.same_info_dismiss", actor=actor, agency=application.agency, subject=row,
           new={"status": row.status, "reason": row.reason, "cases": [c.number for c in group.cases],
                "applicants": group.applicants})
    return row
