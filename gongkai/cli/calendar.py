"""`gongkai calendar ...`: working days and holiday years.

Sub-commands are added by the functions in ``SUBCOMMANDS``; each receives the
``calendar`` sub-parsers object, adds one parser and sets ``func``. To add a command
(e.g. ``load``), write ``def add_load(sub)`` and append it to ``SUBCOMMANDS`` (or call
``register_subcommand(add_load)`` from another module before the parser is built).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, timedelta

from gongkai.cli import _calendar_source
from gongkai.cli._django import setup
from gongkai.cli._errors import fail
from gongkai.law.calendar import MAX_YEAR, MIN_YEAR, CalendarDataError, parse_year_file

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def _calendar():
    return _calendar_source.load_calendar()  # looked up at call time (the tests pin it)


def parse_date(text: str, what: str = "日期") -> date:
    """A YYYY-MM-DD date, or ValueError with a Chinese message."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what}“{text}”无效，应写成 YYYY-MM-DD，例如 2025-03-03。") from None


def provisional_notice(years: tuple[int, ...]) -> str:
    joined = "、".join(str(y) for y in years)
    return (f"暂定 (provisional): {joined} 年放假安排尚未载入，按《全国年节及纪念日放假办法》"
            f"的法定节日推算（未含调休），正式通知载入后日期可能变化。")


# --- add ----------------------------------------------------------------------------------

def add_add(sub) -> None:
    p = sub.add_parser("add", help="START 之后第 N 个工作日", description="计算 START 之后的第 N 个工作日（START 当日不计入）。")
    p.add_argument("start", metavar="START", help="起算日期 YYYY-MM-DD")
    p.add_argument("n", metavar="N", help="工作日天数（非负整数）")
    p.set_defaults(func=cmd_add)


def cmd_add(args: argparse.Namespace) -> int:
    try:
        start = parse_date(args.start, "起算日期")
    except ValueError as exc:
        return fail(str(exc))
    text = str(args.n).strip()
    if not text.isdigit():
        return fail(f"工作日天数“{args.n}”无效，应为非负整数，例如 20。")
    try:
        result = _calendar().add_working_days(start, int(text))
    except CalendarDataError as exc:
        return fail(str(exc))
    print(result.date.isoformat())
    if result.provisional:
        print(provisional_notice(result.provisional_years))
    return 0


# --- show ---------------------------------------------------------------------------------

def _runs(days) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and d - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def add_show(sub) -> None:
    p = sub.add_parser("show", help="显示某年的放假安排", description="显示某年的放假安排：正式/暂定、通知、放假日和调休上班日。")
    p.add_argument("year", metavar="YEAR", help="年份，例如 2026")
    p.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    text = str(args.year).strip()
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        return fail(f"年份“{args.year}”无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字。")
    year = int(text)
    cal = _calendar()
    data = cal.year_data(year)
    if cal.year_status(year) == "official":
        source = {"chinesecalendar": "chinesecalendar 数据", "file": "年度文件", "database": "数据库"}.get(
            data.source, data.source)
        print(f"{year} 年：正式（来源：{source}）")
    else:
        print(f"{year} 年：暂定（放假安排尚未载入，按法定节日推算，未含调休，节日逢周末不顺延）")
    if data.region:
        print(f"适用地区：{data.region}")
    print(f"通知：{data.notice or '（无）'}")
    if data.notice_date:
        print(f"通知日期：{data.notice_date.isoformat()}")
    if data.note:
        print(f"说明：{data.note}")
    print("放假：")
    for a, b in _runs(data.rest_days):
        if a == b:
            print(f"  {a.isoformat()}（{WEEKDAYS[a.weekday()]}）")
        else:
            print(f"  {a.isoformat()} 至 {b.isoformat()}（{(b - a).days + 1} 天）")
    print("调休上班：")
    if not data.working_days:
        print("  （无）")
    for d in sorted(data.working_days):
        print(f"  {d.isoformat()}（{WEEKDAYS[d.weekday()]}）")
    return 0


# --- load ---------------------------------------------------------------------------------

def add_load(sub) -> None:
    p = sub.add_parser(
        "load", help="载入或替换某年的放假安排",
        description="从年度文件（YAML）载入或替换某年的放假安排，并重算所有未办结案件的期限。",
    )
    p.add_argument("file", metavar="FILE", help="年度文件，例如 2027.yaml")
    p.set_defaults(func=cmd_load)


def _read_text(path: str) -> str:
    with open(path, "rb") as handle:
        raw = handle.read(1_000_001)
    if len(raw) > 1_000_000:
        raise ValueError("文件超过 1 MB，不像是年度放假安排文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("文件编码无法识别，请保存为 UTF-8 后重试。")


def cmd_load(args: argparse.Namespace) -> int:
    try:
        text = _read_text(args.file)
    except FileNotFoundError:
        return fail(f"找不到文件“{args.file}”。")
    except (OSError, ValueError) as exc:
        return fail(f"无法读取“{args.file}”：{exc}")

    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.applications.models import RecomputeJob
    from gongkai.applications.tasks import run_recompute_now
    from gongkai.calendars.actions import calendar_year_load

    since = RecomputeJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
    try:
        row = calendar_year_load(text, actor=None)
    except CalendarDataError as exc:
        return fail(f"{args.file}：{exc}（未作任何更改）")

    data = parse_year_file(text)
    print(f"已载入 {row.year} 年放假安排：{data.notice or '（未填通知文号）'}；"
          f"放假 {len(data.rest_days)} 天，调休上班 {len(data.working_days)} 天。")
    # The load queued a recompute of the open cases; the command waits for it (runs it here).
    for job in RecomputeJob.objects.filter(pk__gt=since, year=row.year).order_by("id"):
        job = run_recompute_now(job) if job.pending else job
        if job.status == RecomputeJob.Status.FAILED:
            return fail(f"未办结案件的期限未能重算：{job.error}")
        if job.status == RecomputeJob.Status.DONE:
            print(f"未办结案件的期限已按新安排重算：{job.stats.get('open', 0)} 件在办申请，{job.due_changed} 件期限改变。")
    return 0


# --- registration -------------------------------------------------------------------------

SUBCOMMANDS: list[Callable] = [add_add, add_show, add_load]


def register_subcommand(adder: Callable) -> None:
    """Add a sub-command builder (``adder(sub)``) to ``gongkai calendar``."""
    if adder not in SUBCOMMANDS:
        SUBCOMMANDS.append(adder)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calendar", help="工作日与年度放假安排", description="工作日计算与年度放假安排（国务院办公厅节假日通知）。"
    )
    sub = parser.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")

    def show_help(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(func=show_help)
    for adder in SUBCOMMANDS:
        adder(sub)
