"""依申请转主动 (《条例》第四十四条): turn a group of applications for the same information into a draft page.

`same_info_group_convert(application, *, actor)` — the group of `application` (several applicants
asking for the same information, `gongkai.applications.selectors.same_info_groups`) becomes a
draft `ContentPage` in the agency's site (`portal/proactive.py`), which then goes through the
normal review workflow; the decision is recorded on a `SameInfoGroup` row (who, when, which page).
A second click on the same group returns the page the first one made.
"""

from __future__ import annotations

from gongkai.applications.models import SameInfoGroup
from gongkai.applications.sameinfo import locked_group
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, unchanged

from .. import proactive


@action("portal.same_info_convert")
def same_info_group_convert(application, *, actor) -> SameInfoGroup:
    group = locked_group(application, actor=actor)
    if group.decision is not None:
        if group.decision.status == SameInfoGroup.Status.CONVERTED:
            unchanged()
            return group.decision
        raise DomainError(f"该组已于{group.decision.decided_at:%Y-%m-%d}决定不转为主动公开：{group.decision.reason}")
    page = proactive.draft_for_group(application.agency, group, actor=actor)
    row = SameInfoGroup.objects.create(agency=application.agency, key=group.key, status=SameInfoGroup.Status.CONVERTED,
                                       page=page, page_title=page.title, decided_by=actor)
    row.applications.set([c.pk for c in group.cases])
    record("portal.same_info_convert", actor=actor, agency=application.agency, subject=row,
           new={"page": page.pk, "title": page.title, "cases": [c.number for c in group.cases],
                "applicants": group.applicants})
    return row
