"""Batch actions: importing a ticket file, sending the daily reminders (each one audit event)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.utils import timezone

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core import querycodes
from gongkai.core.domain import action, unchanged

from .. import notify, spam
from ..models import Department, ImportBatch, Message, Status
from ..selectors import overdue_board, time_limits
from ..tickets import ImportReport, RowProblem, parse_tickets
from ._common import _require_handler


# ---------------------------------------------------------------------------------------
# ticket import (110联动 / 12345)


@action("interaction.tickets_import")
def tickets_import(agency, *, actor, data: bytes, filename: str, dry_run: bool = False, actor_label: str = ""):
    """Import a ticket file: all rows or none; known ticket numbers are reported and skipped.

    One audit event for the batch (the tickets point to their ImportBatch). Imported
    tickets are ordinary messages (channel 110联动/12345) and follow the reply workflow.
    """
    _require_handler(actor, agency)
    report = ImportReport(parsed=parse_tickets(data, today=clock.today()), filename=filename, dry_run=dry_run)
    parsed = report.parsed
    if not parsed.ok:
        unchanged()  # a file that cannot be read stores nothing; the report says why
        return report
    numbers = [r.ticket_number for r in parsed.rows]
    existing: set[str] = set()
    for i in range(0, len(numbers), 1000):
        existing |= set(Message.objects.filter(agency=agency, ticket_number__in=numbers[i: i + 1000])
                        .values_list("ticket_number", flat=True))
    report.duplicates = [RowProblem(r.row, f"工单编号“{r.ticket_number}”已导入过，跳过。")
                         for r in parsed.rows if r.ticket_number in existing]
    departments = {d.name: d for d in Department.objects.filter(agency=agency)}
    for row in parsed.rows:
        d = departments.get(row.department_name)
        if d is not None and not d.is_active and row.ticket_number not in existing:
            parsed.problems.append(RowProblem(row.row, f"办理部门“{d.name}”已停用，请改为其他部门或留空。"))
    if parsed.problems:
        unchanged()
        return report
    report.new_departments = sorted({r.department_name for r in parsed.rows
                                     if r.department_name and r.department_name not in departments
                                     and r.ticket_number not in existing})
    new_rows = [r for r in parsed.rows if r.ticket_number not in existing]
    if dry_run or not new_rows:
        unchanged()  # a dry run, or every ticket imported before
        return report
    for name in report.new_departments:
        departments[name] = Department.objects.create(agency=agency, name=name)
    limits = time_limits(agency)
    batch = ImportBatch.objects.create(
        agency=agency, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(), row_count=len(new_rows),
        duplicate_count=len(report.duplicates), imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    codes: set[str] = set()
    messages = []
    for row in new_rows:
        code = querycodes.new_message_code()
        while code in codes:
            code = querycodes.new_message_code()
        codes.add(code)
        department = departments.get(row.department_name) if row.department_name else None
        messages.append(Message(
            agency=agency, category=row.category, channel=row.channel, ticket_number=row.ticket_number,
            title=row.content.replace("\n", " ")[:30], content=row.content, writer_name=row.writer_name,
            writer_phone=row.writer_phone, wants_public=False, query_code=code, received_on=row.received_on,
            received_at=timezone.make_aware(row.received_at) if row.received_at else None,
            time_limit_days=limits[row.category], department=department,
            status=Status.IN_PROGRESS if department else Status.RECEIVED,
            content_fingerprint=spam.fingerprint(row.content), import_batch=batch,
        ))
    Message.objects.bulk_create(messages, batch_size=500)
    report.imported = len(messages)
    report.batch_id = batch.pk
    channels: dict[str, int] = {}
    for m in messages:
        channels[m.channel] = channels.get(m.channel, 0) + 1
    record("interaction.tickets_import", actor=actor, agency=agency, subject=batch, actor_label=actor_label, new={
        "filename": batch.filename, "sha256": batch.sha256, "imported": len(messages),
        "duplicates": len(report.duplicates), "channels": channels, "new_departments": report.new_departments,
    })
    return report


# ---------------------------------------------------------------------------------------
# reminders


@action("interaction.reminder_send")
def reminders_send(agency, *, actor=None, on: date | None = None, force: bool = False) -> int:
    """Mail one digest of overdue and soon-due messages to the agency's handlers.

    Overdue ones (and those open for more than 3 months) also go to the office head. Sent
    at most once a day per agency unless `force`; returns the number of messages listed.
    """
    on = on or clock.today()
    if not force and AuditEvent.objects.filter(
        action="interaction.reminder_send", agency=agency, new__on=on.isoformat()
    ).exists():
        unchanged()  # already sent today
        return 0
    board = overdue_board(None, agency_ids=[agency.pk], on=on)
    urgent = board.veto + board.overdue
    if not urgent and not board.due_soon:
        unchanged()  # nothing to remind of
        return 0
    roles = [Role.MESSAGE_HANDLER] + ([Role.OFFICE_HEAD] if urgent else [])
    recipients = notify.staff_emails(agency, roles)
    record("interaction.reminder_send", actor=actor, agency=agency, new={
        "on": on.isoformat(), "veto": len(board.veto), "overdue": len(board.overdue),
        "due_soon": len(board.due_soon), "recipients": len(recipients),
    })
    notify.later(lambda: notify.reminder_digest(agency, board, recipients, on))
    return len(urgent) + len(board.due_soon)
