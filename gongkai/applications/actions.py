"""State changes of 依申请公开 cases: one function per legal step, each atomic and audited.

Each action locks the case, checks its status, lets the pure clock validate the new
event (《条例》第三十条至第三十五条 via `gongkai.law.clock.validate_event`), appends the
event to the case's log, rewrites the cached clock values and writes exactly one audit
event. A refused step raises `ApplicationError` with a Chinese message and changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from gongkai.agencies.access import can_change, has_role
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.law.clock import CaseEvent, ClockError, compute_clock, validate_event

from . import caseclock, repeats
from .identity import IdentityError, normalise_id, normalise_phone, receipt_date
from .models import (
    OPEN_STATUSES, Applicant, ApplicantKind, Application, ApplicationEvent, Consultation, ConsultationAnswer,
    ConsultedParty, DecisionPart, EventKind, Fee, FeeMethod, Litigation, LitigationRoute, Reconsideration,
    ReviewResult, Status,
)
from .outcomes import DECISION_OUTCOMES, OUTCOMES, PART_REASONS


PETITION_OUTCOME = "result.not_processed.petition"


class ApplicationError(ValueError):
    """A refused step; the message (Chinese) says what is wrong and what to do.

    `field` names the form field to attach the message to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------------------------------
# helpers


def _check_actor(application_or_agency, actor) -> None:
    agency = getattr(application_or_agency, "agency", application_or_agency)
    if actor is not None and not can_change(actor, agency):
        raise ApplicationError("您没有办理本机关申请的权限。")


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _check_date(on: date, what: str = "日期", field: str = "on") -> date:
    if not isinstance(on, date):
        raise ApplicationError(f"请填写{what}（格式 YYYY-MM-DD）。", field)
    if on > system_clock.today():
        raise ApplicationError(f"{what} {on} 晚于今天，不能登记未来的日期。", field)
    return on


def _require_status(app: Application, allowed, doing: str) -> None:
    if app.status not in allowed:
        raise ApplicationError(f"该申请当前状态为“{app.get_status_display()}”，不能{doing}。")


def _actor_label(actor) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "系统"


def _append(app: Application, kind: str, on: date, *, actor, end=None, days=None, ref="", note="",
            data=None, validate: bool = True) -> ApplicationEvent:
    """Append one event; clock events are validated against the case's history first."""
    if validate:
        new = caseclock.to_case_event(kind, on, end, days, note, ref)
        try:
            validate_event(caseclock.case_events(app), new, current_calendar())
        except ClockError as exc:
            raise ApplicationError(str(exc)) from None
    return ApplicationEvent.objects.create(
        agency_id=app.agency_id, application=app, kind=kind, on=on, end=end, days=days, ref=ref, note=note,
        data=data or {}, actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
    )


def _refresh(app: Application, fields: tuple[str, ...] = ()) -> None:
    """Recompute the cached clock values and save them with `fields`."""
    result = caseclock.clock_for(app)
    app.due_on = result.due
    app.due_provisional = result.provisional
    app.clock_state = result.state
    app.save(update_fields=[*fields, "due_on", "due_provisional", "clock_state"])


def _close(app: Application, outcome: str, on: date, basis: str, status: str = Status.CLOSED) -> None:
    app.status = status
    app.outcome = outcome
    app.decided_on = on
    app.outcome_basis = basis


# ---------------------------------------------------------------------------------------
# registration


def _applicant(agency, data) -> Applicant:
    """A new applicant row holding what was given with this application (never an update).

    `data` may be an existing `Applicant` of the agency, which staff chose explicitly.
    """
    if isinstance(data, Applicant):
        if data.agency_id != agency.pk:
            raise ApplicationError("所选申请人不属于本机关，请重新选择。", "applicant")
        return data
    kind = data.get("kind") or ""
    if kind not in ApplicantKind.values:
        raise ApplicationError("请选择申请人类型（自然人，或法人或其他组织的类别）。", "kind")
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError("请填写申请人姓名或名称。", "name")
    try:
        number = normalise_id(kind, data.get("id_type") or "", data.get("id_number") or "")
        phone = normalise_phone(data.get("phone") or "")
    except IdentityError as exc:
        raise ApplicationError(str(exc), exc.field) from None
    if kind != ApplicantKind.NATURAL_PERSON and not (data.get("contact_person") or "").strip():
        raise ApplicationError("法人或其他组织请填写联系人姓名。", "contact_person")
    return Applicant.objects.create(
        agency=agency, kind=kind, name=name, id_type=data["id_type"], id_number=number, phone=phone,
        email=(data.get("email") or "").strip(), address=(data.get("address") or "").strip(),
        postal_code=(data.get("postal_code") or "").strip(), contact_person=(data.get("contact_person") or "").strip(),
    )


def same_identity(agency_id: int, person: Applicant):
    """Applications of the same document holder in the agency (by keyed hash; staff use only)."""
    if person.identity_hash:
        return Application.objects.filter(agency_id=agency_id, applicant__identity_hash=person.identity_hash)
    return Application.objects.filter(agency_id=agency_id, applicant=person)


def _next_number(agency, year: int) -> str:
    prefix = f"{year}-"
    last = (Application.objects.select_for_update().filter(agency=agency, number__startswith=prefix)
            .order_by("-number").values_list("number", flat=True).first())
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def application_register(*, agency, actor, applicant: dict | Applicant, channel: str, submitted_on: date | None,
                         signed_for_on: date | None = None, confirmed_on: date | None = None, subject: str,
                         description: str, document_number: str = "", form_wanted: str = "either",
                         delivery_wanted: str = "post") -> Application:
    """Register an application received through any channel (《条例》第二十九条、第三十一条)."""
    _check_actor(agency, actor)
    try:
        received = receipt_date(channel, submitted_on, signed_for_on, confirmed_on, system_clock.today())
    except IdentityError as exc:
        raise ApplicationError(str(exc), exc.field) from None
    subject, description = (subject or "").strip(), (description or "").strip()
    if not description:
        raise ApplicationError("请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（《条例》第二十九条）。", "description")
    if not subject:
        subject = description[:60]
    person = _applicant(agency, applicant)
    earlier = same_identity(agency.pk, person)
    previous = list(earlier.values_list("pk", "description"))
    other_names = sorted(set(earlier.exclude(applicant__name=person.name).values_list("applicant__name", flat=True)))
    repeat_pk, score = repeats.most_similar(description, previous)
    app = Application.objects.create(
        agency=agency, number=_next_number(agency, received.year), applicant=person, applicant_kind=person.kind,
        channel=channel, submitted_on=submitted_on, signed_for_on=signed_for_on, confirmed_on=confirmed_on,
        received_on=received, subject=subject[:200], description=description, document_number=document_number.strip(),
        form_wanted=form_wanted, delivery_wanted=delivery_wanted, repeat_of_id=repeat_pk,
        repeat_score=score if repeat_pk else None,
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _append(app, EventKind.RECEIVED, received, actor=actor, validate=False,
            note=f"渠道：{app.get_channel_display()}")
    if other_names:  # shown to staff only; the applicant is told nothing (no oracle)
        _append(app, EventKind.NOTE, received, actor=actor, validate=False,
                note=f"同一证件号码此前登记的申请人姓名为“{'、'.join(other_names)}”，与本次“{person.name}”不一致，"
                     f"请核对身份证明后再办理。")
    if repeat_pk:
        other = Application.objects.get(pk=repeat_pk)
        _append(app, EventKind.REPEAT_FLAGGED, received, actor=actor, validate=False, ref=str(repeat_pk),
                note=f"与本申请人的 {other.number} 申请内容相似度 {score:.0%}，请核查是否属于重复申请"
                     f"（《条例》第三十六条第（六）项）或第三十五条情形。")
    _refresh(app)
    record("applications.register", actor=actor, agency=agency, subject=app, new={
        "number": app.number, "channel": channel, "received_on": received.isoformat(),
        "applicant_kind": app.applicant_kind, "due_on": app.due_on.isoformat() if app.due_on else None,
        "repeat_of": other.number if repeat_pk else None,
    })
    return app


# ---------------------------------------------------------------------------------------
# correction (《条例》第三十条)


@transaction.atomic
def application_request_correction(application: Application, *, actor, on: date, items: list[str],
                                   period_end: date) -> Application:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.PROCESSING,), "告知补正")
    _check_date(on, "告知日期")
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise ApplicationError("请一次性列明需要补正的全部事项（每行一项）。", "items")
    if not isinstance(period_end, date) or period_end <= on:
        raise ApplicationError("补正期限应晚于告知日期，请给申请人合理的补正期限。", "period_end")
    _append(app, EventKind.CORRECTION_REQUESTED, on, actor=actor, end=period_end, note="\n".join(items),
            data={"items": items})
    app.status = Status.AWAITING_CORRECTION
    _refresh(app, ("status",))
    record("applications.request_correction", actor=actor, agency=app.agency, subject=app,
           old={"status": Status.PROCESSING}, new={"status": app.status, "on": on.isoformat(),
                                                    "period_end": period_end.isoformat(), "items": items})
    return app


@transaction.atomic
def application_record_correction(application: Application, *, actor, on: date, note: str = "") -> Application:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.AWAITING_CORRECTION,), "登记收到补正")
    _check_date(on, "收到补正的日期")
    _append(app, EventKind.CORRECTED, on, actor=actor, note=note.strip())
    app.status = Status.PROCESSING
    _refresh(app, ("status",))
    record("applications.record_correction", actor=actor, agency=app.agency, subject=app,
           old={"status": Status.AWAITING_CORRECTION},
           new={"status": app.status, "on": on.isoformat(), "due_on": app.due_on.isoformat()})
    return app


@transaction.atomic
def application_correction_expired(application: Application, *, actor, on: date) -> Application:
    """The applicant let the correction period pass: treated as abandoned (report row （六）1)."""
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.AWAITING_CORRECTION,), "登记逾期未补正")
    _check_date(on)
    _append(app, EventKind.CORRECTION_EXPIRED, on, actor=actor)
    _close(app, "result.other.no_correction", on, OUTCOMES["result.other.no_correction"].basis)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    record("applications.correction_expired", actor=actor, agency=app.agency, subject=app,
           old={"status": Status.AWAITING_CORRECTION}, new={"status": app.status, "outcome": app.outcome,
                                                             "decided_on": on.isoformat()})
    return app


# ---------------------------------------------------------------------------------------
# consultation (《条例》第三十二条、第三十四条)


@transaction.atomic
def application_consult(application: Application, *, actor, on: date, party_kind: str, party_name: str,
                        matter: str, party_address: str = "", window_days: int = 15) -> Consultation:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.PROCESSING, Status.AWAITING_CORRECTION), "征求意见")
    _check_date(on, "发函日期")
    if party_kind not in ConsultedParty.values:
        raise ApplicationError("请选择征求对象类型：第三方或共同制作机关。", "party_kind")
    if not (party_name or "").strip():
        raise ApplicationError("请填写征求意见对象的名称。", "party_name")
    if not (matter or "").strip():
        raise ApplicationError("请写明征求意见的事项（拟公开的信息内容）。", "matter")
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


@transaction.atomic
def application_record_consultation_answer(consultation: Consultation, *, actor, on: date, answer: str,
                                           note: str = "") -> Consultation:
    _check_actor(consultation.application, actor)
    app = _lock(consultation.application)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.answered_on is not None:
        raise ApplicationError(f"该征求意见已于 {consultation.answered_on} 登记答复，不能重复登记。")
    _require_status(app, OPEN_STATUSES, "登记征求意见答复")
    _check_date(on, "收到答复的日期")
    if answer not in ConsultationAnswer.values:
        raise ApplicationError("请选择答复意见：同意公开、不同意公开或逾期未答复。", "answer")
    if on < consultation.sent_on:
        raise ApplicationError(f"收到答复的日期 {on} 早于发函日期 {consultation.sent_on}。", "on")
    _append(app, EventKind.CONSULTATION_ANSWERED, on, actor=actor, ref=f"c{consultation.pk}",
            note=f"{consultation.party_name}：{ConsultationAnswer(answer).label}。{note.strip()}".rstrip("。") + "。")
    consultation.answered_on, consultation.answer, consultation.answer_note = on, answer, note.strip()
    consultation.save(update_fields=["answered_on", "answer", "answer_note"])
    _refresh(app)
    record("applications.consultation_answer", actor=actor, agency=app.agency, subject=app, new={
        "consultation": consultation.pk, "answered_on": on.isoformat(), "answer": answer,
        "due_on": app.due_on.isoformat() if app.due_on else None})
    return consultation


# ---------------------------------------------------------------------------------------
# extension (《条例》第三十三条) and special deadline (第三十五条)


@transaction.atomic
def application_extend(application: Application, *, actor, on: date, reason: str, days: int = 20) -> Application:
    """Extend once by at most 20 working days; only the 公开工作机构负责人 may approve."""
    _check_actor(application, actor)
    app = _lock(application)
    if actor is None or not has_role(actor, app.agency, Role.OFFICE_HEAD):
        raise ApplicationError("延长答复期限须经政府信息公开工作机构负责人同意（《条例》第三十三条），"
                               "您不是本机关的公开工作机构负责人，请提请负责人审批。")
    _require_status(app, (Status.PROCESSING, Status.AWAITING_FEE), "延期")
    _check_date(on, "同意延期的日期")
    if not (reason or "").strip():
        raise ApplicationError("请写明延期的理由（将写入延期答复告知书）。", "reason")
    old_due = app.due_on
    _append(app, EventKind.EXTENSION_APPROVED, on, actor=actor, days=days, note=reason.strip())
    _refresh(app)
    record("applications.extend", actor=actor, agency=app.agency, subject=app,
           old={"due_on": old_due.isoformat() if old_due else None},
           new={"due_on": app.due_on.isoformat() if app.due_on else None, "days": days, "on": on.isoformat(),
                "reason": reason.strip()})
    return app


@transaction.atomic
def application_set_special_deadline(application: Application, *, actor, on: date, new_due: date,
                                     reason: str) -> Application:
    """Art. 35: a reasonable later deadline for a bulk application, with its reason."""
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.PROCESSING,), "另行确定答复期限")
    _check_date(on)
    old_due = app.due_on
    _append(app, EventKind.SPECIAL_DEADLINE_SET, on, actor=actor, end=new_due, note=(reason or "").strip())
    _refresh(app)
    record("applications.special_deadline", actor=actor, agency=app.agency, subject=app,
           old={"due_on": old_due.isoformat() if old_due else None},
           new={"due_on": new_due.isoformat(), "reason": reason.strip()})
    return app


# ---------------------------------------------------------------------------------------
# fee (国办函〔2020〕109号)


def nth_in_month(app: Application) -> int:
    """Which application of its applicant's calendar month this one is (by receipt date)."""
    month = app.received_on.replace(day=1)
    same = same_identity(app.agency_id, app.applicant).filter(received_on__gte=month, received_on__lte=app.received_on)
    earlier_same_day = same.filter(received_on=app.received_on, pk__lt=app.pk).count()
    return same.filter(received_on__lt=app.received_on).count() + earlier_same_day + 1


def compute_fee(app: Application, method: str, pages: int | None = None):
    from gongkai.law.fees import compute_fee_by_count, compute_fee_by_pages

    if method == FeeMethod.BY_COUNT:
        return compute_fee_by_count(nth_in_month(app))
    if method == FeeMethod.BY_PAGES:
        if not isinstance(pages, int) or pages < 1:
            raise ApplicationError("按量计收请填写页数（正整数）。", "pages")
        return compute_fee_by_pages(pages)
    raise ApplicationError("请选择计收方式：按件计收或按量计收。", "method")


@transaction.atomic
def application_fee_notice(application: Application, *, actor, on: date, method: str,
                           pages: int | None = None) -> Fee:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.PROCESSING,), "发出收费通知")
    _check_date(on, "通知发出日期")
    if Fee.objects.filter(application=app).exists():
        raise ApplicationError("一件申请只能选择一种计收方式并只收费一次（国办函〔2020〕109号第三条）。")
    result = compute_fee(app, method, pages)
    explanation = "\n".join(str(line) for line in result.explanation)
    if result.free or result.amount_yuan <= 0:
        raise ApplicationError(f"本申请在免费范围内，不能收取信息处理费：{explanation}", "method")
    _append(app, EventKind.FEE_NOTICE_SENT, on, actor=actor, note=f"应缴 {result.amount_yuan} 元（{FeeMethod(method).label}）")
    fee = Fee.objects.create(
        agency_id=app.agency_id, application=app, method=method, amount=result.amount_yuan, explanation=explanation,
        nth_in_month=result.units if method == FeeMethod.BY_COUNT else None,
        pages=result.units if method == FeeMethod.BY_PAGES else None, notice_sent_on=on,
    )
    app.status = Status.AWAITING_FEE
    _refresh(app, ("status",))
    record("applications.fee_notice", actor=actor, agency=app.agency, subject=app, old={"status": Status.PROCESSING},
           new={"status": app.status, "method": method, "units": result.units, "amount": str(result.amount_yuan),
                "on": on.isoformat()})
    return fee


@transaction.atomic
def application_fee_notice_received(application: Application, *, actor, on: date) -> Fee:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.AWAITING_FEE,), "登记申请人收到收费通知")
    _check_date(on)
    fee = Fee.objects.select_for_update().get(application=app)
    if fee.notice_received_on is not None:
        raise ApplicationError(f"已登记申请人于 {fee.notice_received_on} 收到收费通知。")
    _append(app, EventKind.FEE_NOTICE_RECEIVED, on, actor=actor)
    fee.notice_received_on = on
    fee.save(update_fields=["notice_received_on"])
    _refresh(app)
    record("applications.fee_notice_received", actor=actor, agency=app.agency, subject=app, new={"on": on.isoformat()})
    return fee


@transaction.atomic
def application_fee_paid(application: Application, *, actor, on: date, amount_paid: Decimal | None = None,
                         receipt_no: str = "") -> Fee:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.AWAITING_FEE,), "登记缴费")
    _check_date(on, "缴费到账日期")
    fee = Fee.objects.select_for_update().get(application=app)
    amount_paid = fee.amount if amount_paid is None else Decimal(amount_paid)
    if amount_paid != fee.amount:
        raise ApplicationError(f"实缴金额 {amount_paid} 元与应缴金额 {fee.amount} 元不一致，请核对。", "amount_paid")
    _append(app, EventKind.FEE_PAID, on, actor=actor, note=f"实缴 {amount_paid} 元 {receipt_no}".strip())
    fee.paid_on, fee.amount_paid, fee.receipt_no = on, amount_paid, (receipt_no or "").strip()
    fee.save(update_fields=["paid_on", "amount_paid", "receipt_no"])
    app.status = Status.PROCESSING
    _refresh(app, ("status",))
    record("applications.fee_paid", actor=actor, agency=app.agency, subject=app, old={"status": Status.AWAITING_FEE},
           new={"status": app.status, "paid_on": on.isoformat(), "amount_paid": str(amount_paid)})
    return fee


@transaction.atomic
def application_fee_expired(application: Application, *, actor, on: date) -> Application:
    """Not paid within 20 working days of receiving the notice: closed (report row （六）2)."""
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.AWAITING_FEE,), "登记逾期未缴费")
    _check_date(on)
    _append(app, EventKind.FEE_EXPIRED, on, actor=actor)
    Fee.objects.filter(application=app).update(expired_on=on)
    _close(app, "result.other.fee_unpaid", on, OUTCOMES["result.other.fee_unpaid"].basis)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    record("applications.fee_expired", actor=actor, agency=app.agency, subject=app, old={"status": Status.AWAITING_FEE},
           new={"status": app.status, "outcome": app.outcome, "decided_on": on.isoformat()})
    return app


# ---------------------------------------------------------------------------------------
# decision, delivery, withdrawal


def _clean_parts(parts) -> list[dict]:
    cleaned = []
    for i, part in enumerate(parts or [], start=1):
        description = (part.get("description") or "").strip()
        if not description:
            continue
        disclosed = bool(part.get("disclosed"))
        reason, basis = (part.get("reason") or "").strip(), (part.get("basis") or "").strip()
        if not disclosed:
            if reason not in PART_REASONS:
                raise ApplicationError(f"第 {i} 项不予公开，请选择不予公开的理由类型。", "parts")
            if not basis:
                raise ApplicationError(f"第 {i} 项不予公开，请写明法律依据和理由（《条例》第三十七条）。", "parts")
        cleaned.append({"description": description, "disclosed": disclosed, "reason": "" if disclosed else reason,
                        "basis": basis})
    return cleaned


@transaction.atomic
def application_decide(application: Application, *, actor, on: date, outcome: str, basis: str,
                       parts=None) -> Application:
    """Make the reply (《条例》第三十六条、第三十七条); outcome = a row key of table 三."""
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.PROCESSING,), "作出答复")
    _check_date(on, "答复日期")
    if outcome not in DECISION_OUTCOMES:
        raise ApplicationError("请选择答复类型。", "outcome")
    basis = (basis or "").strip()
    if not basis:
        raise ApplicationError("请写明答复的法律依据和理由（将写入答复书）。", "basis")
    cleaned = _clean_parts(parts)
    if outcome == "result.partial":
        if not any(p["disclosed"] for p in cleaned) or not any(not p["disclosed"] for p in cleaned):
            raise ApplicationError("部分公开须逐项列明：至少一项予以公开、一项不予公开，并写明不予公开的理由（《条例》第三十七条）。",
                                   "parts")
    elif cleaned:
        raise ApplicationError("只有“部分公开”需要逐项列明公开与不公开的部分。", "parts")
    if outcome == "result.unable.unclear_after_correction" and not app.events.filter(kind=EventKind.CORRECTED).exists():
        raise ApplicationError("“补正后申请内容仍不明确”只适用于已告知补正并收到补正的申请。", "outcome")
    _append(app, EventKind.DECIDED, on, actor=actor, note=OUTCOMES[outcome].label)
    for i, part in enumerate(cleaned, start=1):
        DecisionPart.objects.create(agency_id=app.agency_id, application=app, position=i, **part)
    _close(app, outcome, on, basis, status=Status.DECIDED)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    result = caseclock.clock_for(app)
    record("applications.decide", actor=actor, agency=app.agency, subject=app, old={"status": Status.PROCESSING},
           new={"status": app.status, "outcome": outcome, "decided_on": on.isoformat(), "basis": basis,
                "on_time": result.on_time, "parts": cleaned or None})
    return app


@transaction.atomic
def application_deliver(application: Application, *, actor, on: date, method: str) -> Application:
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, (Status.DECIDED,), "登记送达")
    _check_date(on, "送达日期")
    if not (method or "").strip():
        raise ApplicationError("请填写送达方式（如 邮寄、当面、电子邮件）。", "method")
    if on < app.decided_on:
        raise ApplicationError(f"送达日期 {on} 早于答复日期 {app.decided_on}。", "on")
    _append(app, EventKind.DELIVERED, on, actor=actor, note=method.strip())
    app.status, app.delivered_on, app.delivery_method = Status.DELIVERED, on, method.strip()
    _refresh(app, ("status", "delivered_on", "delivery_method"))
    record("applications.deliver", actor=actor, agency=app.agency, subject=app, old={"status": Status.DECIDED},
           new={"status": app.status, "delivered_on": on.isoformat(), "method": method.strip()})
    return app


@transaction.atomic
def application_withdraw(application: Application, *, actor, on: date, note: str = "") -> Application:
    """The applicant withdrew: closed, counted under （六）3.其他 (decisions.md §12)."""
    _check_actor(application, actor)
    app = _lock(application)
    _require_status(app, OPEN_STATUSES, "登记撤回")
    _check_date(on, "撤回日期")
    old_status = app.status
    _append(app, EventKind.WITHDRAWN, on, actor=actor, note=(note or "").strip())
    _close(app, "result.other.other", on, OUTCOMES["result.other.other"].basis)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    record("applications.withdraw", actor=actor, agency=app.agency, subject=app, old={"status": old_status},
           new={"status": app.status, "outcome": app.outcome, "decided_on": on.isoformat()})
    return app


@transaction.atomic
def application_change_applicant_kind(application: Application, *, actor, kind: str, reason: str) -> Application:
    """Correct the column the application is counted in (table 三); audited and on the case."""
    _check_actor(application, actor)
    app = _lock(application)
    if kind not in ApplicantKind.values:
        raise ApplicationError("请选择申请人类型。", "kind")
    if kind == app.applicant_kind:
        raise ApplicationError("申请人类型没有变化。", "kind")
    if not (reason or "").strip():
        raise ApplicationError("请写明更正的理由。", "reason")
    old = app.applicant_kind
    _append(app, EventKind.APPLICANT_KIND_CHANGED, system_clock.today(), actor=actor, validate=False,
            note=f"{ApplicantKind(old).label} → {ApplicantKind(kind).label}：{reason.strip()}",
            data={"old": old, "new": kind})
    app.applicant_kind = kind
    app.save(update_fields=["applicant_kind"])
    record("applications.change_applicant_kind", actor=actor, agency=app.agency, subject=app,
           old={"applicant_kind": old}, new={"applicant_kind": kind, "reason": reason.strip()})
    return app


@transaction.atomic
def application_convert_to_message(application: Application, *, actor, reason: str):
    """《条例》第三十九条第一款: a petition or complaint closed as （五）1 goes on as a message.

    The message (with its own audit event) is written by the interaction app; the
    application keeps its outcome, so the annual report still counts it under （五）1.
    """
    from gongkai.interaction.actions import MessageError
    from gongkai.interaction.actions_conversion import message_create_from_application

    if application.outcome != PETITION_OUTCOME:
        raise ApplicationError("只有按“信访举报投诉类申请”不予处理的申请才能转为留言办理；请先作出该答复。")
    try:
        return message_create_from_application(application, actor=actor, reason=reason)
    except MessageError as exc:
        raise ApplicationError(str(exc), "reason") from None


@transaction.atomic
def application_reveal_applicant(application: Application, *, actor) -> Applicant:
    """Staff who handle the case see the full ID number and contacts; every such view is audited.

    The audit row names what was shown, never the values. Others (the supervising
    office included) see masked values only.
    """
    from .nextstep import may_handle

    if actor is None or not may_handle(actor, application):
        raise ApplicationError("只有本机关办理该申请的工作人员可以查看完整的证件号码和联系方式。")
    record("applications.applicant_reveal", actor=actor, agency=application.agency, subject=application,
           new={"applicant": application.applicant_id, "fields": ["id_number", "phone", "email", "address"]})
    return application.applicant


def application_add_note(application: Application, *, actor, note: str) -> ApplicationEvent:
    _check_actor(application, actor)
    app = _lock(application)
    if not (note or "").strip():
        raise ApplicationError("备注不能为空。", "note")
    event = _append(app, EventKind.NOTE, system_clock.today(), actor=actor, validate=False, note=note.strip())
    record("applications.note", actor=actor, agency=app.agency, subject=app, new={"note": note.strip()})
    return event


# ---------------------------------------------------------------------------------------
# reconsideration and litigation (annual report section 四)


def _result_fields(result: str, concluded_on: date | None) -> None:
    if result not in ReviewResult.values:
        raise ApplicationError("请选择结果。", "result")
    if result == ReviewResult.PENDING and concluded_on is not None:
        raise ApplicationError("尚未审结的案件不应填写审结日期。", "concluded_on")
    if result != ReviewResult.PENDING and concluded_on is None:
        raise ApplicationError("已审结的案件请填写审结日期。", "concluded_on")
    if concluded_on is not None:
        _check_date(concluded_on, "审结日期", "concluded_on")


@transaction.atomic
def reconsideration_record(application: Application, *, actor, body: str, filed_on: date, case_number: str = "",
                           result: str = ReviewResult.PENDING, concluded_on: date | None = None,
                           note: str = "") -> Reconsideration:
    _check_actor(application, actor)
    app = _lock(application)
    if app.is_open:
        raise ApplicationError("行政复议针对已作出的答复或处理，请先办结该申请。")
    _check_date(filed_on, "申请复议日期", "filed_on")
    if not (body or "").strip():
        raise ApplicationError("请填写复议机关。", "body")
    _result_fields(result, concluded_on)
    row = Reconsideration.objects.create(agency_id=app.agency_id, application=app, body=body.strip(),
                                         case_number=case_number.strip(), filed_on=filed_on, result=result,
                                         concluded_on=concluded_on, note=note.strip())
    _append(app, EventKind.REVIEW, filed_on, actor=actor, validate=False, ref=f"r{row.pk}",
            note=f"申请人向{row.body}申请行政复议：{row.get_result_display()}")
    record("applications.review_record", actor=actor, agency=app.agency, subject=app,
           new={"reconsideration": row.pk, "filed_on": filed_on.isoformat(), "result": result})
    return row


def _conclude(row, *, actor, result: str, concluded_on: date, what: str, kind: str, ref: str, code: str):
    """Record the result of a pending reconsideration or lawsuit (shared by both verbs)."""
    _check_actor(row.application, actor)
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if row.result != ReviewResult.PENDING:
        raise ApplicationError(f"该{what}已于 {row.concluded_on} 审结。")
    if result == ReviewResult.PENDING:
        raise ApplicationError("请选择审结的结果。", "result")
    _result_fields(result, concluded_on)
    row.result, row.concluded_on = result, concluded_on
    row.save(update_fields=["result", "concluded_on"])
    label = "行政复议" if what == "复议" else "行政诉讼"
    _append(row.application, kind, concluded_on, actor=actor, validate=False, ref=f"{ref}{row.pk}",
            note=f"{label}审结：{row.get_result_display()}")
    record(code, actor=actor, agency=row.agency, subject=row.application,
           old={"result": ReviewResult.PENDING}, new={"result": result, "concluded_on": concluded_on.isoformat()})
    return row


@transaction.atomic
def reconsideration_conclude(row: Reconsideration, *, actor, result: str, concluded_on: date) -> Reconsideration:
    return _conclude(row, actor=actor, result=result, concluded_on=concluded_on, what="复议",
                     kind=EventKind.REVIEW, ref="r", code="applications.review_conclude")


@transaction.atomic
def litigation_record(application: Application, *, actor, route: str, court: str, filed_on: date,
                      case_number: str = "", result: str = ReviewResult.PENDING, concluded_on: date | None = None,
                      note: str = "") -> Litigation:
    _check_actor(application, actor)
    app = _lock(application)
    if app.is_open:
        raise ApplicationError("行政诉讼针对已作出的答复或处理，请先办结该申请。")
    if route not in LitigationRoute.values:
        raise ApplicationError("请选择起诉情形：未经复议直接起诉或复议后起诉。", "route")
    _check_date(filed_on, "起诉日期", "filed_on")
    if not (court or "").strip():
        raise ApplicationError("请填写受理法院。", "court")
    _result_fields(result, concluded_on)
    row = Litigation.objects.create(agency_id=app.agency_id, application=app, route=route, court=court.strip(),
                                    case_number=case_number.strip(), filed_on=filed_on, result=result,
                                    concluded_on=concluded_on, note=note.strip())
    _append(app, EventKind.LITIGATION, filed_on, actor=actor, validate=False, ref=f"l{row.pk}",
            note=f"申请人向{row.court}提起行政诉讼（{row.get_route_display()}）：{row.get_result_display()}")
    record("applications.litigation_record", actor=actor, agency=app.agency, subject=app,
           new={"litigation": row.pk, "route": route, "filed_on": filed_on.isoformat(), "result": result})
    return row


@transaction.atomic
def litigation_conclude(row: Litigation, *, actor, result: str, concluded_on: date) -> Litigation:
    return _conclude(row, actor=actor, result=result, concluded_on=concluded_on, what="诉讼",
                     kind=EventKind.LITIGATION, ref="l", code="applications.litigation_conclude")


# ---------------------------------------------------------------------------------------
# recomputation after a calendar change


def applications_recompute_after_calendar_change(*, year: int, actor=None, batch: int = 2000) -> dict:
    """Recompute every open case with the calendar now in force (decisions.md §3).

    Each changed due date is written back (bulk, grouped by new value) and recorded on
    its case ("2027年放假安排已载入：答复期限 2027-01-18 → 2027-01-19"); one audit event
    per agency whose cases changed. Identical event histories are computed once.
    """
    from .recompute import recompute_open_cases

    return recompute_open_cases(year=year, actor=actor, batch=batch)


__all__ = [name for name in dir() if name.startswith(("application_", "reconsideration_", "litigation_"))] + [
    "ApplicationError", "applications_recompute_after_calendar_change", "compute_clock", "CaseEvent",
]
