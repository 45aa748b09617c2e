"""Demo section 二 figures (演示数据) of 洛阳市退役军人事务局 for 2025, entered with their source.

The rest of the 2025 report is computed from the other demo data (applications, reviews,
lawsuits, the portal's policy documents). Idempotent: an existing figure is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from .models import ActiveFigure, FigureVia

FIGURES_2025 = {
    "active.art20_5.licensing.decisions": (Decimal("0"), "演示数据：本局无行政许可事项（权责清单）"),
    "active.art20_6.penalty.decisions": (Decimal("2"), "演示数据：行政执法信息系统 2026-01-06 导出"),
    "active.art20_6.coercion.decisions": (Decimal("0"), "演示数据：行政执法信息系统 2026-01-06 导出"),
    "active.art20_8.admin_fee.amount_wan": (Decimal("0"), "演示数据：本局无行政事业性收费项目（非税收入系统）"),
}


def load(context: dict) -> list[str]:
    agency = context["agency"]
    user = context.get("users", {}).get("demo_officer")
    created = 0
    for key, (value, source) in FIGURES_2025.items():
        _row, made = ActiveFigure.objects.get_or_create(
            agency=agency, year=2025, key=key,
            defaults={"value": value, "source": source, "via": FigureVia.FORM, "entered_by": user})
        created += made
    if not created:
        return ["年度报告演示数据已存在，未重复创建。"]
    return [f"年度报告演示数据：{agency.name} 2025年度第二部分填报数据 {created} 项"
            "（其余各表由依申请公开、行政复议、行政诉讼和门户网站目录数据计算）。"]
