"""Facts for the prose sections 一, 五 and 六, and the draft text pre-filled with them.

Why: the officer should edit a text that already carries the year's numbers (applications,
fees from the fee ledger, last year's problems, messages and tickets), not write from an
empty page and retype figures that then disagree with the tables. Parts only a person can
write are marked 【请填写…】; a report still containing such a mark cannot be signed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from gongkai.applications.models import Fee
from gongkai.interaction.stats import interaction_summary
from gongkai.law.reportformat import spec
from gongkai.portal.models.page_base import DisclosablePage

from .compute import Computation, period

log = logging.getLogger(__name__)

@dataclass
class Facts:
    year: int
    format: str
    cells: dict
    fees: dict
    published_items: int | None = None
    interaction: dict = field(default_factory=dict)
    previous_problems: str | None = None
    previous_label: str = ""


def fee_facts(agency, year: int) -> dict:
    """From the fee ledger: notices sent, amounts due and paid, applications closed unpaid."""
    start, end = period(year)
    fees = Fee.objects.filter(agency=agency)
    notices = fees.filter(notice_sent_on__gte=start, notice_sent_on__lte=end).aggregate(
        n=Count("pk"), amount=Sum("amount"))
    paid = fees.filter(paid_on__gte=start, paid_on__lte=end).aggregate(n=Count("pk"), amount=Sum("amount_paid"))
    expired = fees.filter(expired_on__gte=start, expired_on__lte=end).count()
    return {"notices": notices["n"], "notices_amount": notices["amount"] or Decimal("0"),
            "paid": paid["n"], "paid_amount": paid["amount"] or Decimal("0"), "expired": expired}


def published_items(agency, year: int) -> int | None:
    """Items the agency published on the portal in the year (its catalogue), when the portal is in use."""
    start, end = period(year)
    qs = DisclosablePage.objects.filter(agency=agency, live=True)
    if not qs.exists():
        return None
    return qs.filter(first_published_at__date__gte=start, first_published_at__date__lte=end).count()


def interaction_summary_function():
    """The interaction app's `interaction_summary(agency, start, end)` (an installed app)."""
    return interaction_summary


def interaction_facts(agency, year: int) -> dict:
    """Messages and tickets received in the year (interaction_summary), or {} when unavailable."""
    fn = interaction_summary_function()
    if fn is None:
        return {}
    start, end = period(year)
    try:
        summary = fn(agency, start, end) or {}
    except Exception:  # noqa: BLE001 - a failing summary must not block the report
        log.exception("interaction_summary failed")
        return {}
    return summary if summary.get("received") or summary.get("invalid") else {}


def interaction_sentence(summary: dict) -> str:
    """"本年度受理110联动受理单82件，百姓呼声271件，共353件；已答复340件（按时答复331件）……"."""
    if not summary:
        return ""
    text = f"本年度受理{summary.get('sentence') or '网民留言和工单'}，共{summary['received']}件"
    replied = summary.get("replied", 0)
    text += f"；已答复{replied}件"
    if replied:
        text += f"（按时答复{summary.get('replied_on_time', 0)}件）"
    if summary.get("open"):
        text += f"，正在办理{summary['open']}件"
    if summary.get("converted"):
        text += f"，转为政府信息公开申请办理{summary['converted']}件"
    return text + "。"


def gather(agency, year: int, comp: Computation, previous) -> Facts:
    facts = Facts(year=year, format=comp.format, cells=comp.cells, fees=fee_facts(agency, year),
                  published_items=published_items(agency, year), interaction=interaction_facts(agency, year))
    if previous is not None and previous.source != "none":
        text = (previous.sections.get("五") or "").strip()
        facts.previous_problems = text or None
        facts.previous_label = previous.label
    return facts


def _money(v: Decimal) -> str:
    return f"{Decimal(v).quantize(Decimal('0.01')):,}元"


def _c(cells: dict, key: str) -> int:
    v = cells.get(key, 0)
    return int(v) if isinstance(v, (int, float)) else 0


def _result_summary(facts: Facts) -> str:
    cells, fmt = facts.cells, spec.get_format(facts.format)
    groups = [("予以公开", ["result.granted"]), ("部分公开", ["result.partial"]),
              ("不予公开", [r for r in fmt.result_rows() if r.startswith("result.denied.")]),
              ("无法提供", [r for r in fmt.result_rows() if r.startswith("result.unable.")]),
              ("不予处理", [r for r in fmt.result_rows() if r.startswith("result.not_processed.")]),
              ("其他处理", [r for r in fmt.result_rows() if r.startswith("result.other")])]
    parts = []
    for label, rows in groups:
        n = sum(_c(cells, f"apply.{r}.total") for r in rows)
        if n:
            parts.append(f"{label}{n}件")
    return "，".join(parts)


def section1_text(facts: Facts) -> str:
    c = facts.cells
    new, carried = _c(c, "apply.new.total"), _c(c, "apply.carried_over.total")
    done, forward = _c(c, "apply.result.total.total"), _c(c, "apply.carried_forward.total")
    reviews, suits = _c(c, "review.total"), _c(c, "litigation.direct.total") + _c(c, "litigation.after_review.total")
    lines = ["（一）主动公开"]
    active = []
    if facts.published_items is not None:
        active.append(f"本年度通过门户网站主动公开政府信息{facts.published_items}条")
    issued_key = "issued" if facts.format == spec.GOV2021 else "new_made"
    docs = _c(c, f"active.art20_1.regulation.{issued_key}") + _c(c, f"active.art20_1.normative_doc.{issued_key}")
    active.append(f"本年度制发规章和行政规范性文件{docs}件")
    lines.append("，".join(active) + "。【请填写：主动公开的重点领域、政策解读等情况】")
    lines.append("（二）依申请公开")
    text = f"本年度新收政府信息公开申请{new}件，上年结转{carried}件，办结{done}件"
    summary = _result_summary(facts)
    if summary:
        text += f"（{summary}）"
    text += f"，结转下年度继续办理{forward}件。"
    if reviews or suits:
        text += f"因政府信息公开引发行政复议{reviews}件、行政诉讼{suits}件。"
    else:
        text += "未发生因政府信息公开引发的行政复议、行政诉讼。"
    lines.append(text)
    lines.append("（三）政府信息管理")
    lines.append("【请填写：公开属性认定、保密审查、政策文件清理等情况】")
    lines.append("（四）政府信息公开平台建设")
    platform = "【请填写：门户网站、政务新媒体等平台建设情况】"
    if facts.interaction:
        platform = interaction_sentence(facts.interaction) + platform
    lines.append(platform)
    lines.append("（五）监督保障")
    lines.append("【请填写：工作考核、社会评议、责任追究、培训等情况】")
    return "\n".join(lines)


def section5_text(facts: Facts) -> str:
    lines = [f"（一）{facts.year - 1}年度报告所列问题的改进情况"]
    if facts.previous_problems:
        quoted = facts.previous_problems.replace("\n", "；")
        lines.append(f"上年度报告（{facts.previous_label}）所列问题：{quoted}")
        lines.append("【请填写：上述问题的改进情况】")
    else:
        lines.append("【请填写：上年度报告所列问题及其改进情况（本系统中没有上年度报告的第五部分）】")
    lines.append(f"（二）{facts.year}年度存在的主要问题及改进措施")
    lines.append("【请填写】")
    return "\n".join(lines)


def fee_sentence(facts: Facts) -> str:
    f = facts.fees
    if not f["notices"] and not f["paid"]:
        return "本年度未收取信息处理费。"
    text = f"本年度依据《政府信息公开信息处理费管理办法》发出收费通知{f['notices']}件，应收金额合计{_money(f['notices_amount'])}"
    text += f"；实际收取信息处理费{f['paid']}件，合计{_money(f['paid_amount'])}"
    if f["expired"]:
        text += f"；{f['expired']}件申请因申请人逾期未缴费不再处理"
    return text + "。"


def section6_text(facts: Facts) -> str:
    return "\n".join([fee_sentence(facts), "【请填写：其他需要报告的事项；没有的请写“无其他需要报告的事项”】"])


def prefill(facts: Facts) -> dict[str, str]:
    return {"一": section1_text(facts), "五": section5_text(facts), "六": section6_text(facts)}


__all__ = ["Facts", "gather", "prefill", "fee_facts", "fee_sentence", "interaction_facts", "interaction_sentence"]
