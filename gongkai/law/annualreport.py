"""When an annual report (政府信息公开工作年度报告) must be published: 《条例》第四十九条.

《条例》第四十九条: a department of a government at or above county level publishes its
report on the previous year by 31 January; the government's own report (published by its
政府信息公开工作主管部门) is due by 31 March. A local rule may set an earlier day; it is
passed in as ``local_rules`` (the app reads it from its settings).

The format a year's report uses is decided by the formats themselves
(`gongkai.law.reportformat.spec.format_for_year`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

ART49 = "《条例》第四十九条"

#: Agency kind → (month, day) of the year after the report year.
STATUTORY_DEADLINES: dict[str, tuple[int, int]] = {"department": (1, 31), "government": (3, 31)}
KIND_NAMES = {"department": "政府部门", "government": "人民政府"}


@dataclass(frozen=True)
class ReportDeadline:
    """The day a year's report must be published by, with the rule that set it."""

    year: int  # the report (data) year
    agency_kind: str
    due_on: date
    local_rule: bool  # set by a local rule rather than the article

    @property
    def explanation(self) -> str:
        who = KIND_NAMES.get(self.agency_kind, KIND_NAMES["department"])
        source = "本地规定" if self.local_rule else ART49
        return f"{self.year}年度报告：{who}依据{source}应于{self.due_on:%Y年%-m月%-d日}前公开。"


def report_deadline(year: int, agency_kind: str,
                    local_rules: Mapping[str, tuple[int, int]] | None = None) -> ReportDeadline:
    """The publication deadline of the report on ``year`` (《条例》第四十九条).

    ``agency_kind`` is ``department`` or ``government``; any other kind is treated as a
    department. ``local_rules`` maps a kind to the (month, day) a local rule sets instead.
    """
    kind = agency_kind if agency_kind in STATUTORY_DEADLINES else "department"
    local = dict(local_rules or {})
    month, day = local.get(kind, STATUTORY_DEADLINES[kind])
    return ReportDeadline(year=year, agency_kind=kind, due_on=date(year + 1, month, day),
                          local_rule=kind in local and tuple(local[kind]) != STATUTORY_DEADLINES[kind])
