"""The two official report formats as data, loaded from spec.yaml and layout.yaml.

Why: the formats change by notice (国办公开办函〔2019〕60号, 〔2021〕30号), so they live in
data files; code reads cell keys, labels and rules from here and never spells them itself.
spec.yaml is section 7 of shared/domain/annual-report-format.md verbatim; layout.yaml adds
captions and column headers needed to print and to find the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

GOV2021 = "gov2021"
GOV2019 = "gov2019_trial"
UNSUPPORTED = "unsupported"

MONEY_KEYS = frozenset({
    "active.art20_8.admin_fee.amount_wan",
    "active.art20_9.central_procurement.amount",
})

SECTION_NAMES = ("一", "二", "三", "四", "五", "六")
SECTION_TITLES = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
PROSE_SECTIONS = ("一", "五", "六")
#: The parts of each section 四 group, in print order; 总计 is their sum (R4).
SECTION4_PARTS = ("maintained", "corrected", "other", "pending")
FORMAT_NAMES = {
    GOV2021: "2021 年格式（国办公开办函〔2021〕30号）",
    GOV2019: "2019 年试行格式（国办公开办函〔2019〕60号）",
    UNSUPPORTED: "不支持的格式",
}


@dataclass(frozen=True)
class Section2Row:
    """One row of a section 二 block: its printed label, match phrases and cell keys."""

    label: str
    match: tuple[str, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Section2Block:
    """One block of section 二 (第二十条第（x）项): caption, column headers, rows."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[Section2Row, ...]


@dataclass(frozen=True)
class Section3Row:
    """One numeric row of the section 三 table."""

    key: str
    label: str
    group: str | None
    match: tuple[str, ...]


@dataclass(frozen=True)
class ReportFormat:
    """Everything about one format: tables, labels and the stable cell keys."""

    id: str
    source: str
    section2: tuple[Section2Block, ...]
    rows: tuple[Section3Row, ...]
    columns: tuple[str, ...]
    column_labels: dict[str, str]
    section4: tuple[str, ...]
    keys_by_section: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def section2_keys(self) -> tuple[str, ...]:
        return self.keys_by_section["二"]

    @property
    def section3_keys(self) -> tuple[str, ...]:
        return self.keys_by_section["三"]

    @property
    def section4_keys(self) -> tuple[str, ...]:
        return self.keys_by_section["四"]

    @property
    def all_keys(self) -> tuple[str, ...]:
        return self.section2_keys + self.section3_keys + self.section4_keys

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows)

    def cell_key(self, row: str, col: str) -> str:
        return f"apply.{row}.{col}"

    def result_rows(self) -> tuple[str, ...]:
        """Rows that add up to （七）总计 (R3)."""
        return tuple(r.key for r in self.rows
                     if r.key.startswith("result.") and r.key != "result.total")


def _load(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def raw_spec() -> dict:
    """The parsed spec.yaml (section 7 of the format note)."""
    return _load("spec.yaml")


@cache
def layout() -> dict:
    """The parsed layout.yaml."""
    return _load("layout.yaml")


_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")


def _phrases(label: str, listed: list[str]) -> tuple[str, ...]:
    """Phrases that find a row: those listed, with the label's first six characters second.

    Why the start: a PDF wraps a long label over lines with the row's numbers in between, so
    the start of the label is what stays together.
    """
    phrases = list(listed)
    body = _NUMBERING.sub("", label)
    if len(body) > 8 and not phrases[0].startswith("@"):
        phrases.insert(1, body[:6])
    return tuple(dict.fromkeys(phrases))


def _build(fid: str) -> ReportFormat:
    spec = raw_spec()["formats"][fid]
    lay = layout()
    s2_keys = tuple(item["key"] for item in spec["section2"])
    blocks = tuple(
        Section2Block(
            caption=b["caption"], columns=tuple(b["columns"]),
            rows=tuple(Section2Row(r["label"], tuple(r["match"]), tuple(r["keys"]))
                       for r in b["rows"]))
        for b in lay["section2"][fid])
    layout_keys = tuple(k for b in blocks for r in b.rows for k in r.keys)
    if layout_keys != s2_keys:
        raise ValueError(f"layout.yaml section2 of {fid} does not match spec.yaml")
    s3 = spec["section3"]
    matches = lay["section3"]["match"]
    rows = tuple(Section3Row(r["key"], r["label"], r.get("group"),
                             _phrases(r["label"], matches[r["key"]]))
                 for r in s3["rows"])
    cols = tuple(s3["columns"])
    s3_keys = tuple(f"apply.{r.key}.{c}" for r in rows for c in cols)
    if len(s3_keys) != s3["cell_count"]:
        raise ValueError(f"spec.yaml section3 of {fid}: cell_count mismatch")
    s4_keys = tuple(item["key"] for item in spec["section4"])
    return ReportFormat(
        id=fid, source=spec["source"], section2=blocks, rows=rows, columns=cols,
        column_labels=dict(s3["column_labels"]), section4=s4_keys,
        keys_by_section={"二": s2_keys, "三": s3_keys, "四": s4_keys})


@cache
def get_format(fid: str) -> ReportFormat:
    """The format with this id (``gov2021`` or ``gov2019_trial``)."""
    if fid not in (GOV2021, GOV2019):
        raise KeyError(fid)
    return _build(fid)


def formats() -> tuple[ReportFormat, ...]:
    return (get_format(GOV2021), get_format(GOV2019))


@cache
def year_ranges() -> dict[str, tuple[int, int | None]]:
    """Format id → (first, last) report year it applies to (last None: still in force).

    Read from ``applies_to_report_years`` of spec.yaml ("2019-2020", "2021-").
    """
    out = {}
    for fid, data in raw_spec()["formats"].items():
        first, _sep, last = str(data["applies_to_report_years"]).partition("-")
        out[fid] = (int(first), int(last) if last else None)
    return out


FIRST_YEAR = min(first for first, _last in year_ranges().values())


def format_for_year(year: int) -> str:
    """The format a report on ``year`` uses (decisions.md §14): 2019–2020 the 2019 trial format
    (国办公开办函〔2019〕60号), 2021 onward the 2021 format (国办公开办函〔2021〕30号).

    Raises ValueError for a year before 2019: such reports had no unified format.
    """
    for fid, (first, last) in year_ranges().items():
        if first <= year and (last is None or year <= last):
            return fid
    raise ValueError(f"{year} 年度没有统一的年度报告格式（统一格式自 {FIRST_YEAR} 年度起）")


def rule_specs() -> dict[str, dict]:
    """The rules of spec.yaml by id (formula text, formats, severity)."""
    return {r["id"]: r for r in raw_spec()["rules"]}


def section4_groups() -> dict[str, str]:
    """Section 四 groups (``review``, ``litigation.direct`` …) → their R4 rule id."""
    return dict(layout()["section4"]["groups"])


def key_kind(key: str) -> str:
    """``money`` (decimal ≥ 0), ``signed`` (2019 本年增/减) or ``count`` (integer ≥ 0)."""
    if key in MONEY_KEYS:
        return "money"
    if key.endswith(".change"):
        return "signed"
    return "count"
