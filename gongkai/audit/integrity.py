"""Check the audit chain, export events for an assessor, purge events past their retention.

Retention decision: events younger than `AUDIT_RETENTION_DAYS` (≥ 180) are never deleted
by any code path. `purge_before` is the only deletion: it removes only the oldest events
(a prefix of the chain, so the rest still verifies), only older than the retention period,
and records itself in the chain with the hash of the last removed event, so the shortened
chain still verifies and the purge is visible. On PostgreSQL the database trigger lets
through only that path, and only for events older than 180 days.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from . import chain
from .models import AuditEvent
from .record import record

CSV_HEADER = ["序号", "时间", "机构", "操作人", "操作代码", "操作", "对象类型", "对象编号", "对象",
              "原值", "新值", "IP 地址", "前一条哈希", "哈希"]


def purge_anchors(using: str | None = None) -> dict[int, str]:
    anchors = {}
    events = AuditEvent.objects.using(using or router.db_for_read(AuditEvent))
    for new in events.filter(action=chain.PURGE_ACTION).values_list("new", flat=True):
        if isinstance(new, dict) and isinstance(new.get("through_seq"), int):
            anchors[new["through_seq"]] = str(new.get("anchor_hash", ""))
    return anchors


def verify_chain(using: str | None = None) -> chain.Result:
    """Recompute every hash and link, oldest first; the result names the first broken event."""
    using = using or router.db_for_read(AuditEvent)
    rows = (AuditEvent.objects.using(using).order_by("seq")
            .values("id", "hash", *chain.FIELDS).iterator(chunk_size=2000))
    return chain.verify(rows, purge_anchors(using))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    # A cell starting with = + - @ is a formula in a spreadsheet: neutralise it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(events, fh) -> int:
    """Write events (oldest first) as CSV with a BOM so that Excel opens the Chinese text."""
    fh.write("\ufeff")
    writer = csv.writer(fh)
    writer.writerow(CSV_HEADER)
    count = 0
    for e in events.select_related("agency").order_by("seq").iterator(chunk_size=2000):
        writer.writerow([_cell(v) for v in (
            e.seq, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S.%f"), e.agency.name if e.agency else "",
            e.actor_label or "系统", e.action, e.action_label, e.subject_type, e.subject_id, e.subject_label,
            e.old, e.new, e.ip_address, e.prev_hash, e.hash)])
        count += 1
    return count


def in_period(events, date_from: dt.date | None, date_to: dt.date | None):
    """Events of the days from `date_from` to `date_to` inclusive (Asia/Shanghai dates)."""
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        events = events.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return events


class PurgeRefused(ValueError):
    """The purge would remove events still within their retention period (message in Chinese)."""


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def purge_before(before: dt.datetime, *, actor_label: str = "") -> int:
    """Delete the oldest events written before `before`; refuse when `before` is within retention."""
    cutoff = retention_cutoff()
    if before > cutoff:
        raise PurgeRefused(
            f"审计记录须保存 {settings.AUDIT_RETENTION_DAYS} 天，只能清理 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 之前的记录；"
            f"所给时间 {timezone.localtime(before):%Y-%m-%d %H:%M} 过近，未删除任何记录。")
    using = router.db_for_write(AuditEvent)
    events = AuditEvent.objects.using(using)
    with transaction.atomic(using=using):
        first_young = events.filter(at__gte=before).order_by("seq").values_list("seq", flat=True).first()
        doomed = events.filter(at__lt=before)
        if first_young is not None:
            doomed = doomed.filter(seq__lt=first_young)  # only a prefix of the chain
        last = doomed.order_by("-seq").values_list("seq", "hash").first()
        if last is None:
            return 0
        connection = connections[using]
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL gongkai.audit_purge = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [last[0]])  # noqa: S608 - constant table
            deleted = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL gongkai.audit_purge = 'off'")
        record(chain.PURGE_ACTION, actor_label=actor_label or "系统",
               new={"deleted": deleted, "through_seq": last[0], "anchor_hash": last[1],
                    "before": before.isoformat(), "retention_days": settings.AUDIT_RETENTION_DAYS})
    return deleted
