"""The consistency rules R1–R9 of the format note (§6, §7), with error/warning levels.

Why: a supervising office rejects a report whose tables do not add up (R1 is printed in the
table itself; R2–R4 follow from "总计"); R7–R9 are cross-year or text checks that real data
may legitimately break, so they only warn. A rule instance that involves an ambiguous or
missing cell is skipped (blank counts as 0), exactly as the example labels are computed.
"""

from __future__ import annotations

import re
from typing import Iterable

from . import spec
from .model import (AMBIGUOUS, BLANK, MISSING, VALUE, Cell, Finding, ParsedReport,
                    ReportDocument)

ERROR = "error"
WARNING = "warning"

GROUP_LABELS = {"review": "行政复议", "litigation.direct": "行政诉讼（未经复议直接起诉）",
                "litigation.after_review": "行政诉讼（复议后起诉）"}
NO_FEE_RE = re.compile(r"(未|没有|无|不)(发生|收取|产生)?[^。；;\n]{0,12}(信息处理费|收费|费用)|"
                       r"(信息处理费|收费)[^。；;\n]{0,6}(为零|为0(?!\d)|(?<!\d)0元)")


def _row_label(fmt: spec.ReportFormat, row: str) -> str:
    for r in fmt.rows:
        if r.key == row:
            return r.label if not r.group else f"{r.group} › {r.label}"
    return row


def _fmt_num(v) -> str:
    return str(v)


class _Checker:
    """Evaluates one report's cells; collects findings."""

    def __init__(self, fmt: spec.ReportFormat, cells: dict[str, Cell]):
        self.fmt = fmt
        self.nums = {k: c.number for k, c in cells.items()}
        self.findings: list[Finding] = []

    def num(self, key: str):
        return self.nums.get(key)

    def balance(self, rule, severity, lhs, rhs, message, where=None) -> None:
        """Add a finding when sum(lhs) != sum(rhs); skip if any cell is unknown."""
        get = self.nums.get
        vals_l = [get(k) for k in lhs]
        vals_r = [get(k) for k in rhs]
        if None in vals_l or None in vals_r:
            return
        left, right = sum(vals_l), sum(vals_r)
        if abs(left - right) > 1e-9:
            self.findings.append(Finding(rule, severity, tuple(lhs) + tuple(rhs),
                                         message(left, right), dict(where or {})))


def _check_tables(fmt: spec.ReportFormat, cells: dict[str, Cell]) -> list[Finding]:
    ck = _Checker(fmt, cells)
    cols, labels = fmt.columns, fmt.column_labels
    for c in cols:
        ck.balance("R1_column_balance", ERROR,
                   [f"apply.new.{c}", f"apply.carried_over.{c}"],
                   [f"apply.result.total.{c}", f"apply.carried_forward.{c}"],
                   lambda l, r, c=c: (f"表三“{labels[c]}”列：一（本年新收）加二（上年结转）为 {l}，"
                                      f"不等于三（七）总计加四（结转下年度）{r}"),
                   {"column": c})
    for row in fmt.row_keys:
        ck.balance("R2_row_total", ERROR, [f"apply.{row}.total"],
                   [f"apply.{row}.{c}" for c in cols[:-1]],
                   lambda l, r, row=row: (f"表三“{_row_label(fmt, row)}”行：总计 {l} 不等于"
                                          f"各类申请人之和 {r}"),
                   {"row": row})
    r3 = "R3_result_total_2021" if fmt.id == spec.GOV2021 else "R3_result_total_2019"
    for c in cols:
        ck.balance(r3, ERROR, [f"apply.result.total.{c}"],
                   [f"apply.{r}.{c}" for r in fmt.result_rows()],
                   lambda l, r, c=c: (f"表三“{labels[c]}”列：（七）总计 {l} 不等于"
                                      f"（一）至（六）各项之和 {r}"),
                   {"column": c})
    for group, rule in spec.section4_groups().items():
        ck.balance(rule, ERROR, [f"{group}.total"], [f"{group}.{p}" for p in spec.SECTION4_PARTS],
                   lambda l, r, g=group: (f"表四“{GROUP_LABELS[g]}”：总计 {l} 不等于"
                                          f"维持、纠正、其他、尚未审结之和 {r}"))
    return ck.findings


def _check_domains(fmt: spec.ReportFormat, cells: dict[str, Cell]) -> list[Finding]:
    """R5: counts are integers ≥ 0, money is ≥ 0, 本年增/减 may be negative."""
    out = []
    for key in fmt.all_keys:
        cell = cells.get(key)
        if cell is None or cell.state != VALUE:
            continue
        v, kind = cell.value, spec.key_kind(key)
        bad = None
        if kind == "money" and v < 0:
            bad = "金额不能为负数"
        elif kind == "signed" and v != int(v):
            bad = "增减数应为整数"
        elif kind == "count" and (v != int(v) or v < 0):
            bad = "件数应为非负整数"
        if bad:
            out.append(Finding("R5_domains", ERROR, (key,), f"单元格 {key} 的值 {_fmt_num(v)}：{bad}",
                               {"cell": key}))
    return out


def _check_fee_text(fmt: spec.ReportFormat, cells: dict[str, Cell],
                    sections: dict[str, str]) -> list[Finding]:
    """R9: applications closed for unpaid fees imply fee notices; 六 should not deny any fee."""
    if fmt.id != spec.GOV2021:
        return []
    key = "apply.result.other.fee_unpaid.total"
    v = cells.get(key, Cell(MISSING)).number
    text = sections.get("六") or ""
    if v and v > 0 and NO_FEE_RE.search(text):
        return [Finding("R9_fee_text_consistency", WARNING, (key,),
                        f"表三（六）2 有 {v} 件因逾期未缴费不再处理，说明发出过收费通知，"
                        f"但第六部分称未收费")]
    return []


def _check_previous(fmt: spec.ReportFormat, cells: dict[str, Cell],
                    prev_fmt: spec.ReportFormat, prev: dict[str, Cell]) -> list[Finding]:
    """R7 (carry-over continuity) and R8 (现行有效件数 continuity, 2021 format)."""
    out = []
    for c in fmt.columns:
        key, pkey = f"apply.carried_over.{c}", f"apply.carried_forward.{c}"
        a, b = cells.get(key, Cell(MISSING)).number, prev.get(pkey, Cell(MISSING)).number
        if a is not None and b is not None and a != b:
            out.append(Finding("R7_carry_over_continuity", WARNING, (key, pkey),
                               f"“{fmt.column_labels[c]}”列：本年“上年结转” {a} 不等于"
                               f"上年报告的“结转下年度继续办理” {b}", {"column": c}))
    if fmt.id == spec.GOV2021 and prev_fmt.id == spec.GOV2021:
        names = {"regulation": "规章", "normative_doc": "行政规范性文件"}
        for doc, name in names.items():
            base = f"active.art20_1.{doc}"
            vals = [cells.get(f"{base}.{p}", Cell(MISSING)).number
                    for p in ("in_force", "issued", "repealed")]
            last = prev.get(f"{base}.in_force", Cell(MISSING)).number
            if None in vals or last is None:
                continue
            now, issued, repealed = vals
            if now != last + issued - repealed:
                out.append(Finding("R8_in_force_continuity", WARNING,
                                   (f"{base}.in_force", f"{base}.issued", f"{base}.repealed"),
                                   f"{name}：现行有效 {now} 不等于上年现行有效 {last} 加本年制发 "
                                   f"{issued} 减本年废止 {repealed}（{last + issued - repealed}）",
                                   {"doc": doc}))
    return out


def _states(report) -> tuple[spec.ReportFormat, dict[str, Cell], dict[str, str], list[Finding]]:
    if isinstance(report, ReportDocument):
        return report.report_format, report.cell_states(), report.sections, []
    if isinstance(report, ParsedReport):
        if not report.supported:
            return None, {}, {}, list(report.notes)
        return (spec.get_format(report.format), report.cell_states(), report.sections,
                list(report.notes))
    raise TypeError("check() takes a ParsedReport or a ReportDocument")


def check(report: ParsedReport | ReportDocument,
          previous: ParsedReport | ReportDocument | None = None) -> list[Finding]:
    """All findings of a report: parse notes, R1–R5, R9, and R7/R8 when ``previous`` is given.

    ``previous`` is last year's report of the same agency.
    """
    fmt, cells, sections, notes = _states(report)
    if fmt is None:
        return notes
    findings = notes + _check_tables(fmt, cells) + _check_domains(fmt, cells)
    findings += _check_fee_text(fmt, cells, sections)
    if previous is not None:
        pfmt, pcells, _, _ = _states(previous)
        if pfmt is not None:
            findings += _check_previous(fmt, cells, pfmt, pcells)
    return findings


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == WARNING]


__all__ = ["check", "errors", "warnings", "ERROR", "WARNING",
           "VALUE", "BLANK", "AMBIGUOUS", "MISSING"]


def report_json(report: ParsedReport, previous: ParsedReport | None = None) -> dict:
    """The JSON shape of ``gongkai report parse``: the report's cells with its findings."""
    return report.to_json_dict(check(report, previous))
