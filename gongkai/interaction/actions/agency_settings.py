"""An agency's message settings: time limits per category, reminder lead time, approver."""

from __future__ import annotations

from gongkai.agencies.models import Membership
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, unchanged
from gongkai.law.messages import MAX_TIME_LIMIT, MIN_TIME_LIMIT

from ..models import MessageSettings
from ..permissions import can_configure

SETTINGS_FIELDS = ("consult_days", "suggestion_days", "complaint_days", "director_mailbox_days",
                   "remind_before_days", "approver")


@action("interaction.settings_update")
def message_settings_update(agency, *, actor, **values) -> MessageSettings:
    """Change an agency's time limits, reminder lead time or approver.

    A new time limit applies to messages registered or re-classified afterwards; a
    message keeps the limit that applied when it was classified.
    """
    if actor is not None and not can_configure(actor, agency):
        raise DomainError("只有公开工作机构负责人才能修改留言办理设置。")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings {sorted(unknown)}")
    row = MessageSettings.objects.select_for_update().filter(agency=agency).first() or MessageSettings(agency=agency)

    def snap():
        return {f: (row.approver.get_username() if row.approver_id else None) if f == "approver"
                else getattr(row, f) for f in SETTINGS_FIELDS}

    old = snap() if row.pk else None
    for field, value in values.items():
        if field == "approver":
            if value is not None and not Membership.objects.filter(user=value, agency=agency).exists():
                raise DomainError("指定审批人须为本机关的工作人员。", field="approver")
        elif field == "remind_before_days":
            if not isinstance(value, int) or not 0 <= value <= 20:
                raise DomainError("提前提醒天数应为0至20之间的整数。", field=field)
        elif not isinstance(value, int) or not MIN_TIME_LIMIT <= value <= MAX_TIME_LIMIT:
            raise DomainError(f"办理时限应为{MIN_TIME_LIMIT}至{MAX_TIME_LIMIT}之间的工作日数。", field=field)
        setattr(row, field, value)
    new = snap()
    if old == new:
        unchanged()
        return row
    row.save()
    if old is None:
        record("interaction.settings_update", actor=actor, agency=agency, subject=row, new=new)
    else:
        diff_old = {k: v for k, v in old.items() if new[k] != v}
        record("interaction.settings_update", actor=actor, agency=agency, subject=row,
               old=diff_old, new={k: new[k] for k in diff_old})
    return row
