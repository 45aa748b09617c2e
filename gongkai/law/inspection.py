"""Would this government website pass the national inspection? 《政府网站与政务新媒体检查指标》.

The State Council General Office (国务院办公厅秘书局, 国办秘函〔2019〕19号, 2019-04-01) samples every
government website and every government 政务新媒体 account each half year. Its indicators have
three parts (website-rules.md §2.1, verified):

- 单项否决指标: a website showing any of these situations is **不合格** and nothing else is scored;
- 扣分指标, worth 100 points: otherwise the deductions are scored; **below 60 is 不合格**; a single
  indicator never loses more than its own points;
- 加分指标, worth 30 points, scored only for a site **above 80**; final score = part 2 + part 3.

This module checks the facts the portal can know about one site on one day (`SiteFacts`, gathered
by the caller: page dates, columns, messages, probes, links …) against a `RuleSet` and says what
an inspector would find (`inspect_site`). Every threshold and weight is data
(``gongkai/law/inspection_rules/national-2019.json``); a province loads its own file with
`load_rules` (the whole file, or ``"extends": "national-2019"`` plus the values it changes).

Single-veto items implemented (thresholds from the source, website-rules.md §2.2 and §2.3):

- 站点无法访问 (``veto.unreachable``): the **7** days before the check day, at least **20** visits a
  day; a visit that failed or took more than **15 s** is a failure; failures **≥ 5 %** → veto.
  Fewer visits than that on any day → the check is *unchecked*, never passed.
- 首页不更新 (``veto.home_not_updated``): no dated item on the home page (or, for a navigation home
  page, on the second-level pages) within **14** days; an item without a date counts as not updated.
- 栏目不更新 (three ways): ``veto.columns_not_updated`` — **≥ 5** columns among 动态/要闻 columns
  without news for 14 days and 通知公告/政策文件 first-level columns without an item for **6 months**;
  ``veto.long_stale_columns`` — **≥ 10** columns that should be updated but have not been for a long
  time (“long” = **365 days: our default, UNVERIFIED** — the source gives no number);
  ``veto.empty_columns`` — **≥ 5** empty columns. An empty column is counted only as empty, not
  also as not updated.
- 互动回应差: ``veto.no_interaction`` — no working channel for consultation/suggestions
  (网上信访 and 纪检举报 do not count); ``veto.unanswered_message`` — a valid message left unanswered
  for **more than 3 months** within the year before the check (在线访谈/调查征集/网上信访/纪检举报 and
  invalid messages excluded: the caller passes ``counts=False``).
- 政务新媒体: ``newmedia.not_updated`` (no update in **14** days) and ``newmedia.no_interaction``
  (no working interaction function). These make the *account* 不合格 (`Inspection.new_media_state`),
  not the website.

Not implemented, because the portal cannot know it or the source does not give it: 安全、泄密事故
(editorial and security incidents) and 服务不实用 (its thresholds are UNVERIFIED; the completeness of
办事指南 is scored below as a deduction instead).

How days and months are counted. A 14-day rule: the 14 days are those ending on the check day, so
an item published 13 days before the check still counts, one published 14 days before does not
(the strict reading: an inspector counting the 14 days *before* the check day would allow one
more day; we prefer to warn a day early). A month rule counts calendar months (six months ≈ 183
days): a column whose last item is of 2025-08-31 counts as not updated from 2026-02-28 (the same
day of the month, or the month's last day when it has no such day). A message is unanswered for
more than 3 months when the day after the same date three months after receipt has come without
an answer (received 2026-01-15: still in time on 2026-04-15, overdue on 2026-04-16); a message
answered that late within the year before the check counts too.

Reminders ahead of a veto: a deadline that is ``warn_days_left`` days away or closer gives a
``"warn"`` finding (a news column 10 days without news: “还有 4 天将计为不更新栏目”); a message
unanswered for ``risk_months`` (2) months, a failure rate at ``risk_failure_rate``, or a number of
bad columns one below the veto count give a ``"risk"`` finding, and the site's state becomes
“存在单项否决风险”.

Deduction indicators. The source names only fragments of the 扣分指标 (website-rules.md §2.4:
link availability, timeliness, 办事指南 completeness …); which indicators we score and **every
weight is our default, UNVERIFIED**, chosen from the rules the portal already enforces:
dead links, undated pages, policies without an interpretation and interpretations not linked to
their policy (解读回应), publication later than 20 working days (《条例》第二十六条), an incomplete
政府信息公开 column (指南、制度、法定主动公开内容、年报 by 1月31日, 《条例》第四十九条、第五十条),
incomplete 办事指南 (the eight element categories of the 2015 说明), slow replies (the agency's own
limit), repealed documents not marked (国办发〔2017〕47号), missing catalogue metadata (《条例》第十二条),
accessibility and elderly mode (国办公开办函〔2021〕28号). The bonus indicators are not modelled:
`Inspection.score` is the deduction score, and ``bonus_considered`` says whether an inspector
would go on to score the bonus.

A check that cannot be computed from the facts (no probe data, links not checked, no
accessibility run …) gives a finding of level ``"unchecked"`` (未能检查); it is never counted as
passed and is listed in `Inspection.unchecked`, but it does not change the state by itself.
Finding codes name the indicator; the level says how bad it is, so one code can appear as
``"warn"``, ``"risk"`` or ``"veto"``.
"""

from __future__ import annotations

import calendar as _stdcal
import importlib.resources
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "ACCESSIBILITY_NONE", "AccessibilityFacts", "CHANNEL_KINDS", "COLUMN_KINDS", "ChannelFacts", "ColumnFacts",
    "DEFAULT_RULES", "DisclosureColumnFacts", "Finding", "FindingItem", "GUIDE_ELEMENTS", "Indicator",
    "Inspection", "LEVELS", "LinkFacts", "MessageFacts", "NewMediaFacts", "PAGE_KINDS", "PageFacts",
    "ProbeFacts", "RuleSet", "SiteFacts", "STATE_FAIL", "STATE_PASS", "STATE_RISK", "add_months",
    "default_rules", "inspect_site", "load_rules", "parse_rules",
]

DEFAULT_RULES = "national-2019"

STATE_PASS = "合格"
STATE_RISK = "存在单项否决风险"
STATE_FAIL = "不合格"

#: Finding levels, most serious first.
LEVELS = ("veto", "risk", "deduct", "warn", "unchecked")

COLUMN_KINDS = ("news", "notice", "policy", "regular", "static")
PAGE_KINDS = ("policy", "interpretation", "guide", "article", "other")
#: Interaction channels. Only the first four are channels for consultation/suggestions; the
#: veto rule excludes 网上信访 (petition) and 纪检举报 (discipline), and the message rule also
#: 在线访谈 (interview) and 调查征集 (survey).
CHANNEL_KINDS = ("consultation", "suggestion", "mailbox", "complaint", "petition", "discipline", "interview",
                 "survey")
_CONSULT_CHANNELS = ("consultation", "suggestion", "mailbox", "complaint")
LINK_STATUSES = ("ok", "dead", "unchecked")
#: The eight element categories of a 办事指南 (2015 说明, website-rules.md §2.2).
GUIDE_ELEMENTS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程")
#: Number of statutory categories of 法定主动公开内容 the caller counts against.
STATUTORY_CATEGORIES = 15
ACCESSIBILITY_NONE = 0


# --------------------------------------------------------------------------- facts


def _one_of(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what}“{value}”无效，应为：{'、'.join(allowed)}。")


@dataclass(frozen=True)
class ColumnFacts:
    """A column of the site. ``kind``: news (动态/要闻), notice (通知公告), policy (政策文件),
    regular (other columns that should be updated), static (e.g. 机构概况: no update duty).
    ``last_item`` is the date of the newest dated item (None: no dated item)."""

    ref: str
    title: str
    kind: str
    level: int = 1
    last_item: date | None = None
    item_count: int = 0

    def __post_init__(self):
        _one_of(self.kind, COLUMN_KINDS, "栏目类型")


@dataclass(frozen=True)
class MessageFacts:
    """A message left by the public. ``counts`` is False for messages the inspection does not
    count (网上信访、纪检举报、在线访谈、调查征集 channels, invalid messages).
    ``working_days_to_reply``: working days from receipt to the answer, or, while unanswered, the
    working days passed so far (computed by the caller with the calendar); None = unknown."""

    ref: str
    title: str
    received: date
    answered: date | None = None
    counts: bool = True
    working_days_to_reply: int | None = None
    limit_days: int | None = None  # this message's own reply limit (by category); else the site's


@dataclass(frozen=True)
class ChannelFacts:
    """An interaction channel; ``has_working_form`` None = not tested."""

    ref: str
    title: str
    kind: str
    has_working_form: bool | None = None

    def __post_init__(self):
        _one_of(self.kind, CHANNEL_KINDS, "互动渠道类型")


@dataclass(frozen=True)
class ProbeFacts:
    """One availability visit: when, whether the page loaded, how long it took."""

    at: datetime
    ok: bool
    seconds: float


@dataclass(frozen=True)
class LinkFacts:
    source_ref: str
    source_title: str
    url: str
    status: str = "ok"
    reason: str = ""

    def __post_init__(self):
        _one_of(self.status, LINK_STATUSES, "链接状态")


@dataclass(frozen=True)
class PageFacts:
    """A published page. ``made`` is the 成文/生成日期; ``days_to_publish`` the working days from
    ``made`` to ``published`` (computed by the caller); ``required_missing`` the catalogue metadata
    fields that are empty; ``guide_missing`` the missing elements among `GUIDE_ELEMENTS`."""

    ref: str
    title: str
    kind: str = "article"
    published: date | None = None
    made: date | None = None
    index_number: str | None = None
    required_missing: tuple[str, ...] = ()
    interpretation_of: str | None = None
    has_interpretation: bool = False
    repealed: bool = False
    repeal_marked: bool = False
    guide_missing: tuple[str, ...] = ()
    days_to_publish: int | None = None

    def __post_init__(self):
        _one_of(self.kind, PAGE_KINDS, "页面类型")
        for element in self.guide_missing:
            _one_of(element, GUIDE_ELEMENTS, "办事指南要素")


@dataclass(frozen=True)
class DisclosureColumnFacts:
    """The 政府信息公开 column: guide, rules, how many of the statutory categories are present, and
    when the annual report for the previous year was published (None = not published)."""

    has_guide: bool
    has_rules: bool
    statutory_categories_present: int
    annual_report_published: date | None


@dataclass(frozen=True)
class AccessibilityFacts:
    """The result of an accessibility run on one page type."""

    page_type: str
    serious: int
    url: str = ""


@dataclass(frozen=True)
class NewMediaFacts:
    """A 政务新媒体 account (微信公众号, 微博, 抖音, 电子屏 …)."""

    ref: str
    name: str
    platform: str
    last_update: date | None = None
    has_interaction: bool | None = None


@dataclass(frozen=True)
class SiteFacts:
    """Everything known about one site on ``on``. ``None`` means the data is absent (the check is
    reported as unchecked); an empty list means there is none."""

    name: str
    on: date
    home_items: Sequence[date | None] = ()
    columns: Sequence[ColumnFacts] = ()
    messages: Sequence[MessageFacts] = ()
    channels: Sequence[ChannelFacts] = ()
    probes: Sequence[ProbeFacts] | None = None
    links: Sequence[LinkFacts] | None = None
    pages: Sequence[PageFacts] = ()
    disclosure_column: DisclosureColumnFacts | None = None
    accessibility: Sequence[AccessibilityFacts] | None = None
    elderly_mode: bool | None = None
    reply_limit_days: int = 5
    new_media: Sequence[NewMediaFacts] = ()


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Indicator:
    """A deduction indicator: at most ``points`` in total, ``per_item`` for each fault."""

    key: str
    points: float
    per_item: float


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    source: str
    note: str
    totals: Mapping[str, float]
    veto: Mapping[str, Mapping[str, float]]
    deductions: Mapping[str, Indicator]
    late_publication_days: int
    catalogue_kinds: tuple[str, ...]

    def v(self, rule: str, key: str) -> float:
        return self.veto[rule][key]


_INT, _NUM, _RATE = "整数", "数值", "比例"
_DOC_KEYS = ("source", "note")
_IND = {"points": _NUM, "per_item": _NUM}
_SCHEMA: dict = {
    "id": str, "title": str,
    "totals": {"deduction_part": _NUM, "bonus_part": _NUM, "pass_mark": _NUM, "bonus_above": _NUM},
    "veto": {
        "unreachable": {"days": _INT, "min_visits_per_day": _INT, "timeout_seconds": _NUM,
                        "failure_rate": _RATE, "risk_failure_rate": _RATE},
        "home_not_updated": {"days": _INT, "warn_days_left": _INT},
        "news_columns": {"days": _INT, "warn_days_left": _INT},
        "first_level_columns": {"months": _INT, "warn_days_left": _INT},
        "columns_not_updated": {"count": _INT},
        "long_stale_columns": {"days": _INT, "count": _INT},
        "empty_columns": {"count": _INT},
        "unanswered_message": {"months": _INT, "risk_months": _INT, "lookback_months": _INT},
        "new_media_not_updated": {"days": _INT, "warn_days_left": _INT},
    },
    "deductions": {
        "dead_links": _IND, "undated_pages": _IND, "policy_without_interpretation": _IND,
        "interpretation_unlinked": _IND, "late_publication": {**_IND, "working_days": _INT},
        "disclosure_column_incomplete": _IND, "guide_incomplete": _IND, "slow_replies": _IND,
        "repeal_unmarked": _IND, "catalogue_metadata": _IND, "accessibility": _IND, "elderly_mode": _IND,
    },
    "catalogue_kinds": list,
}


def _check(value: object, schema: object, key: str, where: str) -> None:
    def bad(why: str) -> ValueError:
        return ValueError(f"检查指标文件{where}中的“{key}”{why}")

    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise bad(f"应为对象（键值表），实际为 {value!r}。")
        for k, sub in schema.items():
            name = f"{key}.{k}" if key else k
            if k not in value:
                raise ValueError(f"检查指标文件{where}缺少“{name}”。")
            _check(value[k], sub, name, where)
        for k in value:
            name = f"{key}.{k}" if key else k
            if k in _DOC_KEYS:
                if not isinstance(value[k], str):
                    raise ValueError(f"检查指标文件{where}中的“{name}”应为文字。")
            elif k not in schema:
                raise ValueError(f"检查指标文件{where}中有未知的键“{name}”。")
    elif schema is str:
        if not isinstance(value, str) or not value.strip():
            raise bad("应为非空文字。")
    elif schema is list:
        if not isinstance(value, list) or not all(isinstance(x, str) and x in PAGE_KINDS for x in value):
            raise bad(f"应为页面类型列表（{'、'.join(PAGE_KINDS)}），实际为 {value!r}。")
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"应为{schema}，实际为 {value!r}。")
        if schema == _INT and not isinstance(value, int):
            raise bad(f"应为整数，实际为 {value!r}。")
        if value < 0:
            raise bad(f"不能为负数，实际为 {value!r}。")
        if schema == _RATE and value > 1:
            raise bad(f"应为 0 到 1 之间的比例，实际为 {value!r}。")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def _bundled(rules_id: str) -> dict:
    path = importlib.resources.files("gongkai.law") / "inspection_rules" / f"{rules_id}.json"
    if not path.is_file():
        raise ValueError(f"没有名为 {rules_id} 的检查指标文件。")
    return json.loads(path.read_text(encoding="utf-8"))


def parse_rules(raw: object, where: str = "") -> RuleSet:
    """A `RuleSet` from parsed JSON; ``{"extends": "<bundled id>", …}`` overrides a bundled file."""
    if not isinstance(raw, dict):
        raise ValueError(f"检查指标文件{where}应为一个 JSON 对象。")
    if "extends" in raw:
        base_id = raw["extends"]
        if not isinstance(base_id, str):
            raise ValueError(f"检查指标文件{where}中的“extends”应为文字。")
        raw = _merge(_bundled(base_id), {k: v for k, v in raw.items() if k != "extends"})
    _check(raw, _SCHEMA, "", where)
    deductions = {k: Indicator(k, float(v["points"]), float(v["per_item"])) for k, v in raw["deductions"].items()}
    veto = {k: MappingProxyType({kk: vv for kk, vv in v.items() if kk not in _DOC_KEYS})
            for k, v in raw["veto"].items()}
    return RuleSet(
        id=raw["id"], title=raw["title"], source=raw.get("source", ""), note=raw.get("note", ""),
        totals=MappingProxyType({k: float(v) for k, v in raw["totals"].items() if k not in _DOC_KEYS}),
        veto=MappingProxyType(veto), deductions=MappingProxyType(deductions),
        late_publication_days=int(raw["deductions"]["late_publication"]["working_days"]),
        catalogue_kinds=tuple(raw["catalogue_kinds"]),
    )


def load_rules(path: str | Path) -> RuleSet:
    """Load a rules file (a province's own, or one extending a bundled file); `ValueError` in
    Chinese, naming the bad key, when it is not valid."""
    where = f" {path} "
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ValueError(f"无法读取检查指标文件{where}：{e}") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"检查指标文件{where}不是有效的 JSON（第 {e.lineno} 行）。") from e
    return parse_rules(raw, where)


def default_rules() -> RuleSet:
    """The bundled national indicators (国办秘函〔2019〕19号)."""
    return parse_rules(_bundled(DEFAULT_RULES), f" {DEFAULT_RULES} ")


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class FindingItem:
    """One page, column, message … behind a finding; ``on`` its date, ``note`` the figures."""

    ref: str
    title: str
    on: date | None = None
    note: str = ""

    def to_dict(self) -> dict:
        return {"ref": self.ref, "title": self.title, "on": self.on.isoformat() if self.on else None,
                "note": self.note}


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    title: str
    detail: str
    fix: str
    items: tuple[FindingItem, ...] = ()
    points: float = 0.0

    def to_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "title": self.title, "detail": self.detail,
                "fix": self.fix, "items": [i.to_dict() for i in self.items], "points": self.points}


@dataclass(frozen=True)
class Inspection:
    """The outcome. ``state`` is the website's (合格 / 存在单项否决风险 / 不合格); ``score`` is None
    when a single veto applies (nothing else is scored), ``deduction_score`` is computed anyway for
    information. ``new_media_state`` is that of the 政务新媒体 accounts (None: there are none)."""

    name: str
    on: date
    rules: str
    state: str
    score: float | None
    deduction_score: float
    bonus_considered: bool
    new_media_state: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def unchecked(self) -> list[Finding]:
        """What could not be checked (未能检查): never counted as passed."""
        return [f for f in self.findings if f.level == "unchecked"]

    @property
    def vetoes(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "veto"]

    def codes(self, level: str | None = None) -> list[str]:
        return [f.code for f in self.findings if level is None or f.level == level]

    def to_dict(self) -> dict:
        return {"name": self.name, "on": self.on.isoformat(), "rules": self.rules, "state": self.state,
                "score": self.score, "deduction_score": self.deduction_score,
                "bonus_considered": self.bonus_considered, "new_media_state": self.new_media_state,
                "findings": [f.to_dict() for f in self.findings],
                "unchecked": [f.code for f in self.unchecked]}


# --------------------------------------------------------------------------- helpers


def add_months(d: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier); the month's last day when that
    month is shorter (2025-08-31 + 6 → 2026-02-28)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _stdcal.monthrange(year, month)[1]))


def _n(x: float) -> str:
    return f"{x:g}"


def _level_by_count(n: int, veto_count: int, warn: bool) -> str | None:
    if n >= veto_count:
        return "veto"
    if n == veto_count - 1 and n > 0:
        return "risk"
    if n > 0 or warn:
        return "warn"
    return None


def _unchecked(code: str, title: str, detail: str, fix: str, items=()) -> Finding:
    return Finding(code, "unchecked", title, f"未能检查：{detail}", fix, tuple(items))


def _deduct(rules: RuleSet, key: str, title: str, detail: str, fix: str, items: Sequence[FindingItem],
            count: int | None = None) -> Finding | None:
    """A deduction finding for ``count`` faults (default: one per item), capped at the indicator."""
    n = len(items) if count is None else count
    if n == 0:
        return None
    ind = rules.deductions[key]
    raw = n * ind.per_item
    points = min(raw, ind.points)
    capped = f"，本项最多扣 {_n(ind.points)} 分" if raw > ind.points else ""
    return Finding(f"deduct.{key}", "deduct", title,
                   f"{detail}每项扣 {_n(ind.per_item)} 分，共扣 {_n(points)} 分{capped}。", fix, tuple(items), points)


# --------------------------------------------------------------------------- single veto


def _unreachable(f: SiteFacts, r: RuleSet) -> list[Finding]:
    code, title = "veto.unreachable", "站点无法访问"
    days, per_day = int(r.v("unreachable", "days")), int(r.v("unreachable", "min_visits_per_day"))
    timeout, limit = r.v("unreachable", "timeout_seconds"), r.v("unreachable", "failure_rate")
    risk = r.v("unreachable", "risk_failure_rate")
    fix = "保证网站稳定可访问：检查服务器、带宽与防护策略，确保首页在 15 秒内打开。"
    if f.probes is None:
        return [_unchecked(code, title, f"没有可用性监测数据（应连续 {days} 天、每天至少 {per_day} 次访问首页）。",
                           "启用可用性监测，每天定时访问首页不少于规定次数。")]
    window = [f.on - timedelta(days=k) for k in range(days, 0, -1)]
    by_day: dict[date, list[ProbeFacts]] = {d: [] for d in window}
    for p in f.probes:
        if p.at.date() in by_day:
            by_day[p.at.date()].append(p)
    failed = {d: sum(1 for p in ps if not p.ok or p.seconds > timeout) for d, ps in by_day.items()}
    visits, failures = sum(len(ps) for ps in by_day.values()), sum(failed.values())
    rate = failures / visits if visits else 0.0
    items = tuple(FindingItem(d.isoformat(), f"{d.isoformat()} 监测", d, f"访问 {len(by_day[d])} 次，失败 {failed[d]} 次")
                  for d in window if failed[d] or len(by_day[d]) < per_day)
    seen = f"检查日前 {days} 天（{window[0]} 至 {window[-1]}）共访问 {visits} 次，失败（含超过 {_n(timeout)} 秒未打开）{failures} 次"
    short = [d for d in window if len(by_day[d]) < per_day]
    if short:
        return [_unchecked(code, title, f"{seen}；其中 {len(short)} 天访问不足 {per_day} 次，监测数据不足以判断。",
                           "补足可用性监测：每天至少访问规定次数。", items)]
    if rate >= limit:
        return [Finding(code, "veto", title, f"{seen}，失败率 {rate:.1%}，达到 {limit:.0%}，属单项否决。", fix, items)]
    if rate >= risk:
        return [Finding(code, "risk", title, f"{seen}，失败率 {rate:.1%}，接近 {limit:.0%} 的否决线。", fix, items)]
    return []


def _home(f: SiteFacts, r: RuleSet) -> list[Finding]:
    code, title = "veto.home_not_updated", "首页不更新"
    days, warn = int(r.v("home_not_updated", "days")), int(r.v("home_not_updated", "warn_days_left"))
    fix = "在首页（或导航式首页的二级页面）发布新信息，并为每条信息标注发布日期。"
    dated = [d for d in f.home_items if d is not None and d <= f.on]
    undated = sum(1 for d in f.home_items if d is None)
    note = f"（另有 {undated} 条信息未标注日期，按未更新计）" if undated else ""
    if not dated:
        return [Finding(code, "veto", title, f"首页没有标注发布日期的信息{note}，按首页不更新计，属单项否决。", fix,
                        (FindingItem("home", "首页", None, f"带发布日期的信息 0 条，无日期的 {undated} 条"),))]
    last = max(dated)
    age = (f.on - last).days
    item = (FindingItem("home", "首页", last, f"已 {age} 天未更新"),)
    if age >= days:
        return [Finding(code, "veto", title,
                        f"首页最近一条信息发布于 {last}，距检查日已 {age} 天，{days} 天内无更新{note}，属单项否决。", fix, item)]
    if days - age <= warn:
        return [Finding(code, "warn", title,
                        f"首页最近一条信息发布于 {last}，已 {age} 天未更新，还有 {days - age} 天将计为首页不更新（单项否决）。",
                        fix, item)]
    return []


def _column_deadline(c: ColumnFacts, r: RuleSet) -> tuple[date | None, int] | None:
    """For a column under the 2-week / 6-month rule: (the day it counts as not updated, the warning
    lead in days); None if the rule does not apply. A column without a dated item is already due."""
    if c.item_count == 0:
        return None  # counted as empty (veto.empty_columns), not twice
    if c.kind == "news":
        lead = int(r.v("news_columns", "warn_days_left"))
        return (c.last_item + timedelta(days=int(r.v("news_columns", "days"))) if c.last_item else None), lead
    if c.kind in ("notice", "policy") and c.level == 1:
        lead = int(r.v("first_level_columns", "warn_days_left"))
        return (add_months(c.last_item, int(r.v("first_level_columns", "months"))) if c.last_item else None), lead
    return None


def _columns(f: SiteFacts, r: RuleSet) -> list[Finding]:
    out: list[Finding] = []
    days, months = int(r.v("news_columns", "days")), int(r.v("first_level_columns", "months"))
    count = int(r.v("columns_not_updated", "count"))
    stale, due = [], []
    for c in f.columns:
        dl = _column_deadline(c, r)
        if dl is None:
            continue
        stale_on, lead = dl
        if stale_on is None:
            stale.append(FindingItem(c.ref, c.title, None, "栏目内信息均未标注日期，按未更新计"))
        elif f.on >= stale_on:
            stale.append(FindingItem(c.ref, c.title, c.last_item,
                                     f"最近更新 {c.last_item}，已 {(f.on - c.last_item).days} 天未更新"))
        elif (stale_on - f.on).days <= lead:
            due.append(FindingItem(c.ref, c.title, c.last_item,
                                   f"已 {(f.on - c.last_item).days} 天未更新，还有 {(stale_on - f.on).days} 天将计为不更新栏目"))
    level = _level_by_count(len(stale), count, bool(due))
    if level:
        detail = (f"{len(stale)} 个栏目未按期更新（动态/要闻类 {days} 天内、通知公告/政策文件类一级栏目 {months} 个月内无新信息），"
                  f"达到 {count} 个即单项否决。")
        if due:
            detail += f"另有 {len(due)} 个栏目即将到期。"
        out.append(Finding("veto.columns_not_updated", level, "栏目不更新", detail,
                           "及时更新列出的栏目；确实无法保障更新的栏目应整合或关停。", tuple(stale + due)))

    long_days, long_count = int(r.v("long_stale_columns", "days")), int(r.v("long_stale_columns", "count"))
    long_stale = [FindingItem(c.ref, c.title, c.last_item,
                              f"已 {(f.on - c.last_item).days} 天未更新" if c.last_item else "栏目内信息均未标注日期")
                  for c in f.columns
                  if c.kind != "static" and c.item_count > 0
                  and (c.last_item is None or (f.on - c.last_item).days >= long_days)]
    level = _level_by_count(len(long_stale), long_count, False)
    if level:
        out.append(Finding("veto.long_stale_columns", level, "栏目长期未更新",
                           f"{len(long_stale)} 个应更新栏目超过 {long_days} 天未更新（“长期”天数为本系统默认值），"
                           f"达到 {long_count} 个即单项否决。",
                           "更新这些栏目，或将不再维护的栏目整合、归档后下线。", tuple(long_stale)))

    empty_count = int(r.v("empty_columns", "count"))
    empty = [FindingItem(c.ref, c.title, None, "栏目内没有信息") for c in f.columns if c.item_count == 0]
    level = _level_by_count(len(empty), empty_count, False)
    if level:
        out.append(Finding("veto.empty_columns", level, "空白栏目",
                           f"{len(empty)} 个栏目没有任何信息，达到 {empty_count} 个即单项否决。",
                           "为空白栏目补充内容，或下线该栏目；不要发布没有内容的栏目。", tuple(empty)))
    return out


def _interaction(f: SiteFacts, r: RuleSet) -> list[Finding]:
    out: list[Finding] = []
    code, title = "veto.no_interaction", "无有效互动渠道"
    consult = [c for c in f.channels if c.kind in _CONSULT_CHANNELS]
    if not any(c.has_working_form is True for c in consult):
        untested = [c for c in consult if c.has_working_form is None]
        items = tuple(FindingItem(c.ref, c.title, None, "未检测") for c in untested)
        if untested:
            out.append(_unchecked(code, title, "咨询/建议类互动渠道的提交功能未经检测。",
                                  "检测互动渠道能否正常提交留言。", items))
        else:
            broken = (tuple(FindingItem(c.ref, c.title, None, "提交功能不可用") for c in consult)
                      or tuple(FindingItem(c.ref, c.title, None, "不计入（非咨询、建议类渠道）") for c in f.channels)
                      or (FindingItem("channels", "互动渠道", None, "没有任何互动渠道"),))
            out.append(Finding(code, "veto", title,
                               "网站没有可正常使用的咨询、建议类在线互动渠道（网上信访、纪检举报渠道不计），属单项否决。",
                               "开设政务咨询或意见建议栏目，并保证留言提交功能可用。", broken))

    months, risk_months = int(r.v("unanswered_message", "months")), int(r.v("unanswered_message", "risk_months"))
    start = add_months(f.on, -int(r.v("unanswered_message", "lookback_months")))
    overdue, risky = [], []
    for m in f.messages:
        if not m.counts or m.received > f.on:
            continue
        answered = m.answered if m.answered is not None and m.answered <= f.on else None
        end = answered or f.on
        deadline = add_months(m.received, months)
        if end > deadline and end >= start:
            note = (f"{m.received} 收到，{answered} 才答复，超过 {months} 个月" if answered
                    else f"{m.received} 收到，至今未答复，已超过 {months} 个月")
            overdue.append(FindingItem(m.ref, m.title, m.received, note))
        elif answered is None and f.on >= add_months(m.received, risk_months):
            risky.append(FindingItem(m.ref, m.title, m.received,
                                     f"{m.received} 收到，至今未答复，{deadline} 后即超过 {months} 个月"))
    if overdue:
        out.append(Finding("veto.unanswered_message", "veto", "留言超期未答复",
                           f"检查日前一年内有 {len(overdue)} 条有效留言超过 {months} 个月未答复，属单项否决。",
                           "立即答复这些留言，并建立留言办理时限提醒。", tuple(overdue + risky)))
    elif risky:
        out.append(Finding("veto.unanswered_message", "risk", "留言即将超期未答复",
                           f"{len(risky)} 条有效留言已超过 {risk_months} 个月未答复，超过 {months} 个月即单项否决。",
                           "在期限前答复这些留言。", tuple(risky)))
    return out


def _new_media(f: SiteFacts, r: RuleSet) -> list[Finding]:
    out: list[Finding] = []
    days, lead = int(r.v("new_media_not_updated", "days")), int(r.v("new_media_not_updated", "warn_days_left"))
    stale, due = [], []
    for a in f.new_media:
        label = f"{a.platform}“{a.name}”"
        last = a.last_update if a.last_update is not None and a.last_update <= f.on else None
        if last is None:
            stale.append(FindingItem(a.ref, label, None, "没有更新记录"))
            continue
        age = (f.on - last).days
        if age >= days:
            stale.append(FindingItem(a.ref, label, last, f"最近更新 {last}，已 {age} 天未更新"))
        elif days - age <= lead:
            due.append(FindingItem(a.ref, label, last, f"已 {age} 天未更新，还有 {days - age} 天将计为不更新"))
    fix = "按期更新政务新媒体账号；无力维护的账号应整合或关停注销。"
    if stale:
        out.append(Finding("newmedia.not_updated", "veto", "政务新媒体不更新",
                           f"{len(stale)} 个政务新媒体账号 {days} 天内无更新，该账号单项否决（不合格）。", fix,
                           tuple(stale + due)))
    elif due:
        out.append(Finding("newmedia.not_updated", "warn", "政务新媒体即将超期未更新",
                           f"{len(due)} 个政务新媒体账号即将达到 {days} 天未更新。", fix, tuple(due)))
    no_int = [FindingItem(a.ref, f"{a.platform}“{a.name}”", None, "无有效互动功能")
              for a in f.new_media if a.has_interaction is False]
    unknown = [FindingItem(a.ref, f"{a.platform}“{a.name}”", None, "未检测")
               for a in f.new_media if a.has_interaction is None]
    if no_int:
        out.append(Finding("newmedia.no_interaction", "veto", "政务新媒体无有效互动功能",
                           f"{len(no_int)} 个政务新媒体账号未提供有效互动功能，该账号单项否决（不合格）。",
                           "开通留言、私信或评论等互动功能并安排专人回复。", tuple(no_int)))
    if unknown:
        out.append(_unchecked("newmedia.no_interaction", "政务新媒体互动功能",
                              f"{len(unknown)} 个政务新媒体账号的互动功能未经检测。", "检测各账号的互动功能。", unknown))
    return out


# --------------------------------------------------------------------------- deductions


def _deductions(f: SiteFacts, r: RuleSet) -> list[Finding | None]:
    out: list[Finding | None] = []
    pages = list(f.pages)

    if f.links is None:
        out.append(_unchecked("deduct.dead_links", "链接可用性", "没有链接检查数据。", "运行链接检查。"))
    else:
        dead = [FindingItem(lk.source_ref, lk.source_title, None, f"{lk.url}{'：' + lk.reason if lk.reason else ''}")
                for lk in f.links if lk.status == "dead"]
        out.append(_deduct(r, "dead_links", "错链、断链", f"发现 {len(dead)} 个无法访问的链接，", "修复或删除这些链接。", dead))
        left = [FindingItem(lk.source_ref, lk.source_title, None, lk.url) for lk in f.links if lk.status == "unchecked"]
        if left:
            out.append(_unchecked("deduct.dead_links", "链接可用性", f"{len(left)} 个链接尚未检查。", "完成链接检查。", left))

    undated = [FindingItem(p.ref, p.title, None, "未标注发布日期") for p in pages if p.published is None]
    out.append(_deduct(r, "undated_pages", "信息未标注发布日期", f"{len(undated)} 条信息未标注发布日期，",
                       "为每条信息标注发布日期。", undated))

    no_interp = [FindingItem(p.ref, p.title, p.published, "无解读") for p in pages
                 if p.kind == "policy" and not p.repealed and not p.has_interpretation]
    out.append(_deduct(r, "policy_without_interpretation", "政策文件缺少解读",
                       f"{len(no_interp)} 件政策文件没有配套解读，", "为政策文件发布解读，并与文件相互关联。", no_interp))

    unlinked = [FindingItem(p.ref, p.title, p.published, "未关联政策文件") for p in pages
                if p.kind == "interpretation" and not p.interpretation_of]
    out.append(_deduct(r, "interpretation_unlinked", "解读未关联政策文件",
                       f"{len(unlinked)} 篇解读没有关联所解读的政策文件，", "在解读与文件之间建立关联链接。", unlinked))

    limit = r.late_publication_days
    late = [FindingItem(p.ref, p.title, p.published, f"{p.made} 成文，{p.published} 发布，历时 {p.days_to_publish} 个工作日")
            for p in pages if p.days_to_publish is not None and p.days_to_publish > limit]
    out.append(_deduct(r, "late_publication", "信息公开不及时",
                       f"{len(late)} 条信息自形成之日起超过 {limit} 个工作日才公开（《条例》第二十六条），",
                       f"自信息形成或变更之日起 {limit} 个工作日内公开。", late))
    unknown = [FindingItem(p.ref, p.title, p.published, "缺少公开用时") for p in pages
               if p.made is not None and p.published is not None and p.days_to_publish is None]
    if unknown:
        out.append(_unchecked("deduct.late_publication", "信息公开及时性",
                              f"{len(unknown)} 条信息未计算成文至发布的工作日数。", "补算公开用时。", unknown))

    dc = f.disclosure_column
    if dc is None:
        out.append(_unchecked("deduct.disclosure_column_incomplete", "政府信息公开专栏", "没有专栏检查数据。",
                              "检查政府信息公开专栏的指南、制度、法定主动公开内容和年报。"))
    else:
        items, n = [], 0
        if not dc.has_guide:
            items.append(FindingItem("guide", "政府信息公开指南", None, "缺失")); n += 1
        if not dc.has_rules:
            items.append(FindingItem("rules", "政府信息公开制度", None, "缺失")); n += 1
        missing = max(0, STATUTORY_CATEGORIES - dc.statutory_categories_present)
        if missing:
            items.append(FindingItem("statutory", "法定主动公开内容", None,
                                     f"{STATUTORY_CATEGORIES} 类中缺 {missing} 类")); n += missing
        deadline = date(f.on.year, 1, 31)
        report = dc.annual_report_published
        report_warn = None
        if report is None and f.on > deadline:
            items.append(FindingItem("annual_report", f"{f.on.year - 1} 年政府信息公开工作年度报告", None, "未公布")); n += 1
        elif report is not None and report > deadline:
            items.append(FindingItem("annual_report", f"{f.on.year - 1} 年政府信息公开工作年度报告", report,
                                     f"{report} 才公布，晚于 1 月 31 日")); n += 1
        elif report is None:
            report_warn = Finding("deduct.disclosure_column_incomplete", "warn", "年度报告尚未公布",
                                  f"{f.on.year - 1} 年政府信息公开工作年度报告应于 {deadline} 前公布，"
                                  f"还有 {(deadline - f.on).days + 1} 天（含当天）。",
                                  "按期公布年度报告（《条例》第四十九条）。")
        out.append(_deduct(r, "disclosure_column_incomplete", "政府信息公开专栏不完整",
                           "政府信息公开专栏缺少应有内容（指南、制度、法定主动公开内容、年度报告），",
                           "补齐专栏内容；年度报告于每年 1 月 31 日前公布。", items, n))
        out.append(report_warn)

    guides = [FindingItem(p.ref, p.title, p.published, "缺少：" + "、".join(p.guide_missing)) for p in pages
              if p.kind == "guide" and p.guide_missing]
    out.append(_deduct(r, "guide_incomplete", "办事指南要素不全",
                       f"{len(guides)} 个办事指南缺少要素（{'、'.join(GUIDE_ELEMENTS)}），", "补齐办事指南的各项要素。", guides))

    slow = [FindingItem(m.ref, m.title, m.received,
                        f"{'答复用时' if m.answered else '已等待'} {m.working_days_to_reply} 个工作日，"
                        f"时限 {m.limit_days or f.reply_limit_days} 个工作日")
            for m in f.messages if m.counts and m.working_days_to_reply is not None
            and m.working_days_to_reply > (m.limit_days or f.reply_limit_days)]
    out.append(_deduct(r, "slow_replies", "留言答复超时",
                       f"{len(slow)} 条留言超过本单位承诺的答复期限，",
                       "按承诺时限答复留言。", slow))

    unmarked = [FindingItem(p.ref, p.title, p.published, "已废止未标注") for p in pages if p.repealed and not p.repeal_marked]
    out.append(_deduct(r, "repeal_unmarked", "废止文件未标注",
                       f"{len(unmarked)} 件已修改、废止或失效的文件未在原文上标注，", "在原文显著位置标注“已废止”“已修改”或“已失效”。",
                       unmarked))

    meta = []
    for p in pages:
        if p.kind not in r.catalogue_kinds:
            continue
        missing_fields = list(p.required_missing)
        if not p.index_number and "索引号" not in missing_fields:
            missing_fields.insert(0, "索引号")
        if missing_fields:
            meta.append(FindingItem(p.ref, p.title, p.published, "缺少：" + "、".join(missing_fields)))
    out.append(_deduct(r, "catalogue_metadata", "公开目录信息要素缺失",
                       f"{len(meta)} 条目录信息缺少必填要素（索引、名称、生成日期等，《条例》第十二条），",
                       "补齐索引号、名称、生成日期等目录要素。", meta))

    if f.accessibility is None:
        out.append(_unchecked("deduct.accessibility", "无障碍", "没有无障碍检测数据。", "对主要页面类型运行无障碍检测。"))
    else:
        bad = [FindingItem(a.page_type, a.page_type, None, f"严重问题 {a.serious} 个{'：' + a.url if a.url else ''}")
               for a in f.accessibility if a.serious > ACCESSIBILITY_NONE]
        out.append(_deduct(r, "accessibility", "无障碍问题", f"{len(bad)} 类页面存在严重无障碍问题（GB/T 37668），",
                           "按 GB/T 37668 修复这些页面。", bad))

    if f.elderly_mode is None:
        out.append(_unchecked("deduct.elderly_mode", "适老化", "未检查是否提供适老化（关怀）模式。", "检查适老化模式。"))
    elif not f.elderly_mode:
        out.append(_deduct(r, "elderly_mode", "未提供适老化模式", "网站未提供适老化（关怀）模式，",
                           "按《互联网网站适老化通用设计规范》提供适老化模式。",
                           [FindingItem("elderly_mode", "适老化模式", None, "未提供")]))
    return out


# --------------------------------------------------------------------------- inspection


def inspect_site(facts: SiteFacts, rules: RuleSet | None = None) -> Inspection:
    """What an inspector would find on ``facts.on`` under ``rules`` (default: the national rules)."""
    r = rules or default_rules()
    site_vetoes: list[Finding] = []
    site_vetoes += _unreachable(facts, r)
    site_vetoes += _home(facts, r)
    site_vetoes += _columns(facts, r)
    site_vetoes += _interaction(facts, r)
    media = _new_media(facts, r)
    deductions = [x for x in _deductions(facts, r) if x is not None]

    findings = site_vetoes + media + deductions
    lost = sum(x.points for x in deductions if x.level == "deduct")
    part = r.totals["deduction_part"]
    deduction_score = max(0.0, part - lost)
    vetoed = any(x.level == "veto" for x in site_vetoes)
    if vetoed or deduction_score < r.totals["pass_mark"]:
        state = STATE_FAIL
    elif any(x.level == "risk" for x in site_vetoes):
        state = STATE_RISK
    else:
        state = STATE_PASS
    if not facts.new_media:
        media_state = None
    elif any(x.level == "veto" for x in media):
        media_state = STATE_FAIL
    else:
        media_state = STATE_PASS
    return Inspection(
        name=facts.name, on=facts.on, rules=r.id, state=state,
        score=None if vetoed else deduction_score, deduction_score=deduction_score,
        bonus_considered=not vetoed and deduction_score > r.totals["bonus_above"],
        new_media_state=media_state, findings=findings,
    )
