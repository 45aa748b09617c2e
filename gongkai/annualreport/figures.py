"""Section 二 figures that live in other systems: which keys, their labels, validation, import.

Why: 行政许可 / 行政处罚 / 行政强制 decisions and the 行政事业性收费 amount are kept by other
systems, so staff enter them with their source (a form, or a CSV / XLSX file). An import is
all-or-nothing: every bad row is reported with its row number and nothing is stored until
the whole file is clean. Block A (规章 / 行政规范性文件) is computed from the portal's
catalogue; a figure entered for one of its keys overrides the catalogue (manual entry for
agencies whose documents are not in the catalogue).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.core.domain import DomainError
from gongkai.law.reportformat import spec

CATALOGUE_PREFIX = "active.art20_1."
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 500
KIND_HINTS = {"count": "非负整数", "signed": "整数（可为负数，表示减少）", "money": "不小于 0 的数，最多 4 位小数"}
HEADERS = ("年度", "指标代码", "指标名称", "数值", "数据来源")


@dataclass(frozen=True)
class FigureSpec:
    key: str
    label: str  # "行政许可·本年处理决定数量"
    caption: str  # "第二十条第（五）项"
    kind: str  # count / signed / money
    from_catalogue: bool


def figure_specs(fmt_id: str) -> list[FigureSpec]:
    """Every section 二 cell of a format, in print order."""
    out = []
    for block in spec.get_format(fmt_id).section2:
        for row in block.rows:
            for key, col in zip(row.keys, block.columns[1:]):
                out.append(FigureSpec(key, f"{row.label}·{col}", block.caption, spec.key_kind(key),
                                      key.startswith(CATALOGUE_PREFIX)))
    return out


def figure_label(key: str) -> str:
    for fmt_id in (spec.GOV2021, spec.GOV2019):
        for s in figure_specs(fmt_id):
            if s.key == key:
                return s.label
    return key


def manual_keys(fmt_id: str) -> list[str]:
    """Keys staff must enter (not computed from the catalogue)."""
    return [s.key for s in figure_specs(fmt_id) if not s.from_catalogue]


def parse_value(key: str, raw) -> Decimal:
    """The figure as a Decimal, checked against its kind (R5 domains)."""
    kind = spec.key_kind(key)
    label = figure_label(key)
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text.startswith("+"):
        text = text[1:]
    if not text:
        raise DomainError(f"“{label}”没有填写数值。", field="value")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(f"“{label}”的数值“{raw}”不是数字，应为{KIND_HINTS[kind]}。", field="value") from None
    if not value.is_finite():
        raise DomainError(f"“{label}”的数值“{raw}”不是数字。", field="value")
    if kind in ("count", "signed") and value != value.to_integral_value():
        raise DomainError(f"“{label}”应为{KIND_HINTS[kind]}，不能是小数（填写的是 {raw}）。", field="value")
    if kind in ("count", "money") and value < 0:
        raise DomainError(f"“{label}”不能为负数（填写的是 {raw}）。", field="value")
    if kind == "money" and value.as_tuple().exponent < -4:
        raise DomainError(f"“{label}”最多保留 4 位小数（填写的是 {raw}）。", field="value")
    if abs(value) >= Decimal("1e12"):
        raise DomainError(f"“{label}”的数值 {raw} 过大，请核对单位（金额以万元计）。", field="value")
    return value


def cell_number(key: str, value: Decimal):
    """A stored figure as a report cell value: int for counts, float for money."""
    if spec.key_kind(key) == "money":
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value)


def resolve_key(fmt_id: str, code: str, name: str) -> str | None:
    """The key a row means, from its code or its Chinese name ("行政许可·本年处理决定数量")."""
    specs = figure_specs(fmt_id)
    code = (code or "").strip()
    if code:
        return code if any(s.key == code for s in specs) else None
    norm = "".join((name or "").split()).replace("/", "·").replace("／", "·").replace("-", "·").replace(".", "·")
    for s in specs:
        if norm == s.label:
            return s.key
    return None


@dataclass
class ImportRow:
    line: int
    key: str
    value: Decimal
    source: str


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[str]


def _rows_from_csv(data: bytes) -> list[list[str]]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("无法识别 CSV 文件的字符编码，请另存为 UTF-8 编码的 CSV 后再导入。", field="file")
    if "\x00" in text:
        raise DomainError("文件内容不是 CSV 文本，请上传 CSV 或 XLSX 文件。", field="file")
    return [row for row in csv.reader(io.StringIO(text))]


def _rows_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy; only needed when an .xlsx file is uploaded

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise DomainError("无法打开 XLSX 文件（文件损坏，或不是 Excel 2007 及以上格式），请检查后重新上传。", field="file") from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        if len(rows) > MAX_IMPORT_ROWS + 1:
            break
        rows.append(["" if v is None else (format(v, "f") if isinstance(v, Decimal) else str(v)) for v in row])
    book.close()
    return rows


def parse_import(data: bytes, filename: str, *, year: int) -> ImportResult:
    """Read a CSV / XLSX of figures for one report year; every bad row is reported by number."""
    if not data:
        raise DomainError("上传的文件是空的。", field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(f"文件过大（{len(data) // 1024} KB），导入文件不能超过 {MAX_IMPORT_BYTES // 1024} KB。", field="file")
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        table = _rows_from_xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        table = _rows_from_csv(data)
    else:
        raise DomainError("只能导入 CSV 或 XLSX 文件（第一行为表头：年度、指标代码、指标名称、数值、数据来源）。", field="file")
    table = [r for r in table if any((c or "").strip() for c in r)]
    if not table:
        raise DomainError("文件中没有数据。", field="file")
    header = [(c or "").strip() for c in table[0]]
    missing = [h for h in ("数值", "数据来源") if h not in header]
    if missing or ("指标代码" not in header and "指标名称" not in header):
        raise DomainError(
            f"第 1 行应为表头：{'、'.join(HEADERS)}（指标代码与指标名称至少有一列）；"
            f"缺少：{'、'.join(missing or ['指标代码或指标名称'])}。可下载导入模板对照。", field="file")
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise DomainError(f"一次最多导入 {MAX_IMPORT_ROWS} 行。", field="file")
    col = {h: i for i, h in enumerate(header)}
    fmt_id = spec.format_for_year(year)

    def cell(row, name):
        i = col.get(name)
        return (row[i] if i is not None and i < len(row) else "") or ""

    rows, errors, seen = [], [], {}
    for n, row in enumerate(table[1:], start=2):
        row_year = cell(row, "年度").strip()
        if row_year:
            try:
                y = int(float(row_year))
            except ValueError:
                errors.append(f"第 {n} 行：年度“{row_year}”不是 4 位年份。")
                continue
            if y != year:
                errors.append(f"第 {n} 行：年度 {y} 与本报告年度 {year} 不一致。")
                continue
        code, name_ = cell(row, "指标代码"), cell(row, "指标名称")
        key = resolve_key(fmt_id, code, name_)
        if key is None:
            shown = code.strip() or name_.strip() or "（空）"
            errors.append(f"第 {n} 行：指标“{shown}”不是{year}年度报告格式第二部分的指标，请对照导入模板。")
            continue
        if key in seen:
            errors.append(f"第 {n} 行：指标“{figure_label(key)}”与第 {seen[key]} 行重复。")
            continue
        seen[key] = n
        try:
            value = parse_value(key, cell(row, "数值"))
        except DomainError as exc:
            errors.append(f"第 {n} 行：{exc}")
            continue
        source = cell(row, "数据来源").strip()
        if not source:
            errors.append(f"第 {n} 行：请填写“{figure_label(key)}”的数据来源（来自哪个系统或台账）。")
            continue
        if len(source) > 200:
            errors.append(f"第 {n} 行：数据来源过长（不超过 200 字）。")
            continue
        rows.append(ImportRow(n, key, value, source))
    if not rows and not errors:
        errors.append("文件中只有表头，没有数据行。")
    return ImportResult(rows, errors)


def template_csv(year: int) -> str:
    """An import template for one year: one line per figure staff enter."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for s in figure_specs(spec.format_for_year(year)):
        if not s.from_catalogue:
            writer.writerow([year, s.key, s.label, "", ""])
    return out.getvalue()
