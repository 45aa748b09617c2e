"""`gongkai tickets import`: load 110联动 / 12345 tickets from a CSV or XLSX export.

Why: hotline centres send their tickets as spreadsheets; importing them makes every ticket
an ordinary message with a deadline and the same reply workflow. The import is all or
nothing: every bad row is reported by row number and reason and nothing is stored until
the file is clean; tickets already present are reported and skipped.
Exit codes: 0 imported (or clean dry run), 1 bad rows, 2 unusable arguments or file.
"""

from __future__ import annotations

from pathlib import Path

from ._django import setup
from ._errors import fail


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "tickets", help="工单：导入110联动、12345工单",
        description="导入110联动、12345等渠道的工单（CSV 或 XLSX）")
    sub = parser.add_subparsers(dest="tickets_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    p = sub.add_parser(
        "import", help="导入工单文件",
        description="导入工单文件。首行为表头，须含：工单编号、来源、受理时间、诉求人、联系电话、诉求内容、办理部门"
                    "（顺序不限，可另加“诉求类别”）。CSV 可为 UTF-8 或 GBK 编码。有问题的行全部列出，文件无误前不导入任何工单。"
                    "退出码：0 导入成功或检查通过，1 有问题行，2 参数或文件无法使用")
    p.add_argument("file", metavar="FILE", help="CSV 或 XLSX 文件")
    p.add_argument("--agency", required=True, metavar="AGENCY", help="机关的统一社会信用代码或机构全称")
    p.add_argument("--dry-run", action="store_true", help="只检查，不导入")
    p.set_defaults(func=cmd_import)



def cmd_import(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"找不到文件“{args.file}”，请检查路径。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"无法读取文件“{args.file}”（{exc.strerror}）。")

    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.agencies.models import Agency
    from gongkai.agencies.selectors import find_agency
    from gongkai.core.domain import DomainError
    from gongkai.interaction.actions import tickets_import

    try:
        agency = find_agency(args.agency)
    except LookupError:
        names = "、".join(f"{a.name}（{a.credit_code}）" for a in Agency.objects.order_by("name")[:20])
        return fail(f"找不到机关“{args.agency}”：请填写统一社会信用代码或机构全称。" + (f"已有机关：{names}" if names else ""))
    try:
        report = tickets_import(agency, actor=None, data=data, filename=path.name, dry_run=args.dry_run,
                                actor_label="命令行 gongkai tickets import")
    except DomainError as exc:
        return fail(str(exc))
    print(f"机关：{agency.name}")
    for line in report.lines():
        print(line)
    if report.parsed.file_problems:
        return 2
    return 0 if report.ok else 1
