"""Demo annual reports (演示数据) of 洛阳市退役军人事务局: 2024 published, 2025 figures entered.

2024: the report staff would have published in January 2025, made through the same actions
staff use: section 二 figures entered with their source, the draft opened (一/五/六
pre-filled from the year's data: the four 2024 demo applications, the fee ledger, the
portal), the parts only a person can write filled in, the one warning (no 2023 report in
the system) explained, signed by the office head and published to the portal's 年报 column
with its PDF, DOCX and JSON downloads. Its figures are the system's computation, so the
2025 report's continuity checks (R7, R8) run against it.

2025: only the section 二 figures are entered; the report itself is left for staff to draft,
sign and publish (the start page shows it as late, and the browser test walks it).

Idempotent: a figure already entered is left as it is; a 2024 report already published is
left as it is (one left signed or as a draft is taken on from where it stands).
"""

from __future__ import annotations

import re
from decimal import Decimal

from gongkai.core import clock

from . import actions, release, selectors
from .models import ActiveFigure, AnnualReport, ReportStatus

FIGURES = {
    2024: {
        "active.art20_5.licensing.decisions": (Decimal("0"), "演示数据：本局无行政许可事项（权责清单）"),
        "active.art20_6.penalty.decisions": (Decimal("1"), "演示数据：行政执法信息系统 2025-01-06 导出"),
        "active.art20_6.coercion.decisions": (Decimal("0"), "演示数据：行政执法信息系统 2025-01-06 导出"),
        "active.art20_8.admin_fee.amount_wan": (Decimal("0"), "演示数据：本局无行政事业性收费项目（非税收入系统）"),
    },
    2025: {
        "active.art20_5.licensing.decisions": (Decimal("0"), "演示数据：本局无行政许可事项（权责清单）"),
        "active.art20_6.penalty.decisions": (Decimal("2"), "演示数据：行政执法信息系统 2026-01-06 导出"),
        "active.art20_6.coercion.decisions": (Decimal("0"), "演示数据：行政执法信息系统 2026-01-06 导出"),
        "active.art20_8.admin_fee.amount_wan": (Decimal("0"), "演示数据：本局无行政事业性收费项目（非税收入系统）"),
    },
}
FIGURES_2025 = FIGURES[2025]
PUBLISHED_YEAR = 2024

# What the officer writes in place of each 【请填写…】 of the pre-filled 2024 text.
FILL_2024 = {
    "【请填写：主动公开的重点领域、政策解读等情况】":
        "重点公开了退役士兵安置、优待抚恤、就业创业扶持、褒扬纪念等领域的政策文件和办事指南，"
        "对《洛阳市符合政府安排工作条件退役士兵安置办法》继续以文字和图解方式开展解读。",
    "【请填写：公开属性认定、保密审查、政策文件清理等情况】":
        "落实公文公开属性源头认定，拟公开信息一律经初审、保密审查和签发后发布；"
        "开展行政规范性文件清理，现行有效的行政规范性文件1件，本年度未制发、未废止。",
    "【请填写：门户网站、政务新媒体等平台建设情况】":
        "门户网站设置政府信息公开指南、法定主动公开内容、政府信息公开年报等栏目，及时更新，"
        "依申请公开在线申请渠道运行正常。",
    "【请填写：工作考核、社会评议、责任追究、培训等情况】":
        "将政务公开工作纳入科室年度考核，组织全体工作人员参加《中华人民共和国政府信息公开条例》业务培训2次，"
        "本年度未发生政务公开责任追究情况。",
    "【请填写：上年度报告所列问题及其改进情况（本系统中没有上年度报告的第五部分）】":
        "2023年度报告所列问题为政策解读形式较为单一、依申请公开答复文书格式不够统一。"
        "本年度增加了图解等解读形式，统一使用政府信息公开工作平台生成答复文书。",
    "【请填写】":
        "一是主动公开的时效性有待提高，部分通知公告发布不够及时；二是业务培训覆盖面不够。"
        "下一步将严格落实20个工作日内公开的要求，并将科室联络员全部纳入业务培训。",
    "【请填写：其他需要报告的事项；没有的请写“无其他需要报告的事项”】":
        "无其他需要报告的事项。",
}
# The portal's items of the demo were published before 2024, so the count the system pre-fills is 0;
# the officer says what the portal did that year instead.
NO_ITEMS = re.compile(r"本年度通过门户网站主动公开政府信息0条，")
C1_REASON = ("本局2025年起使用本平台，2023年度报告已于2024年1月在原门户网站公开；已人工核对：2023年度结转下年度"
             "继续办理0件，与本年度“上年结转”0件一致；现行有效行政规范性文件1件，与本年度一致。")


def _figures(agency, year: int, officer) -> int:
    made = 0
    for key, (value, source) in FIGURES[year].items():
        if not ActiveFigure.objects.filter(agency=agency, year=year, key=key).exists():
            actions.figure_set(agency, year, key, value, source, actor=officer)
            made += 1
    return made


def _written(text: str) -> str:
    """The pre-filled text as the officer finishes it: every 【请填写…】 replaced."""
    text = NO_ITEMS.sub("门户网站持续更新法定主动公开内容；", text)
    for mark, words in FILL_2024.items():
        text = text.replace(mark, words)
    return text


def publish_2024(agency, officer, head) -> bool:
    """The 2024 report drafted, finished, explained, signed and published as staff do; False if already public."""
    year = PUBLISHED_YEAR
    if clock.today().year <= year:
        return False
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    if report is not None and report.status == ReportStatus.PUBLISHED:
        return False
    if report is None:
        report = actions.report_start(agency, year, actor=officer)
    if report.status == ReportStatus.DRAFT:
        finished = {name: _written(getattr(report, name)) for name in ("section1", "section5", "section6")}
        if any(finished[name] != getattr(report, name) for name in finished):
            report = actions.report_update_prose(report, actor=officer, **finished)
        for found in selectors.live_state(agency, year, report).unexplained:
            actions.warning_explain(report, found.id, C1_REASON, actor=officer)
        actions.report_sign(report, actor=head)
        report.refresh_from_db()
    release.report_publish(report, actor=head)
    return True


def load(context: dict) -> list[str]:
    agency = context["agency"]
    users = context.get("users", {})
    officer, head = users.get("demo_officer"), users.get("demo_head")
    entered = sum(_figures(agency, year, officer) for year in FIGURES)
    published = publish_2024(agency, officer, head)
    if not entered and not published:
        return ["年度报告演示数据已存在，未重复创建。"]
    lines = []
    if entered:
        lines.append(f"年度报告演示数据：{agency.name} 2024、2025年度第二部分填报数据 {entered} 项"
                     "（其余各表由依申请公开、行政复议、行政诉讼和门户网站目录数据计算）。")
    if published:
        lines.append(f"年度报告演示数据：{agency.name} 2024年度报告已签发并公开（门户网站“政府信息公开年报”栏目，"
                     "提供 PDF、DOCX、JSON 下载）；2025年度报告待工作人员编制。")
    return lines
