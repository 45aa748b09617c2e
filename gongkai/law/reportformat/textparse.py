"""Parse a report from text: find sections, rows by label, values between labels.

Why: every input (text, HTML, DOCX, PDF) is reduced to text lines with tab-separated cells
where the source had cells, so one parser reads them all. A row's values are the numbers
and blank cells after its label, up to the next label; runs of digits are decoded with the
sums (decode.py). What was not found is missing; what cannot be decided is ambiguous.
"""

from __future__ import annotations

import re
from functools import cache

from . import spec
from .decode import (Budget, agree, fit_row, group_sums_prune, narrative_figures, row_sum_ok,
                     solve_table3)
from .model import AMBIGUOUS, BLANK, BLANK_CELL, MISSING, MISSING_CELL, VALUE, Cell, Finding, ParsedReport
from .rules import ERROR, WARNING
from .sections import detect_format, find_meta, find_sections
from .textnorm import Token, label_regex, line_tokens, normalize_pair, values_of

SECTION_LABELS = {"二": "表二（主动公开政府信息情况）", "三": "表三（收到和处理政府信息公开申请情况）",
                  "四": "表四（行政复议、行政诉讼情况）"}
_VOCAB4 = re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in sorted(
    ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
     "复议后起诉", "直接起诉", "合计", "小计"], key=len, reverse=True)))


@cache
def _row_regex(label: str, phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{label_regex(label, p).pattern})" for p in phrases))


def _find_rows(text: str, rows: list[tuple[str, str, tuple[str, ...]]]
               ) -> list[tuple[str, int, int]]:
    """Find each (key, label, phrases) in order; returns (key, start, end) of those found."""
    found, pos = [], 0
    for key, label, phrases in rows:
        m = _row_regex(label, phrases).search(text, pos)
        if m:
            found.append((key, m.start(), m.end()))
            pos = m.end()
    return found


def _row_values(region: str, n: int) -> tuple[list[Token], list[list[Token]]]:
    """Value tokens of one row (line by line until ``n`` are had) and the lines left over."""
    lines = region.split("\n")
    values = values_of(line_tokens(lines[0], first=True), continuation=False)
    rest: list[list[Token]] = []
    for i, line in enumerate(lines[1:], start=1):
        vals = values_of(line_tokens(line), continuation=True)
        if not vals:
            continue
        if len(values) >= n:
            rest = [values_of(line_tokens(x), continuation=True) for x in lines[i:]]
            break
        values.extend(vals)
    return values, [r for r in rest if r]


def _set_row(cells: dict[str, Cell], keys: list[str], candidates) -> None:
    """Store one row's reading(s): a unique value, a blank, or ambiguous cells."""
    if candidates is None or len(candidates) == 0:
        for k in keys:
            cells[k] = Cell(AMBIGUOUS)
        return
    if len(candidates) == 1:
        for k, v in zip(keys, candidates[0]):
            cells[k] = BLANK_CELL if v is None else Cell(VALUE, v)
        return
    for k, (same, vals) in zip(keys, agree(candidates)):
        if same:
            cells[k] = Cell(BLANK) if vals[0] is None else Cell(VALUE, vals[0])
        else:
            cells[k] = Cell(AMBIGUOUS, None, tuple(v if v is not None else 0 for v in vals))


def _read_row(tokens, n, budget, accept=None, prune=None):
    """Readings of a row; [] when nothing was printed, None when undecidable."""
    if not tokens:
        return []
    cands = fit_row(tokens, n, budget, accept=accept, prune=prune)
    if cands == [] and (accept or prune):
        cands = fit_row(tokens, n, budget)
    return cands if cands else None


def _parse_section2(text, fmt, budget, cells) -> bool:
    flat = [r for b in fmt.section2 for r in b.rows]
    found = _find_rows(text, [(str(i), r.label, r.match) for i, r in enumerate(flat)])
    got = False
    for j, (k, _, end) in enumerate(found):
        stop = found[j + 1][1] if j + 1 < len(found) else len(text)
        row = flat[int(k)]
        tokens, _ = _row_values(text[end:stop], len(row.keys))
        cands = _read_row(tokens, len(row.keys), budget)
        if cands == []:
            continue
        got = True
        _set_row(cells, list(row.keys), cands)
    return got


def _parse_section3(text, fmt, budget, cells, figures) -> list[list[Token]]:
    """Read table 三 into ``cells``; returns the value lines left after its last row."""
    found = _find_rows(text, [(r.key, r.label, r.match) for r in fmt.rows])
    readings: dict[str, list] = {}
    undecided: set[str] = set()
    orphans: list[list[Token]] = []
    for j, (key, _, end) in enumerate(found):
        stop = found[j + 1][1] if j + 1 < len(found) else len(text)
        tokens, rest = _row_values(text[end:stop], len(fmt.columns))
        if j + 1 == len(found):
            orphans = rest
        cands = _read_row(tokens, len(fmt.columns), budget, accept=row_sum_ok)
        if cands is None:
            undecided.add(key)
        elif cands:
            readings[key] = cands
    readings = solve_table3(readings, fmt.row_keys, fmt.result_rows(), budget, figures)
    for key in fmt.row_keys:
        keys = [fmt.cell_key(key, c) for c in fmt.columns]
        if key in readings or key in undecided:
            _set_row(cells, keys, readings.get(key))
    return orphans


def _parse_section4(lines: list[list[Token]], fmt, budget, cells) -> bool:
    tokens = [t for line in lines for t in line]
    cands = _read_row(tokens, len(fmt.section4), budget, prune=group_sums_prune(5))
    if cands == []:
        return False
    _set_row(cells, list(fmt.section4), cands)
    return True


def _region_lines(text: str) -> list[list[Token]]:
    text = _VOCAB4.sub(" § ", text)
    return [v for v in (values_of(line_tokens(x), continuation=True) for x in text.split("\n")) if v]


def _structure_notes(report: ParsedReport, fmt, present: dict[str, bool]) -> list[Finding]:
    notes = []
    for name, keys in (("二", fmt.section2_keys), ("三", fmt.section3_keys),
                       ("四", fmt.section4_keys)):
        missing = [k for k in keys if report.cells.get(k, MISSING_CELL).state == MISSING]
        if not present[name]:
            notes.append(Finding("R0_table_missing", ERROR, tuple(keys),
                                 f"未找到{SECTION_LABELS[name]}", {"section": name}))
        elif missing:
            rows = list(dict.fromkeys(_row_name(fmt, k) for k in missing))
            shown = "、".join(f"“{r}”" for r in rows[:2]) + (f" 等 {len(rows)} 行" if len(rows) > 2 else "")
            notes.append(Finding(
                "R0_table_incomplete", ERROR, tuple(missing),
                f"{SECTION_LABELS[name]}不完整：缺少 {len(missing)} 个单元格（{shown}），"
                f"请核对原文是否被截断", {"section": name}))
    amb = [k for k in fmt.all_keys if report.cells.get(k, MISSING_CELL).state == AMBIGUOUS]
    if amb:
        notes.append(Finding("R0_ambiguous_cells", WARNING, tuple(amb),
                             f"{len(amb)} 个单元格的数字连在一起或多出，无法唯一确定，未作猜测"))
    return notes


def _row_name(fmt, key: str) -> str:
    row = key[len("apply."):].rsplit(".", 1)[0] if key.startswith("apply.") else None
    for r in fmt.rows:
        if r.key == row:
            return r.label
    for b in fmt.section2:
        for r in b.rows:
            if key in r.keys:
                return r.label
    return key


def parse_text(text: str, source: str | None = None) -> ParsedReport:
    """Parse a report given as text (plain, tab-separated, Markdown or PDF-extracted)."""
    norm, orig = normalize_pair(text)
    meta = find_meta(norm)
    fmt_id, reason = detect_format(norm[meta.title_end:] or norm, meta.year)
    report = ParsedReport(format=fmt_id, year=meta.year, agency=meta.agency, title=meta.title,
                          source=source, reason=reason)
    if not report.supported:
        return report
    fmt = spec.get_format(fmt_id)
    spans = find_sections(norm, meta.title_end)
    for name in spec.PROSE_SECTIONS:
        if name in spans:
            report.sections[name] = orig[spans[name].start:spans[name].end].strip()
    budget = Budget()
    cells: dict[str, Cell] = {}
    present = {"二": False, "三": False, "四": False}
    if "二" in spans:
        present["二"] = _parse_section2(norm[spans["二"].start:spans["二"].end], fmt, budget, cells)
    orphans: list[list[Token]] = []
    if "三" in spans:
        s3 = norm[spans["三"].start:spans["三"].end]
        figures = narrative_figures(report.sections.get("一", ""))
        orphans = _parse_section3(s3, fmt, budget, cells, figures)
        present["三"] = any(k in cells for k in fmt.section3_keys)
    if "四" in spans:
        present["四"] = _parse_section4(_region_lines(norm[spans["四"].start:spans["四"].end]),
                                        fmt, budget, cells)
    if not present["四"] and orphans:
        present["四"] = _parse_section4(orphans, fmt, budget, cells)
    report.cells = {k: cells.get(k, MISSING_CELL) for k in fmt.all_keys}
    report.notes = _structure_notes(report, fmt, present)
    return report
