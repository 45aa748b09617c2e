"""The totals of the report tables, computed from their parts (never typed).

Why one place: a report computed from the platform's records, a sample report and the
rules that check a parsed one must agree on what a total is. The formats say it (§6 of
the format note): in table 三 the （七）总计 row is the sum of the result rows (R3) and the
总计 column the sum of the applicant columns (R2); in table 四 each group's 总计 is the sum
of 结果维持、结果纠正、其他结果、尚未审结 (R4). `rules.py` checks the same sums.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import spec

Number = int | float


def with_totals(fmt: spec.ReportFormat, parts: Mapping[str, Number]) -> dict[str, Number]:
    """The cells of table 三 and 四 with every total filled in from ``parts``, in print order.

    ``parts`` holds the cells that are not totals (a missing one counts as 0); totals in it
    are ignored and recomputed. Section 二 cells pass through unchanged.
    """
    cells: dict[str, Number] = {k: v for k, v in parts.items() if not _is_total(fmt, k)}
    applicants = fmt.columns[:-1]
    results = fmt.result_rows()
    for col in applicants:
        cells[fmt.cell_key("result.total", col)] = sum(cells.get(fmt.cell_key(r, col), 0) for r in results)
    for row in fmt.row_keys:
        for col in applicants:
            cells.setdefault(fmt.cell_key(row, col), 0)
        cells[fmt.cell_key(row, "total")] = sum(cells[fmt.cell_key(row, c)] for c in applicants)
    for group in spec.section4_groups():
        for part in spec.SECTION4_PARTS:
            cells.setdefault(f"{group}.{part}", 0)
        cells[f"{group}.total"] = sum(cells[f"{group}.{p}"] for p in spec.SECTION4_PARTS)
    ordered = {k: cells.pop(k) for k in fmt.all_keys if k in cells}
    return ordered | cells


def _is_total(fmt: spec.ReportFormat, key: str) -> bool:
    if key.startswith("apply."):
        return key.startswith("apply.result.total.") or key.endswith(".total")
    return key.endswith(".total") and key in fmt.section4_keys
