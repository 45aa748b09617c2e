"""信息处理费: the amount for one application, with its explanation (decisions.md §10).

《政府信息公开信息处理费管理办法》（国办函〔2020〕109号） sets two methods, both
progressive by excess ("超额累进"); one method per application (Art. 3):

* 按件计收 (Art. 4): per applicant per calendar month, the n-th application of the month
  pays the rate of the band n falls in — 1–10 free, 11–30 ¥100, then bands of 10 each
  ¥100 dearer (31–40 ¥200, 41–50 ¥300, …).
* 按量计收 (Art. 5): per application by pages, each band of pages at its own rate —
  1–30 free, 31–100 ¥10/page, 101–200 ¥20/page, 201+ ¥40/page.

The tables are data (``gongkai/law/fee_tables/*.yaml``), so a later rule is a new file.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import yaml

from gongkai.law.clock import ExplanationLine

__all__ = [
    "DEFAULT_TABLE",
    "Band",
    "FeeResult",
    "FeeTable",
    "FeeTableError",
    "compute_fee_by_count",
    "compute_fee_by_pages",
    "compute_month_total_by_count",
    "load_fee_table",
    "parse_fee_table",
]

DEFAULT_TABLE = "gbh-2020-109"


class FeeTableError(ValueError):
    """A fee table file that cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: open-ended
    yuan: Decimal

    def label(self, unit: str) -> str:
        return f"第 {self.first} {unit}以上" if self.last is None else f"第 {self.first}–{self.last} {unit}"


@dataclass(frozen=True)
class FeeTable:
    id: str
    document: str  # e.g. 国办函〔2020〕109号
    title: str
    effective: date | None
    count_bands: tuple[Band, ...]
    count_band_size: int
    count_step_yuan: Decimal
    page_bands: tuple[Band, ...]
    count_note: str = ""

    @property
    def article(self) -> str:
        return f"《{self.title}》（{self.document}）"

    def count_rate(self, n: int) -> tuple[Decimal, Band]:
        """Rate of the n-th application of the month, and its band."""
        for band in self.count_bands:
            if band.last is None or n <= band.last:
                return band.yuan, band
        last = self.count_bands[-1]
        assert last.last is not None
        steps = (n - last.last - 1) // self.count_band_size + 1
        first = last.last + 1 + (steps - 1) * self.count_band_size
        rate = last.yuan + self.count_step_yuan * steps
        return rate, Band(first, first + self.count_band_size - 1, rate)


@dataclass(frozen=True)
class FeeResult:
    """The fee for one application: amount, method (``by_count``/``by_pages``), why."""

    amount_yuan: Decimal
    method: str
    explanation: tuple[ExplanationLine, ...]
    free: bool
    units: int = 0  # n-th application of the month, or number of pages


def _yuan(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _bands(raw: object, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise FeeTableError(f"{where}.bands 应为非空列表。")
    bands: list[Band] = []
    expected = 1
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not {"first", "last", "yuan"} <= set(item):
            raise FeeTableError(f"{where}.bands 第 {i + 1} 项应包含 first、last、yuan。")
        first, last = item["first"], item["last"]
        try:
            yuan = Decimal(str(item["yuan"]))
        except ArithmeticError:
            raise FeeTableError(f"{where}.bands 第 {i + 1} 项的金额“{item['yuan']}”不是数字。") from None
        if first != expected:
            raise FeeTableError(f"{where}.bands 第 {i + 1} 项应从 {expected} 开始（各档须首尾相接）。")
        if last is not None and (not isinstance(last, int) or last < first):
            raise FeeTableError(f"{where}.bands 第 {i + 1} 项的 last 应为不小于 {first} 的整数。")
        if last is None and i != len(raw) - 1:
            raise FeeTableError(f"{where}.bands 只有最后一档可以不设上限。")
        if yuan < 0:
            raise FeeTableError(f"{where}.bands 第 {i + 1} 项的金额不能为负数。")
        bands.append(Band(first, last, yuan))
        expected = (last or 0) + 1
    return tuple(bands)


def parse_fee_table(text: str) -> FeeTable:
    """Read a fee table (YAML); raise :class:`FeeTableError` with one Chinese message."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        raise FeeTableError("收费标准文件不是有效的 YAML，请检查缩进和冒号。") from None
    if not isinstance(raw, dict):
        raise FeeTableError("收费标准文件应由“键: 值”组成。")
    for key in ("id", "document", "title", "by_count", "by_pages"):
        if key not in raw:
            raise FeeTableError(f"收费标准文件缺少 {key}。")
    by_count, by_pages = raw["by_count"], raw["by_pages"]
    if not isinstance(by_count, dict) or not isinstance(by_pages, dict):
        raise FeeTableError("by_count 和 by_pages 应为“键: 值”。")
    count_bands = _bands(by_count.get("bands"), "by_count")
    if count_bands[-1].last is None:
        beyond = {"band_size": 1, "step_yuan": 0}
    else:
        beyond = by_count.get("beyond")
        if not isinstance(beyond, dict) or not isinstance(beyond.get("band_size"), int) or beyond["band_size"] < 1:
            raise FeeTableError("by_count 最后一档有上限时，须用 beyond: {band_size, step_yuan} 说明以上各档。")
    effective = raw.get("effective")
    if effective is not None and not isinstance(effective, date):
        raise FeeTableError("effective（施行日期）应写成 YYYY-MM-DD。")
    return FeeTable(
        id=str(raw["id"]),
        document=str(raw["document"]),
        title=str(raw["title"]),
        effective=effective,
        count_bands=count_bands,
        count_band_size=int(beyond["band_size"]),
        count_step_yuan=Decimal(str(beyond.get("step_yuan", 0))),
        page_bands=_bands(by_pages.get("bands"), "by_pages"),
        count_note=str(by_count.get("note") or ""),
    )


@functools.lru_cache(maxsize=8)
def load_fee_table(table_id: str = DEFAULT_TABLE) -> FeeTable:
    """A bundled fee table by id (file name without ``.yaml``)."""
    path = importlib.resources.files("gongkai.law") / "fee_tables" / f"{table_id}.yaml"
    if not path.is_file():
        raise FeeTableError(f"没有名为 {table_id} 的收费标准。")
    return parse_fee_table(path.read_text(encoding="utf-8"))


def _check_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what}应为整数，而不是 {value!r}。")
    return value


def compute_fee_by_count(nth_in_month: int, table: FeeTable | None = None) -> FeeResult:
    """按件计收: the fee for the applicant's ``nth_in_month`` application this month."""
    n = _check_count(nth_in_month, "当月累计件数")
    if n < 1:
        raise ValueError(f"当月累计件数应从 1 开始，而不是 {n}。")
    t = table or load_fee_table()
    rate, band = t.count_rate(n)
    lines = [ExplanationLine(
        f"{t.article}第四条",
        f"按件计收：同一申请人一个自然月内累计申请件数超额累进计收；本件为当月第 {n} 件，"
        f"属于{band.label('件')}档，"
        + ("免收费用。" if rate == 0 else f"每件 {_yuan(rate)} 元，本件收费 {_yuan(rate)} 元。"),
        (),
    )]
    if t.count_note and n > (t.count_bands[-1].last or n):
        lines.append(ExplanationLine("说明", t.count_note))
    return FeeResult(rate, "by_count", tuple(lines), rate == 0, n)


def compute_month_total_by_count(applications: int, table: FeeTable | None = None) -> Decimal:
    """Total 按件 fees of one applicant who filed ``applications`` in one month."""
    n = _check_count(applications, "当月申请件数")
    t = table or load_fee_table()
    return sum((t.count_rate(i)[0] for i in range(1, n + 1)), Decimal(0))


def compute_fee_by_pages(pages: int, table: FeeTable | None = None) -> FeeResult:
    """按量计收: the fee for one application of ``pages`` pages, band by band."""
    n = _check_count(pages, "页数")
    if n < 0:
        raise ValueError(f"页数不能为负数：{n}。")
    t = table or load_fee_table()
    total = Decimal(0)
    parts: list[str] = []
    for band in t.page_bands:
        if n < band.first:
            break
        upto = n if band.last is None else min(n, band.last)
        count = upto - band.first + 1
        amount = band.yuan * count
        total += amount
        if band.yuan == 0:
            parts.append(f"第 {band.first}–{upto} 页共 {count} 页免费")
        else:
            parts.append(f"第 {band.first}–{upto} 页共 {count} 页 × {_yuan(band.yuan)} 元 = {_yuan(amount)} 元")
    detail = "；".join(parts) if parts else "0 页"
    text = f"按量计收：本件申请共 {n} 页，各档页数分别计费：{detail}；合计 {_yuan(total)} 元。"
    return FeeResult(total, "by_pages", (ExplanationLine(f"{t.article}第五条", text),), total == 0, n)
