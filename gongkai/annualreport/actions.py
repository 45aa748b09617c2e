"""State changes of the annual report: one function per step, each atomic and audited.

- `report_start(agency, year, *, actor)`: a draft with 一 / 五 / 六 pre-filled with the year's facts.
- `report_update_prose(report, *, actor, section1, section5, section6)`
- `figure_set(agency, year, key, value, source, *, actor)` / `figure_delete(figure, *, actor)`
- `figures_import(agency, year, data, filename, *, actor)`: all rows or none.
- `previous_upload(agency, year, data, filename, *, actor)`: last year's published report file.
- `warning_explain(report, finding_id, reason, *, actor)`
- `report_sign(report, *, actor)`: office head only; errors block, warnings need reasons;
  stores the signed snapshot (cells, prose, findings, reasons, drill-down refs).
- `report_reopen(report, reason, *, actor)`: a correction; the next signature is a new revision.
- `report_publish(report, *, actor)`: the signed revision goes to the portal.
- `reminder_send(agency, year, *, on)`: from the reminders command.

Each refused step raises `AnnualReportError` (Chinese message) and changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.agencies.access import has_role
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.law.reportformat import spec

from . import checks, compute, prose, selectors
from .drilldown import drilldown
from .figures import FigureError, figure_label, figure_specs, parse_import, parse_value
from .models import (FIRST_YEAR, ActiveFigure, AnnualReport, FigureVia, PreviousYearReport, ReminderSent,
                     ReportRevision, ReportStatus, WarningExplanation)

EDITOR_ROLES = (Role.OFFICE_HEAD, Role.APPLICATION_OFFICER, Role.EDITOR)
MAX_PREVIOUS_BYTES = 50 * 1024 * 1024
MIN_REASON = 4


class AnnualReportError(ValueError):
    """A refused step; the message (Chinese) says what is wrong and what to do.

    ``field`` names the form field to attach the message to; ``items`` lists details
    (findings that block signing, rows of an import that are wrong).
    """

    def __init__(self, message: str, field: str | None = None, items: list | None = None):
        super().__init__(message)
        self.field = field
        self.items = list(items or [])


def can_edit(user, agency) -> bool:
    return has_role(user, agency, *EDITOR_ROLES)


def is_office_head(user, agency) -> bool:
    """公开工作机构负责人 of this agency — a membership, not a global administrator."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.memberships.filter(agency=agency, role=Role.OFFICE_HEAD).exists())


def _check_editor(actor, agency) -> None:
    if not can_edit(actor, agency):
        raise AnnualReportError("您没有编辑本机关年度报告的权限。")


def _check_head(actor, agency, doing: str) -> None:
    if not is_office_head(actor, agency):
        raise AnnualReportError(f"只有本机关的公开工作机构负责人可以{doing}。")


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise AnnualReportError("报告年度应为 4 位数字年份，如 2025。", "year") from None
    current = clock.today().year
    if year < FIRST_YEAR:
        raise AnnualReportError(f"统一格式的年度报告从 {FIRST_YEAR} 年度开始（国办公开办函〔2019〕60号），"
                                f"{year} 年度不适用。", "year")
    if year > current:
        raise AnnualReportError(f"{year} 年度还没有开始，不能编制该年度的报告。", "year")
    return year


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _require_draft(report: AnnualReport, doing: str) -> None:
    if report.status != ReportStatus.DRAFT:
        raise AnnualReportError(
            f"{report.year}年度报告已{report.get_status_display().lstrip('已')}，数据已冻结，不能{doing}。"
            "如需更正，请由公开工作机构负责人先点击“更正报告”。")


def _require_period_open(agency, year: int, doing: str) -> None:
    report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
    if report is not None:
        _require_draft(report, doing)


# -- draft -------------------------------------------------------------------------------------

@transaction.atomic
def report_start(agency, year, *, actor) -> AnnualReport:
    """Open the year's report as a draft, its prose pre-filled with the year's facts."""
    _check_editor(actor, agency)
    year = _check_year(year)
    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        raise AnnualReportError(f"{agency.name}{year}年度报告已经建立，请直接打开。", "year")
    comp = compute.compute(agency, year)
    previous = checks.previous_year(agency, year)
    text = prose.prefill(prose.gather(agency, year, comp, previous))
    report = AnnualReport.objects.create(agency=agency, year=year, section1=text["一"], section5=text["五"],
                                         section6=text["六"],
                                         updated_by=actor if getattr(actor, "is_authenticated", False) else None)
    record("annualreport.start", actor=actor, agency=agency, subject=report,
           new={"year": year, "format": spec.format_for_year(year), "previous": previous.source})
    return report


PROSE_FIELDS = {"section1": "一", "section5": "五", "section6": "六"}
MAX_PROSE = 20000


@transaction.atomic
def report_update_prose(report: AnnualReport, *, actor, section1: str, section5: str, section6: str) -> AnnualReport:
    _check_editor(actor, report.agency)
    report = _lock(report)
    _require_draft(report, "修改正文")
    values = {"section1": section1, "section5": section5, "section6": section6}
    old, new = {}, {}
    for name, value in values.items():
        value = (value or "").replace("\r\n", "\n").strip()
        if len(value) > MAX_PROSE:
            raise AnnualReportError(f"第{PROSE_FIELDS[name]}部分过长（{len(value)} 字），不能超过 {MAX_PROSE} 字。", name)
        if value != getattr(report, name):
            old[name], new[name] = getattr(report, name), value
            setattr(report, name, value)
    if not new:
        raise AnnualReportError("正文没有修改。")
    report.updated_by = actor
    report.save(update_fields=[*new, "updated_by", "updated_at"])
    record("annualreport.prose_update", actor=actor, agency=report.agency, subject=report, old=old, new=new)
    return report


# -- section 二 figures -----------------------------------------------------------------------

def _figure_key(year: int, key: str) -> str:
    keys = {s.key for s in figure_specs(spec.format_for_year(year))}
    if key not in keys:
        raise AnnualReportError(f"“{key}”不是{year}年度报告格式第二部分的指标。", "key")
    return key


@transaction.atomic
def figure_set(agency, year, key: str, value, source: str, *, actor) -> ActiveFigure:
    """Enter (or change) one section 二 figure with its source."""
    _check_editor(actor, agency)
    year = _check_year(year)
    key = _figure_key(year, key)
    _require_period_open(agency, year, "修改第二部分数据")
    try:
        number = parse_value(key, value)
    except FigureError as exc:
        raise AnnualReportError(str(exc), exc.field) from None
    source = (source or "").strip()
    if not source:
        raise AnnualReportError(f"请填写“{figure_label(key)}”的数据来源（来自哪个系统或台账）。", "source")
    if len(source) > 200:
        raise AnnualReportError("数据来源不超过 200 字。", "source")
    figure = ActiveFigure.objects.select_for_update().filter(agency=agency, year=year, key=key).first()
    old = None
    if figure is not None:
        if figure.value == number and figure.source == source:
            raise AnnualReportError(f"“{figure_label(key)}”没有变化。", "value")
        old = {"value": _dec(figure.value), "source": figure.source}
        figure.value, figure.source, figure.via, figure.entered_by = number, source, FigureVia.FORM, actor
        figure.save()
    else:
        figure = ActiveFigure.objects.create(agency=agency, year=year, key=key, value=number, source=source,
                                             via=FigureVia.FORM, entered_by=actor)
    record("annualreport.figure_set", actor=actor, agency=agency, subject=figure, old=old,
           new={"year": year, "key": key, "value": _dec(number), "source": source})
    return figure


@transaction.atomic
def figure_delete(figure: ActiveFigure, *, actor) -> None:
    _check_editor(actor, figure.agency)
    _require_period_open(figure.agency, figure.year, "删除第二部分数据")
    old = {"year": figure.year, "key": figure.key, "value": _dec(figure.value), "source": figure.source}
    record("annualreport.figure_delete", actor=actor, agency=figure.agency, subject=figure, old=old)
    ActiveFigure.objects.filter(pk=figure.pk).delete()


def _dec(v: Decimal) -> str:
    return format(Decimal(v).normalize(), "f")


@transaction.atomic
def figures_import(agency, year, data: bytes, filename: str, *, actor) -> list[ActiveFigure]:
    """Import figures from CSV / XLSX: nothing is stored unless every row is right."""
    _check_editor(actor, agency)
    year = _check_year(year)
    _require_period_open(agency, year, "导入第二部分数据")
    try:
        result = parse_import(data, filename, year=year)
    except FigureError as exc:
        raise AnnualReportError(str(exc), "file") from None
    if result.errors:
        raise AnnualReportError(f"导入文件有 {len(result.errors)} 处错误，未导入任何数据。请改正后重新上传：",
                                "file", result.errors)
    stored = []
    for row in result.rows:
        figure, _created = ActiveFigure.objects.update_or_create(
            agency=agency, year=year, key=row.key,
            defaults={"value": row.value, "source": row.source, "via": FigureVia.IMPORT, "entered_by": actor})
        stored.append(figure)
    record("annualreport.figures_import", actor=actor, agency=agency, subject=None,
           new={"year": year, "file": filename, "rows": {r.key: _dec(r.value) for r in result.rows}})
    return stored


# -- last year's report --------------------------------------------------------------------------

@transaction.atomic
def previous_upload(agency, year, data: bytes, filename: str, *, actor) -> PreviousYearReport:
    """Store last year's published report file, parsed, for continuity and section 五."""
    from gongkai.law.reportformat import ReportError, parse_bytes

    _check_editor(actor, agency)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise AnnualReportError("请填写该报告的年度，如 2024。", "year") from None
    if year < FIRST_YEAR or year >= clock.today().year:
        raise AnnualReportError(f"上年度报告的年度应在 {FIRST_YEAR} 至 {clock.today().year - 1} 之间。", "year")
    if not data:
        raise AnnualReportError("上传的文件是空的。", "file")
    if len(data) > MAX_PREVIOUS_BYTES:
        raise AnnualReportError("文件过大，年度报告文件不能超过 50 MB。", "file")
    try:
        parsed = parse_bytes(data, name=filename or "report.pdf")
    except ReportError as exc:
        raise AnnualReportError(f"无法读取该报告文件：{exc}", "file") from None
    if not parsed.supported:
        raise AnnualReportError(f"该文件不是可识别的年度报告表格格式：{parsed.reason or '未找到第三部分表格'}", "file")
    if parsed.year and parsed.year != year:
        raise AnnualReportError(f"文件中的报告年度是 {parsed.year} 年，与填写的 {year} 年不一致。", "year")
    payload = parsed.to_json_dict()
    digest = hashlib.sha256(data).hexdigest()
    row = PreviousYearReport.objects.select_for_update().filter(agency=agency, year=year).first()
    old = {"file_name": row.file_name, "sha256": row.sha256} if row else None
    if row is None:
        row = PreviousYearReport(agency=agency, year=year)
    row.file.save(f"{agency.credit_code}-{year}{_suffix(filename)}", ContentFile(data), save=False)
    row.file_name, row.sha256, row.format, row.parsed, row.uploaded_by = (
        (filename or "report")[:200], digest, parsed.format, payload, actor)
    row.save()
    record("annualreport.previous_upload", actor=actor, agency=agency, subject=row, old=old, new={
        "year": year, "file_name": row.file_name, "sha256": digest, "format": parsed.format,
        "cells": len(payload["cells"])})
    return row


def _suffix(name: str) -> str:
    name = (name or "").lower()
    for s in (".pdf", ".docx", ".html", ".htm", ".txt"):
        if name.endswith(s):
            return s
    return ".bin"


# -- warnings ----------------------------------------------------------------------------------------

@transaction.atomic
def warning_explain(report: AnnualReport, finding_id: str, reason: str, *, actor) -> WarningExplanation:
    """Write the reason for one current warning (kept; a newer reason supersedes, never erases)."""
    _check_editor(actor, report.agency)
    report = _lock(report)
    _require_draft(report, "说明警告")
    reason = (reason or "").strip()
    state = selectors.live_state(report.agency, report.year, report)
    target = next((f for f in state.findings if f.id == finding_id), None)
    if target is None:
        raise AnnualReportError("该提示已不存在（数据可能已变化），请刷新页面后查看当前的提示。", "finding")
    if target.is_error:
        raise AnnualReportError("错误不能以说明代替，必须改正后才能签发。", "finding")
    if len(reason) < MIN_REASON:
        raise AnnualReportError(f"请写明理由（至少 {MIN_REASON} 个字），说明为什么这一警告不影响报告的准确性。", "reason")
    if len(reason) > 2000:
        raise AnnualReportError("理由不超过 2000 字。", "reason")
    row = WarningExplanation.objects.create(agency=report.agency, report=report, finding_id=finding_id,
                                            rule=target.finding.rule, message=target.finding.message,
                                            reason=reason, explained_by=actor)
    record("annualreport.warning_explain", actor=actor, agency=report.agency, subject=report,
           new={"finding": finding_id, "message": target.finding.message, "reason": reason})
    return row


# -- signing, correction, publication -------------------------------------------------------------

def build_snapshot(state: selectors.ReportState, *, signed_at) -> dict:
    """Everything a signed report is: cells, prose, findings with reasons, drill-down refs."""
    agency, doc = state.agency, state.doc
    cells, records = drilldown(agency, state.year)
    return {
        "format": doc.format, "year": state.year, "agency": agency.name, "credit_code": agency.credit_code,
        "title": doc.display_title(), "cells": dict(doc.cells), "sections": dict(doc.sections),
        "sources": dict(state.sources),
        "findings": [f.to_json_dict() for f in state.findings],
        "previous": {"source": state.previous.source, "label": state.previous.label} if state.previous else None,
        "drilldown": cells, "records": records,
        "computed_at": signed_at.isoformat(),
    }


@transaction.atomic
def report_sign(report: AnnualReport, *, actor) -> ReportRevision:
    """Sign the report (公开工作机构负责人): freeze it as a new revision."""
    _check_head(actor, report.agency, "签发年度报告")
    report = _lock(report)
    _require_draft(report, "再次签发")
    if clock.today() <= date(report.year, 12, 31):
        raise AnnualReportError(f"{report.year}年度尚未结束，年度报告须在次年1月1日以后签发。")
    state = selectors.live_state(report.agency, report.year, report)
    if state.errors:
        raise AnnualReportError(f"还有 {len(state.errors)} 个错误，不能签发。请先改正：",
                                items=[f.finding.message for f in state.errors])
    if state.unexplained:
        raise AnnualReportError(f"还有 {len(state.unexplained)} 个警告没有写明理由，不能签发：",
                                items=[f.finding.message for f in state.unexplained])
    now = clock.now()
    number = report.revision + 1
    reason = report.correction_reason if number > 1 else ""
    if number > 1 and not reason:
        raise AnnualReportError("更正后的版本必须写明更正原因。")
    revision = ReportRevision.objects.create(
        agency=report.agency, report=report, number=number, format=state.doc.format,
        snapshot=build_snapshot(state, signed_at=now), correction_reason=reason, signed_by=actor,
        signed_by_label=actor.get_full_name() or actor.get_username(), signed_at=now)
    old_status = report.status
    report.status, report.revision, report.correction_reason = ReportStatus.SIGNED, number, ""
    report.save(update_fields=["status", "revision", "correction_reason", "updated_at"])
    record("annualreport.sign", actor=actor, agency=report.agency, subject=report,
           old={"status": old_status, "revision": number - 1},
           new={"status": ReportStatus.SIGNED.value, "revision": number, "correction_reason": reason,
                "warnings_explained": [f.id for f in state.warnings]})
    return revision


@transaction.atomic
def report_reopen(report: AnnualReport, reason: str, *, actor) -> AnnualReport:
    """Reopen a signed report for a correction; what is published stays until the new version is."""
    _check_head(actor, report.agency, "更正已签发的年度报告")
    report = _lock(report)
    if report.status == ReportStatus.DRAFT:
        raise AnnualReportError("报告还是草稿，可以直接修改，不需要更正。")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise AnnualReportError(f"请写明更正原因（至少 {MIN_REASON} 个字），更正原因将随新版本一并公开。", "reason")
    old_status = report.status
    report.status, report.correction_reason = ReportStatus.DRAFT, reason
    report.save(update_fields=["status", "correction_reason", "updated_at"])
    record("annualreport.reopen", actor=actor, agency=report.agency, subject=report,
           old={"status": old_status, "revision": report.revision},
           new={"status": ReportStatus.DRAFT.value, "correction_reason": reason})
    return report


def report_publish(report: AnnualReport, *, actor) -> ReportRevision:
    """Publish the signed revision: the portal's 年报 column page and the public downloads.

    Two steps: the portal page is first saved as a draft revision (kept even when the
    portal refuses, so its 保密审查 reviewer has a page to review), then published through
    the portal's guard together with the report's state change and its audit event.
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    from . import publishing

    _check_head(actor, report.agency, "公开年度报告")
    with transaction.atomic():
        revision = _publishable(report)
        prepared = publishing.prepare_page(revision, actor=actor)
        confirmed = (publishing.reconcile_label_hits(*prepared, revision.format, actor=actor)
                     if prepared is not None else [])
    try:
        with transaction.atomic():
            revision = _publishable(report)
            if prepared is not None:
                publishing.publish_prepared(*prepared)
            revision.published_at, revision.published_by_label = clock.now(), actor.get_username()
            revision.save(update_fields=["published_at", "published_by_label"])
            AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED,
                                                             updated_at=revision.published_at)
            page = prepared[0] if prepared is not None else None
            record("annualreport.publish", actor=actor, agency=report.agency, subject=report,
                   old={"status": ReportStatus.SIGNED.value},
                   new={"status": ReportStatus.PUBLISHED.value, "revision": revision.number,
                        "page": page.pk if page is not None else None,
                        "url": page.url if page is not None else publishing.public_url(report.agency, report.year),
                        "auto_confirmed": confirmed})
    except (PermissionDenied, ValidationError) as exc:
        raise AnnualReportError(
            f"门户网站拒绝发布该报告页面：{exc} 报告页面已作为草稿保存在“政府信息公开年报”栏目中，"
            "请将其提交“信息发布审核”流程，由保密审查人确认后，再点击“公开”。") from None
    report.refresh_from_db()
    return revision


def _publishable(report: AnnualReport) -> ReportRevision:
    locked = _lock(report)
    if locked.status != ReportStatus.SIGNED:
        if locked.status == ReportStatus.PUBLISHED:
            raise AnnualReportError(f"{locked.year}年度报告第{locked.revision}版已经公开。")
        raise AnnualReportError("报告尚未签发，不能公开。请先由公开工作机构负责人签发。")
    return locked.revisions.get(number=locked.revision)


# -- reminders -----------------------------------------------------------------------------------------

@transaction.atomic
def reminder_send(agency, year: int, *, on: date) -> ReminderSent | None:
    """Remind the office heads (once a day) that the year's report is not yet published."""
    from django.contrib.auth import get_user_model

    if ReminderSent.objects.filter(agency=agency, year=year, sent_on=on).exists():
        return None
    User = get_user_model()
    recipients = sorted(set(
        User.objects.filter(memberships__agency=agency, memberships__role=Role.OFFICE_HEAD, is_active=True)
        .exclude(email="").values_list("email", flat=True)))
    if not recipients:
        return None
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    due = selectors.deadline(agency, year)
    state = report.get_status_display() if report else "尚未建立"
    row = ReminderSent.objects.create(agency=agency, year=year, sent_on=on, recipients=recipients)
    record("annualreport.reminder_send", actor=None, agency=agency, subject=row,
           new={"year": year, "state": str(state), "deadline": due.isoformat(), "recipients": len(recipients)})
    days = (due - on).days
    if days >= 0:
        when = f"距公开期限（{due:%Y年%m月%d日}）还有 {days} 天"
    else:
        when = f"已超过公开期限（{due:%Y年%m月%d日}）{-days} 天"
    subject = f"【年度报告提醒】{agency.name}{year}年度政府信息公开工作年度报告尚未公开"
    body = (f"{agency.name}{year}年度政府信息公开工作年度报告当前状态：{state}。\n{when}"
            f"（《中华人民共和国政府信息公开条例》第四十九条）。\n请登录平台完成检查、签发和公开：\n"
            f"{_admin_url(agency, year)}\n\n此邮件由政府信息公开平台自动发送，报告公开后不再提醒。")
    transaction.on_commit(lambda: _mail(subject, body, recipients))
    return row


def _admin_url(agency, year: int) -> str:
    from django.conf import settings
    from django.urls import reverse

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("annualreport_admin:index") + f"?year={year}"


def _mail(subject: str, body: str, recipients: list[str]) -> None:
    import logging

    from django.conf import settings
    from django.core.mail import send_mail

    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # noqa: BLE001 - a mail outage must not undo the record
        logging.getLogger(__name__).exception("annual report reminder mail failed")
