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


FIGURES = {"active.art20_5.licensing.decisions": "12", "active.art20_6.penalty.decisions": "3",
           "active.art20_6.coercion.decisions": "0", "active.art20_8.admin_fee.amount_wan": "1.25"}
PROSE = {"section1": "本年度我局认真贯彻《条例》。\n依申请公开工作规范有序。", "section5": "一是解读形式单一。",
         "section6": "本年度未收取信息处理费。"}


def complete(report, user):
    """Enter the four section 二 figures and prose without placeholders."""
    from gongkai.annualreport import actions

    for key, value in FIGURES.items():
        actions.figure_set(report.agency, report.year, key, value, "政务服务网办件系统导出", actor=user)
    actions.report_update_prose(report, actor=user, **PROSE)
    report.refresh_from_db()
    return report


def explain_all(report, user, reason="已人工核对，差异原因已查明。"):
    from gongkai.annualreport import actions, selectors

    for f in selectors.live_state(report.agency, report.year, report).unexplained:
        actions.warning_explain(report, f.id, reason, actor=user)


def signed_report(agency, officer, head, *, year=2025, publish=False):
    """Cases around the year, a complete draft, signed (and published) — today must be after the year."""
    from gongkai.annualreport import actions, release

    a = register(agency, officer, date(year - 1, 12, 20))
    decide(a, officer, date(year, 1, 10))
    b = register(agency, officer, date(year, 3, 3), kind="commercial")
    decide(b, officer, date(year, 3, 20), "result.partial")
    register(agency, officer, date(year, 12, 22))
    report = actions.report_start(agency, year, actor=officer)
    complete(report, officer)
    explain_all(report, officer)
    actions.report_sign(report, actor=head)
    if publish:
        release.report_publish(report, actor=head)
    report.refresh_from_db()
    return report


def login_verified(client, user) -> None:
    """Log in and pass two-factor authentication (required for the 政务公开办 role)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    device = StaticDevice.objects.create(user=user, name="测试备用码")
    device.token_set.create(token="11112222")
    response = client.post("/accounts/2fa/", {"token": "11112222"})
    assert response.status_code in (200, 302), response.status_code
