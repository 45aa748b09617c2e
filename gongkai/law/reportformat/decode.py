"""Fit the value tokens of a row to its cells, splitting digit runs with the table's sums.

Why: crawler text flattens tables, so "640020470" stands for 64|0|0|2|0|4|70. Such a run is
split every possible way (no leading zeros), the splits that break R2/R4 are dropped, and the
rows of table 三 are solved together with R1/R3 and the narrative's figures. What is still
not unique is reported as ambiguous, never guessed. Work is bounded by a step budget so no
input can make the parser hang.
"""

from __future__ import annotations

import itertools
import re
from typing import Callable, Sequence

from .textnorm import BLANKTOK, NUM, Token

MAX_PART_DIGITS = 9
MAX_CANDIDATES = 2000
MAX_COMBINATIONS = 20_000


class BudgetExceeded(Exception):
    """Too many ways to read a run of digits; the cells are ambiguous."""


class Budget:
    """A step counter shared by one parse, so the total decoding work is bounded."""

    def __init__(self, steps: int = 30_000):
        self.left = steps

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise BudgetExceeded()


Row = tuple  # values, None for a blank cell


def _trim(tokens: list[Token], n: int) -> list[Token] | None:
    toks = list(tokens)
    while len(toks) > n and toks[-1].kind == BLANKTOK:
        toks.pop()
    while len(toks) > n and toks[0].kind == BLANKTOK:
        toks.pop(0)
    return toks if len(toks) == n else None


def fit_row(tokens: Sequence[Token], n: int, budget: Budget,
            accept: Callable[[Row], bool] | None = None,
            prune: Callable[[list], bool] | None = None) -> list[Row] | None:
    """Every way to read ``tokens`` as ``n`` cells.

    Exactly ``n`` tokens are read as printed; more are trimmed of padding blanks; fewer are
    filled by splitting digit runs, keeping splits that pass ``prune`` (on each prefix) and
    ``accept`` (on the whole row). Returns [] when nothing fits, None when there are too many.
    """
    toks = [t for t in tokens if t.kind in (NUM, BLANKTOK)]
    if len(toks) >= n:
        fitted = _trim(toks, n)
        if fitted is None:
            return []
        return [tuple(t.value if t.kind == NUM else None for t in fitted)]
    caps = [len(t.raw) if (t.kind == NUM and t.raw) else 1 for t in toks]
    suffix = [0] * (len(toks) + 1)
    for i in range(len(toks) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + caps[i]
    if suffix[0] < n:
        return []
    results: list[Row] = []
    acc: list = []

    def rec(ti: int, pos: int) -> None:
        budget.spend()
        if ti == len(toks):
            if len(acc) == n and (accept is None or accept(tuple(acc))):
                results.append(tuple(acc))
                if len(results) > MAX_CANDIDATES:
                    raise BudgetExceeded()
            return
        tok = toks[ti]
        if not (tok.kind == NUM and tok.raw):
            acc.append(tok.value if tok.kind == NUM else None)
            if prune is None or prune(acc):
                rec(ti + 1, 0)
            acc.pop()
            return
        s = tok.raw
        for j in range(pos + 1, min(len(s), pos + MAX_PART_DIGITS) + 1):
            if j - pos > 1 and s[pos] == "0":
                break
            need_after = n - len(acc) - 1
            left_here = len(s) - j
            min_after = (1 if left_here else 0) + (len(toks) - ti - 1)
            if need_after < min_after or need_after > left_here + suffix[ti + 1]:
                continue
            part = int(s[pos:j])
            acc.append(-part if pos == 0 and tok.negative else part)
            if prune is None or prune(acc):
                if left_here:
                    rec(ti, j)
                else:
                    rec(ti + 1, 0)
            acc.pop()

    try:
        rec(0, 0)
    except BudgetExceeded:
        return None
    return results


def row_sum_ok(row: Row) -> bool:
    """R2 on one row of table 三: the last cell is the sum of the others (blank = 0)."""
    vals = [v or 0 for v in row]
    return vals[-1] == sum(vals[:-1])


def group_sums_prune(group: int) -> Callable[[list], bool]:
    """Prune for table 四: every complete group of ``group`` cells must add up (R4)."""
    def prune(acc: list) -> bool:
        if len(acc) % group:
            return True
        vals = [v or 0 for v in acc[-group:]]
        return vals[-1] == sum(vals[:-1])
    return prune


def agree(candidates: Sequence[Row]) -> list[tuple[bool, tuple]]:
    """Per position: (all candidates agree, the distinct values in first-seen order)."""
    out = []
    for col in zip(*candidates):
        distinct = tuple(dict.fromkeys(col))
        out.append((len(distinct) == 1, distinct))
    return out


# -- table 三 as a whole -----------------------------------------------------------------

_FIGURES = {
    "new": [r"(?:收到|受理|新收)[^。;\d]{0,14}?(\d+)\s*件", r"申请\s*(\d+)\s*件"],
    "result.total": [r"办结\s*(\d+)\s*件", r"(?:答复|办理)[^。;\d]{0,6}?(\d+)\s*件"],
    "carried_forward": [r"(\d+)\s*件\s*(?:申请)?结转", r"结转(?:至|到)?(?:下年度|下一年度|下一年|下年)[^。;\d]{0,6}?(\d+)\s*件"],
}


def narrative_figures(text: str) -> dict[str, set[int]]:
    """Totals the prose states (新收、办结、结转 件数), used to choose between readings."""
    out: dict[str, set[int]] = {}
    for row, patterns in _FIGURES.items():
        found = set()
        for p in patterns:
            found.update(int(m.group(1)) for m in re.finditer(p, text))
        if found:
            out[row] = found
    return out


def _constraints(order: Sequence[str], result_rows: Sequence[str]) -> list[dict[str, int]]:
    """R1 and R3 of one column as coefficients per row: the weighted sum must be 0."""
    r1 = {"new": 1, "carried_over": 1, "result.total": -1, "carried_forward": -1}
    r3 = {"result.total": 1, **{r: -1 for r in result_rows}}
    return [r1, r3]


def solve_table3(rows: dict[str, list[Row]], order: Sequence[str], result_rows: Sequence[str],
                 budget: Budget, figures: dict[str, set[int]] | None = None
                 ) -> dict[str, list[Row]]:
    """Narrow each row's readings to those that let R1 and R3 hold in every column.

    ``rows`` maps a row key to its candidate readings (rows absent are unknown). Returns the
    narrowed candidates; a row keeps several only when the table cannot decide.
    """
    multi = [k for k in order if len(rows.get(k, [])) > 1]
    if not multi:
        return rows
    sizes = 1
    for k in multi:
        sizes *= len(rows[k])
    if sizes > MAX_COMBINATIONS:
        return rows
    ncols = len(next(iter(rows.values()))[0])
    checks = []  # (coefficients, column) of every constraint whose rows are all known
    for coefs in _constraints(order, result_rows):
        if all(k in rows for k in coefs):
            checks.extend((coefs, c) for c in range(ncols))
    if not checks:
        return rows
    base = [0] * len(checks)
    for i, (coefs, c) in enumerate(checks):
        base[i] = sum(w * (rows[k][0][c] or 0) for k, w in coefs.items() if k not in multi)
    vectors = {k: [tuple(coefs.get(k, 0) * (cand[c] or 0) for coefs, c in checks)
                   for cand in rows[k]] for k in multi}
    solutions = []
    try:
        for combo in itertools.product(*(range(len(rows[k])) for k in multi)):
            budget.spend(len(multi))
            total = list(base)
            for k, idx in zip(multi, combo):
                for i, v in enumerate(vectors[k][idx]):
                    total[i] += v
            if not any(total):
                solutions.append(tuple(rows[k][idx] for k, idx in zip(multi, combo)))
    except BudgetExceeded:
        return rows
    if not solutions:
        return rows
    if len(solutions) > 1 and figures:
        told = [s for s in solutions
                if all(key not in multi or (s[multi.index(key)][-1] or 0) in allowed
                       for key, allowed in figures.items())]
        if told:
            solutions = told
    narrowed = dict(rows)
    for i, k in enumerate(multi):
        narrowed[k] = list(dict.fromkeys(s[i] for s in solutions))
    return narrowed
