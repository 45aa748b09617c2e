"""Builders for annual report tests: applications through the real actions, or in bulk."""

from __future__ import annotations

import itertools
from datetime import date

from gongkai.applications import actions as app_actions
from gongkai.applications.models import Applicant, Application, Status

_ids = itertools.count(1)

KIND_DOC = {"natural_person": "resident_id"}


def applicant(kind: str = "natural_person", n: int | None = None) -> dict:
    n = n if n is not None else next(_ids)
    if kind == "natural_person":
        return {"kind": kind, "name": f"申请人{n}", "id_type": "resident_id", "id_number": _resident_id(n),
                "phone": "13800138000"}
    return {"kind": kind, "name": f"某某单位{n}", "id_type": "other", "id_number": f"ORG{n:06d}",
            "phone": "0379-63900000", "contact_person": "联系人"}


def _resident_id(n: int) -> str:
    body = f"41030219800101{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def register(agency, actor, received: date, kind: str = "natural_person", description: str | None = None):
    return app_actions.application_register(
        agency=agency, actor=actor, applicant=applicant(kind), channel="in_person", submitted_on=received,
        subject="", description=description or f"请公开某某文件 {next(_ids)}")


def decide(app, actor, on: date, outcome: str = "result.granted"):
    parts = None
    if outcome == "result.partial":
        parts = [{"description": "名单", "disclosed": True},
                 {"description": "身份证号", "disclosed": False, "reason": "result.denied.third_party",
                  "basis": "涉及个人隐私"}]
    return app_actions.application_decide(app, actor=actor, on=on, outcome=outcome, basis="依据条例答复。",
                                          parts=parts)


def bulk_applications(agency, specs) -> list[Application]:
    """Create applications directly: specs are (kind, received_on, decided_on or None, outcome)."""
    person = Applicant.objects.create(agency=agency, kind="natural_person", name="批量申请人",
                                      id_type="resident_id", id_number=_resident_id(next(_ids)), phone="13800138000")
    rows = []
    for i, (kind, received, decided, outcome) in enumerate(specs):
        rows.append(Application(
            agency=agency, number=f"B{agency.pk}-{next(_ids):06d}", applicant=person, applicant_kind=kind,
            channel="in_person", submitted_on=received, received_on=received, subject="批量", description="批量",
            status=Status.DELIVERED if decided else Status.PROCESSING, delivered_on=decided,
            outcome=outcome if decided else "", decided_on=decided))
    return Application.objects.bulk_create(rows)
