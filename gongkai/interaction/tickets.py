"""Read a ticket file (110联动 / 12345) and check every row; no database access here.

Formats, recognised by content: CSV in UTF-8 (with or without BOM), GBK/GB18030 (what
Chinese Excel writes) or UTF-16 (Excel "Unicode text"), comma- or tab-separated; XLSX.
The first row is the header with the columns 工单编号, 来源, 受理时间, 诉求人, 联系电话,
诉求内容, 办理部门 in any order (诉求类别 is optional). Row numbers are those Excel
shows (the header is row 1). Every problem is collected, so one run lists them all.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gongkai.core.domain import DomainError
from gongkai.law.identifiers import IdentifierError, validate_mobile

COLUMNS = ("工单编号", "来源", "受理时间", "诉求人", "联系电话", "诉求内容", "办理部门")
OPTIONAL_COLUMNS = ("诉求类别",)
MAX_ROWS = 50_000
EARLIEST = date(2000, 1, 1)

CATEGORY_WORDS = {
    "咨询": "consult", "建议": "suggestion", "投诉": "complaint", "局长信箱": "director_mailbox",
    "求助": "complaint", "举报": "complaint", "意见": "suggestion",
}
DEFAULT_CATEGORY = "complaint"

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%Y.%m.%d %H:%M", "%Y.%m.%d", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
)
LANDLINE_RE = re.compile(r"^(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,5})?$")


@dataclass(frozen=True)
class TicketRow:
    row: int
    ticket_number: str
    channel: str
    received_on: date
    received_at: datetime | None
    writer_name: str
    writer_phone: str
    content: str
    department_name: str
    category: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


@dataclass
class ParsedFile:
    kind: str = ""  # "CSV" or "XLSX"
    encoding: str = ""
    rows: list[TicketRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.file_problems

    @property
    def description(self) -> str:
        return f"{self.kind}，{self.encoding}" if self.encoding else self.kind


# ---------------------------------------------------------------------------------------
# reading


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8（带BOM）编码"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16 编码"
    try:
        return data.decode("utf-8"), "UTF-8 编码"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK 编码"
    except UnicodeDecodeError:
        raise DomainError(
            "无法识别文件的文字编码：请在 Excel 中“另存为”CSV（UTF-8 或 GBK 编码）或 XLSX 后重新导入。"
        ) from None


def _read_csv(data: bytes) -> tuple[list[tuple[int, list]], str]:
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [(i, row) for i, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise DomainError(f"CSV 文件格式有误（{exc}），请检查引号是否成对后重新导入。") from None
    return records, encoding


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook  # heavy; only needed for an .xlsx ticket import

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        raise DomainError("XLSX 文件已损坏或无法读取，请在 Excel 中重新保存后再导入。") from None
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def read_records(data: bytes) -> tuple[list[tuple[int, list]], str, str]:
    """(row number, cells) for every row, plus the kind and encoding, recognised by content."""
    if not data:
        raise DomainError("文件是空的，请选择导出的工单文件。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError("不支持 Excel 97-2003（.xls）格式，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入。")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise DomainError("文件看起来是压缩包但已损坏，请重新导出工单文件。") from None
        if "xl/workbook.xml" not in names:
            raise DomainError("文件是压缩包而不是 XLSX 表格，请导入 XLSX 或 CSV 文件。")
        return _read_xlsx(data), "XLSX", ""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DomainError("文件不是 CSV 或 XLSX 表格，请导入 XLSX 或 CSV 文件。")
    records, encoding = _read_csv(data)
    return records, "CSV", encoding


# ---------------------------------------------------------------------------------------
# cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def _header(value) -> str:
    return re.sub(r"[\s\ufeff*＊:：]", "", _text(value))


def channel_of(source: str) -> str | None:
    s = re.sub(r"\s", "", source)
    if "110" in s:
        return "police_110"
    if "12345" in s or "市长热线" in s or "便民热线" in s:
        return "hotline_12345"
    return None


def parse_when(value) -> tuple[date, datetime | None] | None:
    """A date (and time, when given) from a cell; None when it is not a date."""
    if isinstance(value, datetime):
        return value.date(), value
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        serial = _excel_serial(float(value))
        if serial is not None:
            return serial
        value = _text(value)  # e.g. 20250304 typed as a number: read it as text below
    text = re.sub(r"\s+", " ", _text(value))
    if len(text) > 40:  # no date is that long; do not run every format over a long cell
        return None
    if re.fullmatch(r"[0-9]{5}(\.[0-9]+)?", text):
        return _excel_serial(float(text))
    for fmt in DATE_FORMATS:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        has_time = "%H" in fmt
        return moment.date(), moment if has_time else None
    return None


def _excel_serial(number: float) -> tuple[date, datetime | None] | None:
    """An Excel serial day number (20000..80000 is 1954..2119); None for any other number.

    Never recursive: "12345" as text is a number outside the range and simply not a date.
    """
    if not 20000 < number < 80000:
        return None
    moment = datetime(1899, 12, 30) + timedelta(days=number)
    return moment.date(), moment if number % 1 != 0 else None


def phone_problem(phone: str) -> tuple[str, str | None]:
    phone = re.sub(r"[\s（）()]", "", phone)
    if not phone:
        return "", None
    try:
        return validate_mobile(phone), None
    except IdentifierError:
        pass
    if LANDLINE_RE.match(phone):
        return phone, None
    return phone, f"联系电话“{phone}”格式不对，应为11位手机号或带区号的固定电话（如 0379-63912345），不知道可留空"


# ---------------------------------------------------------------------------------------
# checking


def parse_tickets(data: bytes, *, today: date) -> ParsedFile:
    """Read and check a ticket file; every problem is listed, nothing is stored."""
    result = ParsedFile()
    try:
        records, result.kind, result.encoding = read_records(data)
    except DomainError as exc:
        result.file_problems.append(str(exc))
        return result
    records = [(n, cells) for n, cells in records if any(_text(c) for c in cells)]
    if not records:
        result.file_problems.append("文件中没有内容：第1行应为表头（" + "、".join(COLUMNS) + "），其后每行一条工单。")
        return result
    header_row, header_cells = records[0]
    headers = [_header(c) for c in header_cells]
    positions: dict[str, int] = {}
    for i, name in enumerate(headers):
        if not name:
            continue
        if name in positions:
            result.file_problems.append(f"表头（第{header_row}行）中“{name}”出现了两次，请删去多余的一列。")
        positions.setdefault(name, i)
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        result.file_problems.append(
            f"缺少列：{'、'.join(missing)}。表头（第{header_row}行）应包含 {'、'.join(COLUMNS)}（顺序不限）。"
            + (f"现有的列：{'、'.join(h for h in headers if h)}。" if any(headers) else "")
        )
    result.ignored_columns = [h for h in headers if h and h not in COLUMNS and h not in OPTIONAL_COLUMNS]
    if result.file_problems:
        return result
    body = records[1:]
    if not body:
        result.file_problems.append("文件只有表头，没有工单数据。")
        return result
    if len(body) > MAX_ROWS:
        result.file_problems.append(f"一次最多导入{MAX_ROWS}条工单，本文件有{len(body)}条，请分成几个文件导入。")
        return result

    seen: dict[str, int] = {}

    def cell(cells, column):
        i = positions.get(column)
        return cells[i] if i is not None and i < len(cells) else None

    for number, cells in body:
        problems = []
        ticket = _text(cell(cells, "工单编号"))
        if not ticket:
            problems.append("工单编号为空，请填写")
        elif len(ticket) > 64:
            problems.append("工单编号超过64个字符，请核对")
        elif ticket in seen:
            problems.append(f"工单编号“{ticket}”与第{seen[ticket]}行重复")
        else:
            seen[ticket] = number
        source = _text(cell(cells, "来源"))
        channel = channel_of(source)
        if channel is None:
            problems.append(f"来源“{source}”无法识别，应为“110联动”或“12345”" if source else "来源为空，应为“110联动”或“12345”")
        raw_when = cell(cells, "受理时间")
        when = parse_when(raw_when) if _text(raw_when) else None
        if not _text(raw_when):
            problems.append("受理时间为空，请填写，如 2025-03-04 09:30")
        elif when is None:
            problems.append(f"受理时间“{_text(raw_when)}”不是有效日期，应写成 2025-03-04 或 2025-03-04 09:30")
        elif when[0] > today:
            problems.append(f"受理时间“{_text(raw_when)}”晚于今天，请核对")
        elif when[0] < EARLIEST:
            problems.append(f"受理时间“{_text(raw_when)}”早于2000年，请核对")
        writer = _text(cell(cells, "诉求人"))
        if len(writer) > 50:
            problems.append("诉求人超过50个字，请核对")
        phone, phone_error = phone_problem(_text(cell(cells, "联系电话")))
        if phone_error:
            problems.append(phone_error)
        content = _text(cell(cells, "诉求内容"))
        if not content:
            problems.append("诉求内容为空，请填写")
        department = _text(cell(cells, "办理部门"))
        if len(department) > 60:
            problems.append("办理部门名称超过60个字，请核对")
        category_text = _text(cell(cells, "诉求类别"))
        category = CATEGORY_WORDS.get(category_text, DEFAULT_CATEGORY if not category_text else None)
        if category is None:
            problems.append(f"诉求类别“{category_text}”无法识别，应为咨询、建议、投诉或局长信箱（可留空，按投诉办理）")
        if problems:
            result.problems.append(RowProblem(number, "；".join(problems) + "。"))
            continue
        received_at = when[1]
        result.rows.append(TicketRow(
            row=number, ticket_number=ticket, channel=channel, received_on=when[0],
            received_at=datetime.combine(when[0], received_at.time()) if received_at else None,
            writer_name=writer, writer_phone=phone, content=content, department_name=department,
            category=category,
        ))
    return result


@dataclass
class ImportReport:
    """What an import found and did; `lines()` is what the CLI prints and the admin shows."""

    parsed: ParsedFile
    filename: str
    dry_run: bool
    duplicates: list[RowProblem] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    imported: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def to_import(self) -> int:
        return len(self.parsed.rows) - len(self.duplicates)

    def lines(self) -> list[str]:
        p = self.parsed
        out = [f"文件：{self.filename}" + (f"（{p.description}）" if p.kind else "")]
        out += p.file_problems
        if p.file_problems:
            out.append("文件无法导入，未导入任何工单。请按上述提示修改后重新导入。")
            return out
        total = len(p.rows) + len(p.problems)
        out.append(f"共 {total} 行工单。")
        if p.ignored_columns:
            out.append(f"以下列不导入：{'、'.join(p.ignored_columns)}。")
        out += [str(problem) for problem in p.problems]
        if p.problems:
            out.append(f"发现 {len(p.problems)} 行有问题，未导入任何工单。请修改这些行后重新导入。")
            return out
        out += [str(d) for d in self.duplicates]
        if self.new_departments:
            out.append(f"将新建办理部门：{'、'.join(self.new_departments)}。")
        if self.dry_run:
            out.append(f"检查通过：可导入 {self.to_import} 条" + (f"，已存在 {len(self.duplicates)} 条将跳过" if self.duplicates else "")
                       + "。本次只检查，未导入。")
        elif self.imported:
            out.append(f"已导入 {self.imported} 条工单" + (f"，已存在 {len(self.duplicates)} 条已跳过" if self.duplicates else "") + "。")
        else:
            out.append(f"没有新工单：{len(self.duplicates)} 条均已导入过，未重复导入。")
        return out
