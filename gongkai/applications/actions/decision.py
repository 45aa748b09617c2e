"""The reply (《条例》第三十六条、第三十七条), its delivery, and the applicant's withdrawal."""

from __future__ import annotations

from datetime import date

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status

from .. import caseclock
from ..published import published_page as find_page
from ..models import OPEN_STATUSES, Application, DecisionPart, EventKind, Status
from gongkai.law.replies import ALREADY_PUBLISHED, DECISION_REPLY_TYPES as DECISION_OUTCOMES, PART_REASONS, \
    REPLY_TYPES as OUTCOMES
from ._common import _append, _check_actor, _check_date, _close, _refresh


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
                raise DomainError(f"第 {i} 项不予公开，请选择不予公开的理由类型。", field="parts")
            if not basis:
                raise DomainError(f"第 {i} 项不予公开，请写明法律依据和理由（《条例》第三十七条）。", field="parts")
        cleaned.append({"description": description, "disclosed": disclosed, "reason": "" if disclosed else reason,
                        "basis": basis})
    return cleaned


@action("applications.decide")
def application_decide(application: Application, *, actor, on: date, outcome: str, basis: str,
                       parts=None, published_page: int | None = None) -> Application:
    """Make the reply (《条例》第三十六条、第三十七条); outcome = a row key of table 三.

    `published_page`: the id of a live page of the agency's site that already carries the
    information (已主动公开, 《条例》第三十六条第（一）项); its title and full address are kept on
    the case's reply event and printed in the letter."""
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.PROCESSING,), "作出答复")
    _check_date(on, "答复日期")
    if outcome not in DECISION_OUTCOMES:
        raise DomainError("请选择答复类型。", field="outcome")
    basis = (basis or "").strip()
    if not basis:
        raise DomainError("请写明答复的法律依据和理由（将写入答复书）。", field="basis")
    cleaned = _clean_parts(parts)
    if outcome == "result.partial":
        if not any(p["disclosed"] for p in cleaned) or not any(not p["disclosed"] for p in cleaned):
            raise DomainError("部分公开须逐项列明：至少一项予以公开、一项不予公开，并写明不予公开的理由（《条例》第三十七条）。",
                              field="parts")
    elif cleaned:
        raise DomainError("只有“部分公开”需要逐项列明公开与不公开的部分。", field="parts")
    if outcome == "result.unable.unclear_after_correction" and not app.events.filter(kind=EventKind.CORRECTED).exists():
        raise DomainError("“补正后申请内容仍不明确”只适用于已告知补正并收到补正的申请。", field="outcome")
    published = None
    if published_page:
        if outcome != ALREADY_PUBLISHED:
            raise DomainError("只有“予以公开”的答复可以告知已主动公开的页面，请更改答复类型或取消所选页面。",
                              field="published_page")
        item = find_page(app.agency, published_page)
        if item is None:
            raise DomainError("所选页面不是本机关网站上已发布的页面，请重新查找。", field="published_page")
        if item["published_on"] and item["published_on"] > on:
            raise DomainError(f"所选页面于{item['published_on']}发布，晚于答复日期{on}：答复时该信息尚未主动公开。",
                              field="published_page")
        published = {"page_id": item["page_id"], "title": item["title"], "url": item["url"],
                     "published_on": item["published_on"].isoformat() if item["published_on"] else ""}
    _append(app, EventKind.DECIDED, on, actor=actor, note=OUTCOMES[outcome].label,
            data={"published": published} if published else None)
    for i, part in enumerate(cleaned, start=1):
        DecisionPart.objects.create(agency_id=app.agency_id, application=app, position=i, **part)
    _close(app, outcome, on, basis, status=Status.DECIDED)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    result = caseclock.clock_for(app)
    new = {"status": app.status, "outcome": outcome, "decided_on": on.isoformat(), "basis": basis,
           "on_time": result.on_time, "parts": cleaned or None}
    if published:
        new["published"] = published
    record("applications.decide", actor=actor, agency=app.agency, subject=app, old={"status": Status.PROCESSING}, new=new)
    return app


@action("applications.deliver")
def application_deliver(application: Application, *, actor, on: date, method: str, tracking_number: str = "",
                        signed_on: date | None = None) -> Application:
    """Record 送达: by post with its tracking number, in person with the date the applicant signed, or online
    (the applicant's first download of the letter from the status page, `actions.release_record_download`)."""
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, (Status.DECIDED,), "登记送达")
    _check_date(on, "送达日期")
    method, tracking_number = (method or "").strip(), (tracking_number or "").strip()
    if not method:
        raise DomainError("请填写送达方式（如 邮寄、当面领取、电子邮件）。", field="method")
    if on < app.decided_on:
        raise DomainError(f"送达日期 {on} 早于答复日期 {app.decided_on}。", field="on")
    extra: dict = {}
    if tracking_number:
        extra["tracking_number"] = tracking_number
    if signed_on is not None:
        _check_date(signed_on, "签收日期", field="signed_on")
        if signed_on < app.decided_on:
            raise DomainError(f"签收日期 {signed_on} 早于答复日期 {app.decided_on}。", field="signed_on")
        extra["signed_on"] = signed_on.isoformat()
    note = method + "".join(f"；{label}{extra[k]}" for k, label in (("tracking_number", "邮件号 "),
                                                                    ("signed_on", "申请人签收日期 ")) if k in extra)
    _append(app, EventKind.DELIVERED, on, actor=actor, note=note, data=extra)
    app.status, app.delivered_on, app.delivery_method = Status.DELIVERED, on, method
    _refresh(app, ("status", "delivered_on", "delivery_method"))
    record("applications.deliver", actor=actor, agency=app.agency, subject=app, old={"status": Status.DECIDED},
           new={"status": app.status, "delivered_on": on.isoformat(), "method": method, **extra})
    return app


@action("applications.withdraw")
def application_withdraw(application: Application, *, actor, on: date, note: str = "") -> Application:
    """The applicant withdrew: closed, counted under （六）3.其他 (decisions.md §12)."""
    _check_actor(application, actor)
    app = lock(application)
    require_status(app, OPEN_STATUSES, "登记撤回")
    _check_date(on, "撤回日期")
    old_status = app.status
    _append(app, EventKind.WITHDRAWN, on, actor=actor, note=(note or "").strip())
    _close(app, "result.other.other", on, OUTCOMES["result.other.other"].basis)
    _refresh(app, ("status", "outcome", "decided_on", "outcome_basis"))
    record("applications.withdraw", actor=actor, agency=app.agency, subject=app, old={"status": old_status},
           new={"status": app.status, "outcome": app.outcome, "decided_on": on.isoformat()})
    return app
