"""`gongkai deadline RECEIVED ...`: the reply due date of an application, explained.

《条例》第三十条至第三十五条 via :func:`gongkai.law.clock.compute_clock`.
"""

from __future__ import annotations

import argparse
import json

from gongkai.cli import _calendar_source
from gongkai.cli._errors import fail
from gongkai.cli.calendar import parse_date
from gongkai.law.calendar import CalendarDataError
from gongkai.law.clock import CaseEvent, ClockError, compute_clock, validate_event


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "deadline",
        help="计算依申请公开的答复期限",
        description="计算依申请公开的答复期限（《条例》第三十条至第三十五条），并逐条说明依据。",
    )
    p.add_argument("received", metavar="RECEIVED", help="收到申请之日 YYYY-MM-DD（《条例》第三十一条）")
    p.add_argument("--corrected", metavar="DATE", help="收到补正后申请之日：答复期限自该日重新计算（第三十条）")
    p.add_argument("--correction-notice", metavar="DATE", help="发出补正告知之日（可选；默认按收到申请当日）")
    p.add_argument(
        "--pause", metavar="START:END", action="append", default=[],
        help="征求意见或收费通知：START 发出，END 收到答复/缴费；START 次日至 END 的工作日不计入。可重复。",
    )
    p.add_argument("--extend", nargs="?", const="", default=None, metavar="DATE",
                   help="经负责人同意延长 20 个工作日（可给出批准日期）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_deadline)


def _events(args: argparse.Namespace) -> list[CaseEvent]:
    received = parse_date(args.received, "收到申请日期")
    events = [CaseEvent("received", received)]

    def add(event: CaseEvent) -> None:
        validate_event(events, event)
        events.append(event)

    if args.correction_notice and not args.corrected:
        raise ValueError("给出了 --correction-notice，但没有给出 --corrected（收到补正申请之日）。")
    if args.corrected:
        corrected = parse_date(args.corrected, "补正日期")
        if args.correction_notice:
            add(CaseEvent("correction_requested", parse_date(args.correction_notice, "补正告知日期")))
        else:
            add(CaseEvent("correction_requested", received, note="未提供告知日期，按收到申请当日计"))
        if corrected < events[-1].on:
            raise ValueError(f"收到补正申请之日 {corrected.isoformat()} 早于补正告知之日 {events[-1].on.isoformat()}。")
        add(CaseEvent("corrected", corrected))
    start = events[-1].on
    for text in args.pause:
        left, sep, right = text.partition(":")
        if not sep:
            raise ValueError(f"--pause “{text}”无效，应写成 START:END，例如 2025-03-10:2025-03-20。")
        a, b = parse_date(left, "暂停开始日期"), parse_date(right, "暂停结束日期")
        if b < a:
            raise ValueError(f"--pause “{text}”的结束日期早于开始日期。")
        add(CaseEvent("consultation_sent", a, end=b))
    if args.extend is not None:
        if args.extend:
            add(CaseEvent("extension_approved", parse_date(args.extend, "延期批准日期")))
        else:
            add(CaseEvent("extension_approved", start, note="未提供批准日期"))
    return events


def cmd_deadline(args: argparse.Namespace) -> int:
    try:
        events = _events(args)
        result = compute_clock(events, _calendar_source.load_calendar())
    except (ValueError, ClockError, CalendarDataError) as exc:
        return fail(str(exc))
    lines = [str(line) for line in result.explanation]
    due = result.due.isoformat() if result.due else None
    if args.json:
        print(json.dumps({"due": due, "provisional": result.provisional, "explanation": lines},
                         ensure_ascii=False, indent=2))
        return 0
    print(due or "（尚无答复期限）")
    for line in lines:
        print(line)
    return 0
