"""Windows that end by themselves (《条例》第三十二条、第三十四条; 国办函〔2020〕109号).

`application_apply_lapses` is run for every open case by the daily duty (`lapses.py`,
`manage.py lapse_windows`): a consultation whose window passed unanswered is recorded as
answered “逾期未答复” on the window's last day (the clock resumes); a fee not paid within
its window closes the case (`application_fee_expired`, outcome result.other.fee_unpaid).
The steps go through the usual actions, signed “系统自动” in the case history and the
audit log, and each leaves a `CaseNotice` for the case's handlers until one has read it.
"""

from __future__ import annotations

from gongkai.audit.record import record, system_actor
from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError, action, lock, unchanged
from gongkai.law.lapses import Lapse, lapsed_windows

from .. import caseclock
from ..models import OPEN_STATUSES, Application, CaseNotice, Consultation, ConsultationAnswer
from ._common import _check_actor
from .consultation import application_record_consultation_answer
from .fees import application_fee_expired

AUTO_LABEL = "系统自动"


@action("applications.auto_lapse")
def application_apply_lapses(application: Application, *, actor=None) -> list[Lapse]:
    """Record every window of the case that has lapsed by today; nothing when none has (idempotent)."""
    _check_actor(application, actor)
    app = lock(application)
    if app.status not in OPEN_STATUSES:
        unchanged()
        return []
    check = lapsed_windows(caseclock.case_events(app), current_calendar(), today=system_clock.today())
    if not check.lapses:
        unchanged()
        return []
    with system_actor(AUTO_LABEL):
        for lapse in check.lapses:
            if lapse.kind == "consultation":
                consultation = Consultation.objects.filter(application=app, pk=_consultation_pk(lapse.ref)).first()
                if consultation is None:
                    raise DomainError(f"找不到编号为 {lapse.ref} 的征求意见记录，无法自动登记逾期未答复。")
                application_record_consultation_answer(
                    consultation, actor=actor, on=lapse.on, answer=ConsultationAnswer.NO_ANSWER,
                    note=f"答复期限 {lapse.window_end} 届满未收到意见，{AUTO_LABEL}登记")
                kind = CaseNotice.Kind.CONSULTATION_LAPSED
                text = (f"征求{consultation.party_name}意见的答复期限已于 {lapse.window_end} 届满，未收到意见，"
                        f"已自动登记为“逾期未答复”，答复期限恢复计算。请决定是否公开"
                        + ("（共同制作机关逾期未答复视为同意公开，《条例》第三十四条）。"
                           if consultation.party_kind == "co_maker" else "（第三方逾期未提出意见的，由本机关依照《条例》决定，第三十二条）。"))
            else:
                application_fee_expired(app, actor=actor, on=lapse.on)
                kind = CaseNotice.Kind.FEE_LAPSED
                text = (f"申请人未在缴费期限（至 {lapse.window_end}）内缴纳信息处理费，已于 {lapse.on} 自动登记逾期未缴费，"
                        "申请不再处理（年度报告（六）2）。请告知申请人。")
            CaseNotice.objects.get_or_create(application=app, kind=kind, ref=lapse.ref, defaults={
                "agency_id": app.agency_id, "on": lapse.on, "text": text})
            app.refresh_from_db()
    return list(check.lapses)


def _consultation_pk(ref: str) -> int | None:
    return int(ref[1:]) if ref.startswith("c") and ref[1:].isdigit() else None


@action("applications.notice_seen")
def application_notice_seen(notice: CaseNotice, *, actor) -> CaseNotice:
    """A handler has read what the system did on the case: it leaves their to-do list."""
    _check_actor(notice.application, actor)
    if actor is None:
        raise DomainError("请登录后再确认知悉。")
    notice = lock(notice)
    if notice.seen_at is not None:
        unchanged()
        return notice
    notice.seen_at, notice.seen_by = system_clock.now(), actor
    notice.save(update_fields=["seen_at", "seen_by"])
    record("applications.notice_seen", actor=actor, agency=notice.agency, subject=notice.application,
           new={"notice": notice.pk, "kind": notice.kind})
    return notice
