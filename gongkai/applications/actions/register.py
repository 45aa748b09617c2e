"""Registering an application received through any channel (《条例》第二十九条、第三十一条)."""

from __future__ import annotations

from datetime import date

from gongkai.audit.record import record
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError, action

from gongkai.law.sameinfo import most_similar

from ..identity import normalise_id, normalise_phone, receipt_date
from ..models import Applicant, ApplicantKind, Application, EventKind
from ..selectors import same_identity
from ._common import _append, _check_actor, _refresh


def _applicant(agency, data) -> Applicant:
    """A new applicant row holding what was given with this application (never an update).

    `data` may be an existing `Applicant` of the agency, which staff chose explicitly.
    """
    if isinstance(data, Applicant):
        if data.agency_id != agency.pk:
            raise DomainError("所选申请人不属于本机关，请重新选择。", field="applicant")
        return data
    kind = data.get("kind") or ""
    if kind not in ApplicantKind.values:
        raise DomainError("请选择申请人类型（自然人，或法人或其他组织的类别）。", field="kind")
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError("请填写申请人姓名或名称。", field="name")
    number = normalise_id(kind, data.get("id_type") or "", data.get("id_number") or "")
    phone = normalise_phone(data.get("phone") or "")
    if kind != ApplicantKind.NATURAL_PERSON and not (data.get("contact_person") or "").strip():
        raise DomainError("法人或其他组织请填写联系人姓名。", field="contact_person")
    return Applicant.objects.create(
        agency=agency, kind=kind, name=name, id_type=data["id_type"], id_number=number, phone=phone,
        email=(data.get("email") or "").strip(), address=(data.get("address") or "").strip(),
        postal_code=(data.get("postal_code") or "").strip(), contact_person=(data.get("contact_person") or "").strip(),
    )


def _next_number(agency, year: int) -> str:
    prefix = f"{year}-"
    last = (Application.objects.select_for_update().filter(agency=agency, number__startswith=prefix)
            .order_by("-number").values_list("number", flat=True).first())
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@action("applications.register")
def application_register(*, agency, actor, applicant: dict | Applicant, channel: str, submitted_on: date | None,
                         signed_for_on: date | None = None, confirmed_on: date | None = None, subject: str,
                         description: str, document_number: str = "", form_wanted: str = "either",
                         delivery_wanted: str = "post") -> Application:
    """Register an application received through any channel (《条例》第二十九条、第三十一条)."""
    _check_actor(agency, actor)
    received = receipt_date(channel, submitted_on, signed_for_on, confirmed_on, system_clock.today())
    subject, description = (subject or "").strip(), (description or "").strip()
    if not description:
        raise DomainError("请填写所需政府信息的名称、文号或者便于查询的其他特征性描述（《条例》第二十九条）。", field="description")
    if not subject:
        subject = description[:60]
    person = _applicant(agency, applicant)
    earlier = same_identity(agency.pk, person)
    previous = list(earlier.values_list("pk", "description"))
    other_names = sorted(set(earlier.exclude(applicant__name=person.name).values_list("applicant__name", flat=True)))
    repeat_pk, score = most_similar(description, previous)
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
