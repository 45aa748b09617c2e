"""The applicant on a case: correcting the column it is counted in, revealing its full details."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError, action, lock

from ..models import Applicant, ApplicantKind, Application, EventKind
from ..nextstep import may_handle
from ._common import _append, _check_actor


@action("applications.change_applicant_kind")
def application_change_applicant_kind(application: Application, *, actor, kind: str, reason: str) -> Application:
    """Correct the column the application is counted in (table 三); audited and on the case."""
    _check_actor(application, actor)
    app = lock(application)
    if kind not in ApplicantKind.values:
        raise DomainError("请选择申请人类型。", field="kind")
    if kind == app.applicant_kind:
        raise DomainError("申请人类型没有变化。", field="kind")
    if not (reason or "").strip():
        raise DomainError("请写明更正的理由。", field="reason")
    old = app.applicant_kind
    _append(app, EventKind.APPLICANT_KIND_CHANGED, system_clock.today(), actor=actor, validate=False,
            note=f"{ApplicantKind(old).label} → {ApplicantKind(kind).label}：{reason.strip()}",
            data={"old": old, "new": kind})
    app.applicant_kind = kind
    app.save(update_fields=["applicant_kind"])
    record("applications.change_applicant_kind", actor=actor, agency=app.agency, subject=app,
           old={"applicant_kind": old}, new={"applicant_kind": kind, "reason": reason.strip()})
    return app


@action("applications.applicant_reveal")
def application_reveal_applicant(application: Application, *, actor) -> Applicant:
    """Staff who handle the case see the full ID number and contacts; every such view is audited.

    The audit row names what was shown, never the values. Others (the supervising
    office included) see masked values only.
    """
    if actor is None or not may_handle(actor, application):
        raise DomainError("只有本机关办理该申请的工作人员可以查看完整的证件号码和联系方式。")
    record("applications.applicant_reveal", actor=actor, agency=application.agency, subject=application,
           new={"applicant": application.applicant_id, "fields": ["id_number", "phone", "email", "address"]})
    return application.applicant
