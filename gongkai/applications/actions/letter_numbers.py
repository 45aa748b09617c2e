"""文号: an agency's patterns, and the number a letter gets when first printed (then never changes)."""

from __future__ import annotations

from datetime import date

from gongkai.agencies.access import has_role
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, unchanged
from gongkai.law.letternumbers import PatternError, check_pattern, render, series_prefix

from .. import numbering
from ..models import Application, IssuedLetterNumber, LetterKind, LetterNumberPattern
from ._common import _check_actor

MAX_TRIES = 50


@action("applications.letter_number_pattern")
def letter_number_pattern_set(agency, *, actor, letter_kind: str, pattern: str) -> LetterNumberPattern:
    """Set the agency's 文号 pattern for one kind of letter ("" = every kind without its own)."""
    if actor is not None and not has_role(actor, agency, Role.OFFICE_HEAD):
        raise DomainError("只有本机关的公开工作机构负责人或系统管理员可以设置文号格式。")
    if letter_kind not in ("", *LetterKind.values):
        raise DomainError("请选择文书类型，或留空表示适用于全部文书。", field="letter_kind")
    try:
        text = check_pattern(pattern)
    except PatternError as exc:
        raise DomainError(str(exc), field="pattern") from None
    row = LetterNumberPattern.objects.select_for_update().filter(agency=agency, letter_kind=letter_kind).first()
    old = row.pattern if row else None
    if old == text:
        unchanged()
        return row
    if row is None:
        row = LetterNumberPattern.objects.create(agency=agency, letter_kind=letter_kind, pattern=text)
    else:
        row.pattern = text
        row.save(update_fields=["pattern", "updated_at"])
    record("applications.letter_number_pattern", actor=actor, agency=agency, subject=row,
           old={"pattern": old} if old else None, new={"letter_kind": letter_kind, "pattern": text})
    return row


@action("applications.letter_number_issue")
def letter_number_issue(application: Application, *, actor, letter_key: str, on: date,
                        ref: str = "") -> IssuedLetterNumber:
    """The 文号 of a letter of the case: the one issued before, else the next of its series."""
    _check_actor(application, actor)
    app = lock(application)  # one case's letters are numbered one at a time
    issued = IssuedLetterNumber.objects.filter(application=app, letter_key=letter_key, ref=ref).first()
    if issued is not None:
        unchanged()
        return issued
    try:
        kind = numbering.letter_kind(letter_key)
    except KeyError:
        raise DomainError(f"没有“{letter_key}”类型的文书。") from None
    pattern = numbering.pattern_for(app.agency_id, kind)
    names = {"short_name": app.agency.short_name or app.agency.name, "kind_code": numbering.KIND_CODES[kind]}
    try:
        prefix = series_prefix(pattern, **names)
    except PatternError as exc:  # a pattern stored before the rule was checked
        raise DomainError(f"本机关的文号格式“{pattern}”有误：{exc} 请在“文号格式”中修改。") from None
    year = on.year if "{年}" in pattern else 0
    for _ in range(MAX_TRIES):
        serial = numbering.take_serial(app.agency_id, prefix, year)
        number = render(pattern, year=on.year, seq=serial, **names)
        # Two patterns can spell the same text (X{序号} no. 12 and X1{序号} no. 2): skip such a serial.
        if not IssuedLetterNumber.objects.filter(agency_id=app.agency_id, number=number).exists():
            break
    else:
        raise DomainError(f"文号格式“{pattern}”编出的文号与已有文号重复，请修改文号格式。")
    issued = IssuedLetterNumber.objects.create(
        agency_id=app.agency_id, application=app, letter_key=letter_key, ref=ref, number=number, prefix=prefix,
        year=year, serial=serial, issued_by=actor if getattr(actor, "is_authenticated", False) else None)
    record("applications.letter_number_issue", actor=actor, agency=app.agency, subject=app,
           new={"letter": letter_key, "ref": ref, "number": number})
    return issued
