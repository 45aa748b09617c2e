"""The information processing fee (国办函〔2020〕109号): notice, receipt, payment, expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from ..models import Application, EventKind, Fee, FeeMethod, Status
from gongkai.law.replies import REPLY_TYPES as OUTCOMES
from ..selectors import compute_fee
from ._common import _append, _check_actor, _check_date, _close, _refresh


@action("applications.fee_notice")
def application_fee_notice(application: Application, *, actor, on: date, method: str,
                           pages: int | None = None) -> Fee:
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.PROCESSING,), "发出收费通知")
    _check_date(on, "通知发出日期")
    if Fee.objects.filter(application=app).exists():
        raise DomainError("一件申请只能选择一种计收方式并只收费一次（国办函〔2020〕109号第三条）。")
    result = compute_fee(app, method, pages)
    explanation = "\n".join(str(line) for line in result.explanation)
    if result.free or result.amount_yuan <= 0:
        raise DomainError(f"本申请在免费范围内，不能收取信息处理费：{explanation}", field="method")
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


@action("applications.fee_notice_received")
def application_fee_notice_received(application: Application, *, actor, on: date) -> Fee:
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.AWAITING_FEE,), "登记申请人收到收费通知")
    _check_date(on)
    fee = Fee.objects.select_for_update().get(application=app)
    if fee.notice_received_on is not None:
        raise DomainError(f"已登记申请人于 {fee.notice_received_on} 收到收费通知。")
    _append(app, EventKind.FEE_NOTICE_RECEIVED, on, actor=actor)
    fee.notice_received_on = on
    fee.save(update_fields=["notice_received_on"])
    _refresh(app)
    record("applications.fee_notice_received", actor=actor, agency=app.agency, subject=app, new={"on": on.isoformat()})
    return fee


@action("applications.fee_paid")
def application_fee_paid(application: Application, *, actor, on: date, amount_paid: Decimal | None = None,
                         receipt_no: str = "") -> Fee:
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.AWAITING_FEE,), "登记缴费")
    _check_date(on, "缴费到账日期")
    fee = Fee.objects.select_for_update().get(application=app)
    amount_paid = fee.amount if amount_paid is None else Decimal(amount_paid)
    if amount_paid != fee.amount:
        raise DomainError(f"实缴金额 {amount_paid} 元与应缴金额 {fee.amount} 元不一致，请核对。", field="amount_paid")
    _append(app, EventKind.FEE_PAID, on, actor=actor, note=f"实缴 {amount_paid} 元 {receipt_no}".strip())
    fee.paid_on, fee.amount_paid, fee.receipt_no = on, amount_paid, (receipt_no or "").strip()
    fee.save(update_fields=["paid_on", "amount_paid", "receipt_no"])
    app.status = Status.PROCESSING
    _refresh(app, ("status",))
    record("applications.fee_paid", actor=actor, agency=app.agency, subject=app, old={"status": Status.AWAITING_FEE},
           new={"status": app.status, "paid_on": on.isoformat(), "amount_paid": str(amount_paid)})
    return fee


@action("applications.fee_expired")
def application_fee_expired(application: Application, *, actor, on: date) -> Application:
    """Not paid within 20 working days of receiving the notice: closed (report row （六）2)."""
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.AWAITING_FEE,), "登记逾期未缴费")
    _check_date(on)
    _append(app, EventKind.FEE_EXPIRED, on, actor=actor)
    Fee.objects.filter(application=app).update(expired_on=on)
    _close(app, "result.other.fee_unpaid", on, OUTCOMES["result.other.fee_unpaid"].basis)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    record("applications.fee_expired", actor=actor, agency=app.agency, subject=app, old={"status": Status.AWAITING_FEE},
           new={"status": app.status, "outcome": app.outcome, "decided_on": on.isoformat()})
    return app
