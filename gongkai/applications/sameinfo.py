"""Helpers of the 依申请转主动 actions (《条例》第四十四条): who may decide, and the group under lock."""

from __future__ import annotations

from gongkai.agencies.access import can_change, has_role
from gongkai.core.domain import DomainError

from . import selectors
from .models import Application, SameInfoGroup
from .nextstep import HANDLER_ROLES


def may_decide_group(user, agency) -> bool:
    """The agency's disclosure officers and the head of its disclosure office decide about groups."""
    return user is not None and can_change(user, agency) and has_role(user, agency, *HANDLER_ROLES)


def locked_group(application: Application, *, actor) -> selectors.SameInfoRow:
    """The current group of this case, its cases locked, with any decision already taken on it.

    Locking the group's cases makes two clicks on the same group wait for each other; the
    second then finds the first one's decision (and the `(agency, key)` constraint backs it)."""
    if not may_decide_group(actor, application.agency):
        raise DomainError("只有本机关依申请公开办理人员或公开工作机构负责人可以处理依申请转主动。")
    group = selectors.same_info_group_for(agency=application.agency, application_id=application.pk)
    if group is None:
        raise DomainError("该申请目前不属于任何“多人申请相同信息”的组，请刷新页面。")
    ids = [c.pk for c in group.cases]
    list(Application.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    group.decision = (SameInfoGroup.objects.filter(agency=application.agency, applications__in=ids).first()
                      or SameInfoGroup.objects.filter(agency=application.agency, key=group.key).first())
    return group
