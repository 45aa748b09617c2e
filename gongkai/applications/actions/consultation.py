"""Consulting a third party or a co-making agency (《条例》第三十二条、第三十四条)."""

from __future__ import annotations

from datetime import date

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models import OPEN_STATUSES, Application, Consultation, ConsultationAnswer, ConsultedParty, EventKind, Status
from ._common import _append, _check_actor, _check_date, _refresh


@action("applications.consult")
def application_consult(application: Application, *, actor, on: date, party_kind: str, party_name: str,
                        matter: str, party_address: str = "", window_days: int = 15) -> Consultation:
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.PROCESSING, Status.AWAITING_CORRECTION), "征求意见")
    _check_date(on, "发函日期")
    if party_kind not in ConsultedParty.values:
        raise DomainError("请选择征求对象类型：第三方或共同制作机关。", field="party_kind")
    if not (party_name or "").strip():
        raise DomainError("请填写征求意见对象的名称。", field="party_name")
    if not (matter or "").strip():
        raise DomainError("请写明征求意见的事项（拟公开的信息内容）。", field="matter")
    consultation = Consultation.objects.create(
        agency_id=app.agency_id, application=app, party_kind=party_kind, party_name=party_name.strip(),
        party_address=(party_address or "").strip(), matter=matter.strip(), sent_on=on, window_days=window_days,
    )
    ref = f"c{consultation.pk}"
    _append(app, EventKind.CONSULTATION_SENT, on, actor=actor, days=window_days, ref=ref,
            note=f"征求{consultation.party_name}意见（{consultation.get_party_kind_display()}）")
    _refresh(app)
    record("applications.consult", actor=actor, agency=app.agency, subject=app, new={
        "consultation": consultation.pk, "party_kind": party_kind, "party_name": consultation.party_name,
        "sent_on": on.isoformat(), "window_days": window_days, "due_on": app.due_on.isoformat() if app.due_on else None})
    return consultation


@action("applications.consultation_answer")
def application_record_consultation_answer(consultation: Consultation, *, actor, on: date, answer: str,
                                           note: str = "") -> Consultation:
    _check_actor(consultation.application, actor)
    app = lock(consultation.application)
    consultation = lock(consultation)
    if consultation.answered_on is not None:
        raise DomainError(f"该征求意见已于 {consultation.answered_on} 登记答复，不能重复登记。")
    require_status(app, OPEN_STATUSES, "登记征求意见答复")
    _check_date(on, "收到答复的日期")
    if answer not in ConsultationAnswer.values:
        raise DomainError("请选择答复意见：同意公开、不同意公开或逾期未答复。", field="answer")
    if on < consultation.sent_on:
        raise DomainError(f"收到答复的日期 {on} 早于发函日期 {consultation.sent_on}。", field="on")
    _append(app, EventKind.CONSULTATION_ANSWERED, on, actor=actor, ref=f"c{consultation.pk}",
            note=f"{consultation.party_name}：{ConsultationAnswer(answer).label}。{note.strip()}".rstrip("。") + "。")
    consultation.answered_on, consultation.answer, consultation.answer_note = on, answer, note.strip()
    consultation.save(update_fields=["answered_on", "answer", "answer_note"])
    _refresh(app)
    record("applications.consultation_answer", actor=actor, agency=app.agency, subject=app, new={
        "consultation": consultation.pk, "answered_on": on.isoformat(), "answer": answer,
        "due_on": app.due_on.isoformat() if app.due_on else None})
    return consultation
