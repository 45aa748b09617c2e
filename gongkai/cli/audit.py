"""`gongkai audit verify|export|purge`: check the audit hash chain, export events, purge expired ones.

Why: an assessor (等保测评) asks for proof that audit records are complete and unaltered,
and for the records themselves. `verify` recomputes the chain and names the first broken
event; `export` writes the events of a period as CSV; `purge` removes only events past
AUDIT_RETENTION_DAYS (at least 180 days), oldest first, and records that it did.
Exit codes: 0 done (chain intact), 1 chain broken or purge refused, 2 unusable arguments.
"""

from __future__ import annotations

import datetime as dt
import sys

from ._django import setup
from ._errors import fail


def register(subparsers) -> None:
    parser = subparsers.add_parser("audit", help="审计日志：校验、导出、清理",
                                   description="审计日志：校验哈希链、导出 CSV、清理超过保存期限的记录")
    sub = parser.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    p = sub.add_parser("verify", help="校验审计记录哈希链是否完整",
                       description="逐条重算审计记录的哈希链。完整时退出码 0；发现被修改或缺失的记录时退出码 1，并指出第一条有问题的记录。")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("export", help="导出审计记录为 CSV",
                       description="把某一时期的审计记录导出为 CSV（UTF-8，Excel 可直接打开），含每条记录的哈希值。")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="起始日期（含）")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="截止日期（含）")
    p.add_argument("--agency", metavar="AGENCY", help="只导出某一机关的记录（统一社会信用代码或机构全称）")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出的 CSV 文件")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("purge", help="清理超过保存期限的审计记录",
                       description="删除某日期之前、且已超过保存期限（AUDIT_RETENTION_DAYS，至少 180 天）的最早的审计记录；"
                                   "期限内的记录一律拒绝删除。清理本身记入审计日志。")
    p.add_argument("--before", required=True, metavar="YYYY-MM-DD", help="删除此日期之前的记录")
    p.set_defaults(func=cmd_purge)


class _BadDate(ValueError):
    pass


def _date(value: str | None, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _BadDate(f"{what}“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2024-01-31。") from None



def cmd_verify(args) -> int:
    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.audit.integrity import verify_chain

    result = verify_chain()
    if result.ok:
        print(f"审计记录完整：{result.count} 条")
        if result.last_seq is not None:
            print(f"最后一条：第 {result.last_seq} 号，哈希 {result.last_hash}（请另行留存，以便日后发现尾部记录被删除）")
        return 0
    print(f"审计记录不完整：{result.broken.describe()}", file=sys.stderr)
    print("请立即保全数据库和备份，并报告安全管理员。", file=sys.stderr)
    return 1


def cmd_export(args) -> int:
    try:
        date_from, date_to = _date(args.date_from, "起始日期"), _date(args.date_to, "截止日期")
    except _BadDate as exc:
        return fail(str(exc))
    if date_from and date_to and date_from > date_to:
        return fail("起始日期晚于截止日期，请对调后重试。")

    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.agencies.selectors import find_agency
    from gongkai.audit.integrity import in_period, write_csv
    from gongkai.audit.models import AuditEvent
    from gongkai.audit.record import record

    events = in_period(AuditEvent.objects.all(), date_from, date_to)
    agency = None
    if args.agency:
        try:
            agency = find_agency(args.agency)
        except LookupError as exc:
            return fail(str(exc))
        events = events.filter(agency=agency)
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            count = write_csv(events, fh)
    except OSError as exc:
        return fail(f"无法写入“{args.output}”（{exc.strerror}）。")
    record("audit.export", agency=agency, actor_label="命令行",
           new={"from": str(date_from or ""), "to": str(date_to or ""), "count": count, "channel": "cli"})
    print(f"已导出 {count} 条审计记录到 {args.output}")
    return 0


def cmd_purge(args) -> int:
    try:
        before = _date(args.before, "日期")
    except _BadDate as exc:
        return fail(str(exc))

    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from django.utils import timezone

    from gongkai.audit.integrity import PurgeRefused, purge_before

    moment = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_current_timezone())
    try:
        deleted = purge_before(moment, actor_label="命令行")
    except PurgeRefused as exc:
        return fail(str(exc), 1)
    print(f"已清理 {deleted} 条超过保存期限的审计记录（{before} 之前）。" if deleted else "没有可清理的审计记录。")
    return 0
