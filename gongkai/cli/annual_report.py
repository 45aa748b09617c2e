"""`gongkai annual-report AGENCY YEAR`: an agency's own annual report, from the database.

The signed (latest) revision when there is one, else the report computed now from the
records (a draft). JSON has the shape of `gongkai report parse`; HTML, DOCX and PDF are
printed by the same renderers as `gongkai report render`. Exit codes: 0 written, 2 bad
arguments (unknown agency, bad year, unwritable output).
"""

from __future__ import annotations

import sys
from pathlib import Path

from gongkai.cli._django import setup
from ._errors import fail


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "annual-report", help="本机关政府信息公开工作年度报告（由系统数据生成）",
        description="输出机关的政府信息公开工作年度报告：已签发的取最新签发版本，否则按当前记录计算（草稿）。")
    p.add_argument("agency", metavar="AGENCY", help="机关的统一社会信用代码或全称")
    p.add_argument("year", metavar="YEAR", help="报告年度，如 2025")
    p.add_argument("--to", choices=["json", "html", "docx", "pdf"], default="json", help="输出格式（默认 json）")
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件（json、html 默认打印到标准输出）")
    p.add_argument("--draft", action="store_true", help="忽略已签发的版本，按当前记录计算")
    p.set_defaults(func=cmd_annual_report)



def parse_year(text: str, today_year: int) -> int:
    text = (text or "").strip()
    if not text.isdigit() or len(text) != 4:
        raise ValueError(f"年度“{text}”无效：请填写 4 位数字年份，如 2025。")
    year = int(text)
    if year < 2019:
        raise ValueError(f"{year} 年度没有统一格式的年度报告：统一格式从 2019 年度开始（国办公开办函〔2019〕60号）。")
    if year > today_year:
        raise ValueError(f"{year} 年度还没有开始，不能生成该年度的报告。")
    return year


def cmd_annual_report(args) -> int:
    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.agencies.selectors import find_agency
    from gongkai.annualreport import outputs, selectors
    from gongkai.annualreport.models import AnnualReport, ReportStatus
    from gongkai.core import clock

    try:
        year = parse_year(args.year, clock.today().year)
    except ValueError as exc:
        return fail(str(exc))
    try:
        agency = find_agency(args.agency)
    except LookupError as exc:
        return fail(str(exc))
    if args.to in ("docx", "pdf") and not args.output:
        return fail(f"{args.to.upper()} 是二进制文件，请用 -o 指定输出文件。")
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    if args.draft or report is None or not report.revision:
        state = selectors.live_state(agency, year, report)
        note = f"{agency.name}{year}年度报告：草稿，按当前记录计算"
    else:
        state = selectors.signed_state(report)
        rev = state.revision
        note = (f"{agency.name}{year}年度报告：第{rev.number}版，{rev.signed_at:%Y-%m-%d} 签发"
                + ("，已公开" if rev.published_at else "，未公开")
                + ("；有更正正在进行" if report.status == ReportStatus.DRAFT else ""))
    data = outputs.render_bytes(state.doc, args.to, [f.to_json_dict() for f in state.findings])
    n_err = len(state.errors)
    n_warn = len(state.warnings)
    print(f"{note}；{n_err} 个错误，{n_warn} 个警告。", file=sys.stderr)
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            return fail(f"无法写入 {args.output}：{exc.strerror}")
        return 0
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is not None:
        out.write(data + (b"\n" if args.to == "json" else b""))
        out.flush()
    else:  # pragma: no cover - captured stdout without a buffer
        sys.stdout.write(data.decode("utf-8"))
    return 0
