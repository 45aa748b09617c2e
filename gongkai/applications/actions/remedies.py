"""Administrative reconsideration and litigation against a reply (annual report section 四)."""

from __future__ import annotations

from datetime import date

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock

from ..models import Application, EventKind, Litigation, LitigationRoute, Reconsideration, ReviewResult
from ._common import _append, _check_actor, _check_date


def _result_fields(result: str, concluded_on: date | None) -> None:
    if result not in ReviewResult.values:
        raise DomainError("请选择结果。", field="result")
    if result == ReviewResult.PENDING and concluded_on is not None:
        raise DomainError("尚未审结的案件不应填写审结日期。", field="concluded_on")
    if result != ReviewResult.PENDING and concluded_on is None:
        raise DomainError("已审结的案件请填写审结日期。", field="concluded_on")
    if concluded_on is not None:
        _check_date(concluded_on, "审结日期", "concluded_on")


@action("applications.review_record")
def reconsideration_record(application: Application, *, actor, body: str, filed_on: date, case_number: str = "",
                           result: str = ReviewResult.PENDING, concluded_on: date | None = None,
                           note: str = "") -> Reconsideration:
    _check_actor(application, actor)
    app = lock(application)
    if app.is_open:
        raise DomainError("行政复议针对已作出的答复或处理，请先办结该申请。")
    _check_date(filed_on, "申请复议日期", "filed_on")
    if not (body or "").strip():
        raise DomainError("请填写复议机关。", field="body")
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
    row = lock(row)
    if row.result != ReviewResult.PENDING:
        raise DomainError(f"该{what}已于 {row.concluded_on} 审结。")
    if result == ReviewResult.PENDING:
        raise DomainError("请选择审结的结果。", field="result")
    _result_fields(result, concluded_on)
    row.result, row.concluded_on = result, concluded_on
    row.save(update_fields=["result", "concluded_on"])
    label = "行政复议" if what == "复议" else "行政诉讼"
    _append(row.application, kind, concluded_on, actor=actor, validate=False, ref=f"{ref}{row.pk}",
            note=f"{label}审结：{row.get_result_display()}")
    record(code, actor=actor, agency=row.agency, subject=row.application,
           old={"result": ReviewResult.PENDING}, new={"result": result, "concluded_on": concluded_on.isoformat()})
    return row


@action("applications.review_conclude")
def reconsideration_conclude(row: Reconsideration, *, actor, result: str, concluded_on: date) -> Reconsideration:
    return _conclude(row, actor=actor, result=result, concluded_on=concluded_on, what="复议",
                     kind=EventKind.REVIEW, ref="r", code="applications.review_conclude")


@action("applications.litigation_record")
def litigation_record(application: Application, *, actor, route: str, court: str, filed_on: date,
                      case_number: str = "", result: str = ReviewResult.PENDING, concluded_on: date | None = None,
                      note: str = "") -> Litigation:
    _check_actor(application, actor)
    app = lock(application)
    if app.is_open:
        raise DomainError("行政诉讼针对已作出的答复或处理，请先办结该申请。")
    if route not in LitigationRoute.values:
        raise DomainError("请选择起诉情形：未经复议直接起诉或复议后起诉。", field="route")
    _check_date(filed_on, "起诉日期", "filed_on")
    if not (court or "").strip():
        raise DomainError("请填写受理法院。", field="court")
    _result_fields(result, concluded_on)
    row = Litigation.objects.create(agency_id=app.agency_id, application=app, route=route, court=court.strip(),
                                    case_number=case_number.strip(), filed_on=filed_on, result=result,
                                    concluded_on=concluded_on, note=note.strip())
    _append(app, EventKind.LITIGATION, filed_on, actor=actor, validate=False, ref=f"l{row.pk}",
            note=f"申请人向{row.court}提起行政诉讼（{row.get_route_display()}）：{row.get_result_display()}")
    record("applications.litigation_record", actor=actor, agency=app.agency, subject=app,
           new={"litigation": row.pk, "route": route, "filed_on": filed_on.isoformat(), "result": result})
    return row


@action("applications.litigation_conclude")
def litigation_conclude(row: Litigation, *, actor, result: str, concluded_on: date) -> Litigation:
    return _conclude(row, actor=actor, result=result, concluded_on=concluded_on, what="诉讼",
                     kind=EventKind.LITIGATION, ref="l", code="applications.litigation_conclude")
