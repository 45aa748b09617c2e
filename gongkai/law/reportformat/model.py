"""The report model: cells with their state, findings, the document to render.

Why: a parsed report must say for every cell whether it was read, printed blank, could not
be decided (ambiguous) or was not in the file (missing), and the platform computes reports
from its own data and renders them; both use the same cell keys (format note §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from . import spec

Number = Union[int, float]

VALUE = "value"
BLANK = "blank"
AMBIGUOUS = "ambiguous"
MISSING = "missing"


class ReportError(Exception):
    """A file that cannot be read or is not a report; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Cell:
    """One table cell: its value, or that it was printed blank, ambiguous or missing.

    ``candidates`` lists the possible values of an ambiguous cell, when known.
    """

    state: str
    value: Number | None = None
    candidates: tuple[Number, ...] = ()

    @property
    def known(self) -> bool:
        """True when the cell has a definite value for the rules (blank counts as 0)."""
        return self.state in (VALUE, BLANK)

    @property
    def number(self) -> Number | None:
        """The value for arithmetic: blank is 0, ambiguous/missing is None."""
        if self.state == VALUE:
            return self.value
        if self.state == BLANK:
            return 0
        return None


MISSING_CELL = Cell(MISSING)
BLANK_CELL = Cell(BLANK)


@dataclass(frozen=True)
class Finding:
    """One rule instance that fails: rule id (``R1_column_balance`` …), severity, cells.

    ``where`` says which instance (``{"column": "total"}``, ``{"row": "result.granted"}``).
    """

    rule: str
    severity: str
    cells: tuple[str, ...]
    message: str
    where: dict = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        out = {"rule": self.rule, "severity": self.severity,
               "cells": list(self.cells), "message": self.message}
        out.update(self.where)
        return out


@dataclass
class ReportDocument:
    """A report to render or check: format, title, agency, year, cells and prose.

    ``cells`` maps §7 keys to numbers; a key that is absent prints as an empty cell (and
    counts as blank). ``sections`` holds the prose of 一, 五 and 六 (keys "一", "五", "六";
    other keys are ignored by the renderers). Build one from the platform's own figures
    and pass it to ``render_html`` / ``render_docx`` / ``render_pdf`` / ``check``.
    """

    format: str
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    cells: dict[str, Number] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def report_format(self) -> spec.ReportFormat:
        return spec.get_format(self.format)

    def display_title(self) -> str:
        """The title as printed: the given one, else built from agency and year."""
        if self.title:
            return self.title
        year = f"{self.year}年" if self.year else ""
        return f"{self.agency or ''}{year}政府信息公开工作年度报告"

    def cell_states(self) -> dict[str, Cell]:
        """Every cell of the format: a value, or blank when absent."""
        return {k: (Cell(VALUE, self.cells[k]) if k in self.cells else BLANK_CELL)
                for k in self.report_format.all_keys}

    @classmethod
    def from_json_dict(cls, data: dict) -> "ReportDocument":
        """Build from the JSON shape of ``gongkai report parse`` (plus sections/title)."""
        fmt = data.get("format")
        if fmt not in (spec.GOV2021, spec.GOV2019):
            raise ReportError(f"数据中的格式 {fmt!r} 不受支持，应为 gov2021 或 gov2019_trial")
        keys = set(spec.get_format(fmt).all_keys)
        cells = {}
        for k, v in (data.get("cells") or {}).items():
            if k not in keys:
                raise ReportError(f"单元格键 {k!r} 不属于格式 {fmt}")
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ReportError(f"单元格 {k} 的值 {v!r} 不是数字")
            cells[k] = v
        sections = {k: str(v) for k, v in (data.get("sections") or {}).items()}
        year = data.get("year")
        return cls(format=fmt, year=year if isinstance(year, int) else None,
                   agency=data.get("agency"), title=data.get("title"),
                   cells=cells, sections=sections)


@dataclass
class ParsedReport:
    """What a parser read from a file: metadata, every cell with its state, prose, notes.

    ``notes`` are structural findings of the parse (a table incomplete, cells that could
    not be decoded); ``check`` adds them to the rule findings.
    """

    format: str
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)
    source: str | None = None
    reason: str | None = None  # why the format is unsupported

    @property
    def supported(self) -> bool:
        return self.format in (spec.GOV2021, spec.GOV2019)

    def keys_in(self, state: str) -> list[str]:
        if not self.supported:
            return []
        order = spec.get_format(self.format).all_keys
        return [k for k in order if self.cells.get(k, MISSING_CELL).state == state]

    def values(self) -> dict[str, Number]:
        """Cells that were read, with their values (blank, ambiguous, missing left out)."""
        return {k: c.value for k, c in self.cells.items() if c.state == VALUE}

    def document(self) -> ReportDocument:
        """The report as a document (blank/ambiguous/missing cells left empty)."""
        return ReportDocument(format=self.format, year=self.year, agency=self.agency,
                              title=self.title, cells=self.values(),
                              sections=dict(self.sections))

    def cell_states(self) -> dict[str, Cell]:
        if not self.supported:
            return {}
        return {k: self.cells.get(k, MISSING_CELL)
                for k in spec.get_format(self.format).all_keys}

    def to_json_dict(self, findings: list[Finding]) -> dict:
        """The JSON shape of ``gongkai report parse``, with the given findings (see `rules.report_json`)."""
        return {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "title": self.title,
            "cells": self.values() if self.supported else {},
            "blank_cells": self.keys_in(BLANK),
            "ambiguous_cells": self.keys_in(AMBIGUOUS),
            "missing_cells": self.keys_in(MISSING),
            "findings": [f.to_json_dict() for f in findings],
            "sections": dict(self.sections),
            **({"reason": self.reason} if self.reason else {}),
        }
