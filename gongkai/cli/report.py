"""`gongkai report`: parse, check and render 政府信息公开工作年度报告.

Why: agencies and the supervising office check report files (text, HTML, DOCX, PDF) without
the web application; exit codes make it scriptable (0 no error, 1 errors, 2 unreadable or
unsupported). Heavy libraries are imported inside the commands so `gongkai --help` is fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gongkai.law import reportformat as rf
from gongkai.law.reportformat.spec import FORMAT_NAMES
from ._errors import fail

REPORT_SUFFIXES = {".txt", ".html", ".htm", ".shtml", ".pdf", ".docx"}
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="政府信息公开工作年度报告：解析、检查、生成",
        description="解析、检查、生成政府信息公开工作年度报告（2019 试行格式、2021 格式）")
    sub = parser.add_subparsers(dest="report_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: _help(parser))

    p = sub.add_parser("parse", help="解析报告文件，输出 JSON",
                       description="解析报告文件（文本、HTML、DOCX、PDF），在标准输出打印 JSON")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_parse)

    c = sub.add_parser("check", help="检查报告的勾稽关系等规则",
                       description="检查报告；目录则检查其中每份报告并打印汇总表。"
                                   "退出码：0 无错误，1 有错误，2 无法读取或不支持")
    c.add_argument("files", metavar="FILE", nargs="+", help="报告文件或目录")
    c.add_argument("--previous", metavar="LAST_YEAR_FILE",
                   help="上一年度的报告，用于跨年度规则 R7、R8")
    c.add_argument("--jobs", type=int, default=0, help="检查目录时的并行进程数（默认：CPU 核数）")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("render", help="由 JSON 数据生成报告（HTML、DOCX、PDF）",
                       description="由 JSON 数据（与 parse 输出同形，可加 sections、title）生成报告")
    r.add_argument("data", metavar="DATA.json")
    r.add_argument("--to", choices=["html", "docx", "pdf"], required=True)
    r.add_argument("-o", "--output", metavar="OUT", required=True)
    r.set_defaults(func=cmd_render)


def _help(parser) -> int:
    parser.print_help()
    return 2



# -- parse -------------------------------------------------------------------------------

def cmd_parse(args) -> int:
    try:
        report = rf.parse_file(args.file)
    except rf.ReportError as exc:
        fail(f"{args.file}：{exc}")
        return 2
    json.dump(rf.report_json(report), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0 if report.supported else 2


# -- check -------------------------------------------------------------------------------

def _describe(report) -> str:
    year = f"{report.year} 年度" if report.year else "年度不明"
    return f"{report.agency or '机关不明'} · {year} · {FORMAT_NAMES[report.format]}"


def _print_findings(path: str, report, findings) -> None:
    print(f"== {path}")
    print(f"   {_describe(report)}")
    for f in findings:
        print(f"   {SEVERITY_ZH[f.severity]} {f.rule}：{f.message}")
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = len(findings) - n_err
    print(f"   结论：{n_err} 个错误，{n_warn} 个警告" + ("" if findings else "，全部通过"))


def _check_one(path: str, previous=None) -> int:
    try:
        report = rf.parse_file(path)
    except rf.ReportError as exc:
        print(f"== {path}\n   无法读取：{exc}")
        return 2
    if not report.supported:
        print(f"== {path}\n   不支持：{report.reason}")
        return 2
    findings = rf.check(report, previous=previous)
    _print_findings(path, report, findings)
    return 1 if any(f.severity == "error" for f in findings) else 0


def cmd_check(args) -> int:
    previous = None
    if args.previous:
        try:
            previous = rf.parse_file(args.previous)
        except rf.ReportError as exc:
            fail(f"上一年度报告 {args.previous}：{exc}")
            return 2
        if not previous.supported:
            fail(f"上一年度报告 {args.previous}：{previous.reason}")
            return 2
    status = 0
    for item in args.files:
        if os.path.isdir(item):
            status = max(status, check_directory(item, jobs=args.jobs))
        else:
            status = max(status, _check_one(item, previous))
    return status


def _row_for(path: str) -> tuple:
    """(file, agency, year, format, errors, warnings, status, note) of one report."""
    try:
        report = rf.parse_file(path)
    except rf.ReportError as exc:
        return (path, "", "", "无法读取", "", "", 2, str(exc))
    except Exception as exc:  # a bug must not stop a batch of 10,000 files
        return (path, "", "", "无法读取", "", "", 2, f"内部错误：{type(exc).__name__}")
    if not report.supported:
        return (path, report.agency or "", report.year or "", "不支持", "", "", 2, report.reason)
    findings = rf.check(report)
    n_err = sum(f.severity == "error" for f in findings)
    return (path, report.agency or "", report.year or "", report.format, n_err,
            len(findings) - n_err, 1 if n_err else 0, "")


def report_files(directory: str) -> list[str]:
    """Report files under a directory (by suffix), sorted."""
    out = []
    for root, _dirs, files in os.walk(directory):
        out.extend(os.path.join(root, f) for f in files
                   if Path(f).suffix.lower() in REPORT_SUFFIXES)
    return sorted(out)


def _progress(done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} "
                     f"{rate:.0f} 份/秒")
    sys.stderr.flush()


def check_directory(directory: str, jobs: int = 0) -> int:
    """Check every report in a directory; print a summary table (progress bar on a terminal)."""
    files = report_files(directory)
    if not files:
        print(f"== {directory}\n   目录中没有报告文件（{', '.join(sorted(REPORT_SUFFIXES))}）")
        return 2
    jobs = jobs or os.cpu_count() or 1
    show = sys.stderr.isatty()
    started = time.monotonic()
    rows = []
    if jobs > 1 and len(files) > 50:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for row in pool.map(_row_for, files, chunksize=64):
                rows.append(row)
                if show and len(rows) % 50 == 0:
                    _progress(len(rows), len(files), started)
    else:
        for f in files:
            rows.append(_row_for(f))
            if show and len(rows) % 10 == 0:
                _progress(len(rows), len(files), started)
    if show:
        _progress(len(rows), len(files), started)
        sys.stderr.write("\n")
    _print_table(directory, rows)
    return max(r[6] for r in rows)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _print_table(directory: str, rows: list[tuple]) -> None:
    head = ("文件", "机关", "年度", "格式", "错误", "警告")
    body = [(os.path.relpath(r[0], directory), str(r[1]), str(r[2]), str(r[3]), str(r[4]),
             str(r[5])) for r in rows]
    widths = [max(_width(x) for x in col) for col in zip(head, *body)]
    print("  ".join(_pad(h, w) for h, w in zip(head, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row, raw in zip(body, rows):
        line = "  ".join(_pad(x, w) for x, w in zip(row, widths)).rstrip()
        print(line + (f"  （{raw[7]}）" if raw[7] else ""))
    ok = sum(r[6] == 0 for r in rows)
    bad = sum(r[6] == 1 for r in rows)
    unread = sum(r[6] == 2 for r in rows)
    print(f"共 {len(rows)} 份：{ok} 份无错误，{bad} 份有错误，{unread} 份无法读取或不支持")


# -- render ------------------------------------------------------------------------------

def cmd_render(args) -> int:
    try:
        with open(args.data, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        fail(f"数据文件不存在：{args.data}")
        return 2
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"无法读取 JSON 数据 {args.data}：{exc}")
        return 2
    if not isinstance(data, dict):
        fail("JSON 数据应为对象（与 gongkai report parse 的输出同形）")
        return 2
    try:
        doc = rf.ReportDocument.from_json_dict(data)
        if args.to == "html":
            Path(args.output).write_text(rf.render_html(doc), encoding="utf-8")
        elif args.to == "docx":
            rf.render_docx(doc, args.output)
        else:
            rf.render_pdf(doc, args.output)
    except rf.ReportError as exc:
        fail(str(exc))
        return 2
    except OSError as exc:
        fail(f"无法写入 {args.output}：{exc.strerror}")
        return 2
    print(f"已生成 {args.output}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    ap = argparse.ArgumentParser(prog="gongkai")
    register(ap.add_subparsers())
    ns = ap.parse_args()
    sys.exit(ns.func(ns))
