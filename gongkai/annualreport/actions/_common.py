"""Checks shared by the annual report actions: who may act, which year, whether the data is frozen."""

from __future__ import annotations

from decimal import Decimal

from gongkai.core import clock
from gongkai.core.domain import DomainError

from ..models import FIRST_YEAR, AnnualReport, ReportStatus
from ..selectors import can_edit, is_office_head

MIN_REASON = 4


def _check_editor(actor, agency) -> None:
    if not can_edit(actor, agency):
        raise DomainError("您没有编辑本机关年度报告的权限。")


def _check_head(actor, agency, doing: str) -> None:
    if not is_office_head(actor, agency):
        raise DomainError(f"只有本机关的公开工作机构负责人可以{doing}。")


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("报告年度应为 4 位数字年份，如 2025。", field="year") from None
    current = clock.today().year
    if year < FIRST_YEAR:
        raise DomainError(f"统一格式的年度报告从 {FIRST_YEAR} 年度开始（国办公开办函〔2019〕60号），"
                          f"{year} 年度不适用。", field="year")
    if year > current:
        raise DomainError(f"{year} 年度还没有开始，不能编制该年度的报告。", field="year")
    return year


def _require_draft(report: AnnualReport, doing: str) -> None:
    if report.status != ReportStatus.DRAFT:
        raise DomainError(
            f"{report.year}年度报告已{report.get_status_display().lstrip('已')}，数据已冻结，不能{doing}。"
            "如需更正，请由公开工作机构负责人先点击“更正报告”。")


def _require_period_open(agency, year: int, doing: str) -> None:
    report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
    if report is not None:
        _require_draft(report, doing)


def _dec(v: Decimal) -> str:
    return format(Decimal(v).normalize(), "f")
