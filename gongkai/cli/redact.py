"""`gongkai redact IN -o OUT ...` and `gongkai redact --check FILE ...`: verified redaction (《条例》第三十七条).

Exit codes: 0 the output (or the checked file) is clean; 1 something marked survived;
2 bad arguments or input, or pages that could not be verified.
"""

from __future__ import annotations

import argparse
import os
import sys

from gongkai.cli._errors import fail
from gongkai.law.redaction import BASES, DEFAULT_PII, PATTERN_KINDS, PatternMark, RedactionRuleError, TextMark


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "redact",
        help="遮盖文件中的个人信息等不予公开内容，并核验输出",
        description="遮盖（删除）文件中标记的文字和个人信息，为每处加注法定依据，并在输出后逐页核验"
                    "（《条例》第三十七条部分公开）。支持 PDF、DOCX、XLSX、PNG、JPG。",
        epilog=f"遮盖依据（--basis）：{'；'.join(f'{k}={v}' for k, v in BASES.items())}。"
               "退出码：0 核验通过；1 仍有标记内容；2 参数或文件有误，或有页面未能核验。",
    )
    p.add_argument("input", metavar="IN", nargs="?", help="要遮盖的文件")
    p.add_argument("-o", "--output", metavar="OUT", help="输出的 PDF 文件")
    p.add_argument("--check", metavar="FILE", help="只核验已遮盖的 PDF 文件，不做修改")
    p.add_argument("--text", metavar="STR", action="append", default=[], help="要遮盖的文字（可重复）")
    p.add_argument("--pii", action="store_true",
                   help=f"遮盖个人信息：{'、'.join(PATTERN_KINDS[k] for k in DEFAULT_PII)}")
    p.add_argument("--pattern", metavar="KIND", action="append", default=[],
                   help=f"另外遮盖的个人信息类别（可重复）：{'、'.join(f'{k}={v}' for k, v in PATTERN_KINDS.items())}")
    p.add_argument("--allow", metavar="VALUE", action="append", default=[],
                   help="经确认可以公开的个人信息（如本机关公开的电话），核验时不计（可重复）")
    p.add_argument("--basis", metavar="KEY", default="privacy", help="遮盖依据，默认 privacy（第十五条 个人隐私）")
    p.set_defaults(func=cmd_redact)


def _marks(args) -> list:
    marks = [TextMark(text, args.basis) for text in args.text]
    kinds = list(DEFAULT_PII) if args.pii else []
    kinds += [k for k in args.pattern if k not in kinds]
    marks += [PatternMark(kind, args.basis) for kind in kinds]
    return marks


def _progress(done: int, total: int) -> None:
    print(f"\r进度 {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _report(verdict) -> int:
    if verdict.ok:
        print(verdict.summary())
        return 0
    print(verdict.summary(), file=sys.stderr)
    return 1 if verdict.survivors else 2


def cmd_redact(args: argparse.Namespace) -> int:
    from gongkai.core.redaction import RedactionInputError, check, prepare, redact

    if args.basis not in BASES:
        return fail(f"遮盖依据“{args.basis}”不存在，请从以下依据中选择：{'、'.join(BASES)}。")
    if args.check and (args.input or args.output):
        return fail("--check 只核验一个文件，不能同时给出 IN 或 -o。")
    if not args.check and not (args.input and args.output):
        return fail("请给出要遮盖的文件和 -o 输出文件，例如：gongkai redact 申请材料.pdf -o 遮盖后.pdf --pii")
    try:
        marks = _marks(args)
    except RedactionRuleError as exc:
        return fail(str(exc))
    if not marks and not args.check:
        return fail("没有要遮盖的内容：请用 --text 给出文字，或用 --pii 遮盖个人信息。")
    path = args.check or args.input
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return fail(f"无法读取文件“{path}”：{exc.strerror or exc}。请检查路径。")
    try:
        if args.check:
            return _report(check(prepare(data, path), marks, allowed=args.allow,
                                 progress=_progress if sys.stderr.isatty() else None))
        result = redact(prepare(data, path), marks, allowed=args.allow,
                        progress=_progress if sys.stderr.isatty() else None)
    except RedactionInputError as exc:
        return fail(str(exc))
    try:
        with open(args.output, "wb") as fh:
            fh.write(result.pdf)
    except OSError as exc:
        return fail(f"无法写入“{args.output}”：{exc.strerror or exc}。请检查路径和权限。")
    print(f"已写入 {os.path.abspath(args.output)}：{result.pages}页，遮盖{result.boxes}处，用时{result.seconds:.1f}秒。")
    return _report(result.verdict)
