"""Demo applications (演示数据) for 洛阳市退役军人事务局 across 2024–2026, and one for 洛阳市民政局.

All made through the actions, so every case has its events, audit rows and letters.
The 2024 and 2025 cases are fixed (the annual-report demo publishes the agency's 2024
report and computes its 2025 report from them). 2024: four cases, all decided within the
year (so nothing carries over into 2025). 2025: decided with several outcomes and applicant
kinds, one carried over into 2026, a reconsideration and a litigation. The open cases are
placed relative to today so the deadlines board always has something to show. Idempotent:
nothing is created twice (the 2024 cases are also added to a demo loaded before they existed).
"""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.law.receipt import RECEIPT_FACT
from gongkai.law.replies import REPLY_TYPES

from . import actions
from .letters import ensure_default_templates
from .models import Application

P = {"kind": "natural_person", "id_type": "resident_id", "address": "河南省洛阳市西工区中州中路288号", "postal_code": "471000"}
PEOPLE = {
    "zhang": {**P, "name": "张建国（演示）", "id_number": "410302199001011235", "phone": "13803790001"},
    "li": {**P, "name": "李秀英（演示）", "id_number": "410303198512122342", "phone": "13903790002"},
    "wang": {**P, "name": "王志强（演示）", "id_number": "410322197805053453", "phone": "13703790003"},
    "zhao": {**P, "name": "赵丽（演示）", "id_number": "11010519491231002X", "phone": "13603790004", "email": "zhaoli@example.invalid"},
    "firm": {"kind": "commercial", "name": "洛阳示例科技有限公司（演示）", "id_type": "credit_code",
             "id_number": "91410300MA44XY1C0K", "phone": "0379-63900001", "contact_person": "孙经理"},
    "law": {"kind": "legal_service", "name": "河南示例律师事务所（演示）", "id_type": "credit_code",
            "id_number": "31410000MD01234568", "phone": "0379-63900002", "contact_person": "周律师"},
    "lab": {"kind": "research", "name": "洛阳示例研究院（演示）", "id_type": "credit_code",
            "id_number": "12410300MB0987654P", "phone": "0379-63900003", "contact_person": "吴研究员"},
    "ngo": {"kind": "social_welfare", "name": "洛阳示例公益基金会（演示）", "id_type": "credit_code",
            "id_number": "52410300MJ0012345H", "phone": "0379-63900004", "contact_person": "郑秘书长"},
    "assoc": {"kind": "other_org", "name": "洛阳示例退役军人协会（演示）", "id_type": "credit_code",
              "id_number": "91410300MA9G7K2L3Y", "phone": "0379-63900005", "contact_person": "冯会长"},
}


def _reg(agency, actor, who, received, description, subject, channel="in_person", **extra):
    kwargs = {"channel": channel, "submitted_on": extra.pop("submitted_on", received)}
    fact = RECEIPT_FACT.get(channel)  # the date that counts (《条例》第三十一条)
    if fact not in (None, "submitted_on"):
        kwargs[fact] = received
    return actions.application_register(agency=agency, actor=actor, applicant=PEOPLE[who], subject=subject,
                                        description=description, **kwargs, **extra)


def _back(today: date, n: int) -> date:
    """The latest date d with add_working_days(d, n) <= today."""
    cal = current_calendar()
    d = today - timedelta(days=n + n // 2)
    while cal.add_working_days(d, n).date <= today:
        d += timedelta(days=1)
    return d - timedelta(days=1)


def _decide(app, actor, on, outcome, basis=None, parts=None, deliver=True):
    app = actions.application_decide(app, actor=actor, on=on, outcome=outcome, basis=basis or REPLY_TYPES[outcome].basis,
                                     parts=parts)
    if deliver:
        actions.application_deliver(app, actor=actor, on=on + timedelta(days=1 if on.weekday() < 4 else 3), method="邮寄")
    return app


def load_2024(agency, officer) -> int:
    """The agency's 2024 cases, each decided and delivered within 2024 (its published annual report counts them)."""
    if Application.objects.filter(agency=agency, received_on__year=2024).exists():
        return 0
    b1 = _reg(agency, officer, "li", date(2024, 3, 11), "请公开2023年度本市烈士纪念设施维修改造经费的安排和使用情况。",
              "烈士纪念设施维修经费")
    _decide(b1, officer, date(2024, 3, 28), "result.granted")
    b2 = _reg(agency, officer, "firm", date(2024, 6, 17), "请公开市退役军人服务中心物业管理服务采购项目的中标结果公告及采购合同。",
              "服务中心物业采购合同", channel="online")
    _decide(b2, officer, date(2024, 7, 5), "result.granted")
    b3 = _reg(agency, officer, "wang", date(2024, 9, 9), "请公开2008年本市退役士兵安置工作会议的会议记录。", "2008年安置工作会议记录")
    _decide(b3, officer, date(2024, 9, 27), "result.unable.not_held",
            basis="经检索本机关档案，本机关2018年组建，未制作、获取过该会议记录，依据《条例》第三十六条第（四）项告知。")
    b4 = _reg(agency, officer, "zhao", date(2024, 11, 18), "请公开洛阳市城乡居民最低生活保障标准的调整文件。", "低保标准调整文件",
              channel="online")
    _decide(b4, officer, date(2024, 11, 29), "result.unable.not_held",
            basis="该信息不属于本机关负责公开，由洛阳市民政局负责公开，依据《条例》第三十六条第（五）项告知申请人"
                  "向洛阳市民政局申请，联系电话0379-00000000（演示）。")
    return 4


def load(context: dict) -> list[str]:
    agency, other, users = context["agency"], context["other"], context["users"]
    ensure_default_templates()
    officer, head = users["demo_officer"], users["demo_head"]
    made_2024 = load_2024(agency, officer)
    if Application.objects.filter(agency=agency, received_on__year__gte=2025).exists():
        if made_2024:
            return [f"依申请公开演示数据：{agency.name} 补充2024年度申请 {made_2024} 件。"]
        return ["依申请公开演示数据已存在，未重复创建。"]
    a = {}
    # ---- 2025 ---------------------------------------------------------------------------
    a[1] = _reg(agency, officer, "zhang", date(2025, 2, 10), "请公开2024年度洛阳市退役军人优待证发放数量统计。", "2024年优待证发放数量")
    _decide(a[1], officer, date(2025, 2, 20), "result.granted")

    a[2] = _reg(agency, officer, "firm", date(2025, 3, 3), "请公开本局2024年退役军人服务站信息化建设项目的采购合同及验收报告。",
                "服务站信息化项目合同", channel="online")
    c = actions.application_consult(a[2], actor=officer, on=date(2025, 3, 5), party_kind="third_party",
                                    party_name="洛阳某信息技术有限公司（演示）", matter="采购合同中的单价明细及技术方案")
    actions.application_record_consultation_answer(c, actor=officer, on=date(2025, 3, 14), answer="object",
                                                   note="单价明细和技术方案属于商业秘密")
    _decide(a[2], officer, date(2025, 4, 2), "result.partial", parts=[
        {"description": "采购合同（除单价明细外）及验收报告", "disclosed": True},
        {"description": "合同单价明细及技术方案", "disclosed": False, "reason": "result.denied.third_party",
         "basis": "涉及第三方商业秘密，第三方不同意公开，依据《条例》第十五条不予公开。"}])

    a[3] = _reg(agency, officer, "li", date(2025, 4, 14), "请公开关于我父亲烈士褒扬金发放的文件。", "烈士褒扬金发放文件",
                channel="registered_mail", submitted_on=date(2025, 4, 10))
    actions.application_request_correction(a[3], actor=officer, on=date(2025, 4, 16),
                                           items=["请写明所需文件的名称或文号、形成时间", "请提供与烈士关系的说明"],
                                           period_end=date(2025, 4, 30))
    actions.application_record_correction(a[3], actor=officer, on=date(2025, 4, 25), note="申请人补正了文件名称")
    _decide(a[3], officer, date(2025, 5, 20), "result.unable.not_held")
    review = actions.reconsideration_record(a[3], actor=officer, body="洛阳市人民政府", filed_on=date(2025, 6, 10),
                                            case_number="洛政复〔2025〕演示18号")
    actions.reconsideration_conclude(review, actor=officer, result="maintained", concluded_on=date(2025, 8, 1))

    a[4] = _reg(agency, officer, "wang", date(2025, 5, 12), "请公开有关文件。", "有关文件")
    actions.application_request_correction(a[4], actor=officer, on=date(2025, 5, 14),
                                           items=["请写明所需政府信息的名称、文号或者便于查询的其他特征性描述"],
                                           period_end=date(2025, 5, 28))
    actions.application_correction_expired(a[4], actor=officer, on=date(2025, 6, 3))

    a[5] = _reg(agency, officer, "law", date(2025, 7, 1), "请公开本局关于退役军人安置工作的党组会议纪要（2024年）。",
                "安置工作党组会议纪要", channel="fax")
    actions.application_extend(a[5], actor=head, on=date(2025, 7, 25), reason="所涉会议纪要分散于多个档案卷宗，需逐一检索核对")
    _decide(a[5], officer, date(2025, 8, 20), "result.denied.process_info")
    actions.litigation_record(a[5], actor=officer, route="direct", court="洛阳市西工区人民法院（演示）",
                              filed_on=date(2025, 9, 10), case_number="（2025）豫0303行初演示7号")

    a[6] = _reg(agency, officer, "lab", date(2025, 9, 1), "请提供2020—2024年全市退役军人就业创业扶持资金使用情况的全部原始材料。",
                "就业创业扶持资金原始材料", channel="ordinary_mail", submitted_on=date(2025, 8, 28))
    actions.application_fee_notice(a[6], actor=officer, on=date(2025, 9, 5), method="by_pages", pages=150)
    actions.application_fee_notice_received(a[6], actor=officer, on=date(2025, 9, 8))
    actions.application_fee_paid(a[6], actor=officer, on=date(2025, 9, 15), receipt_no="豫财非税（演示）0000123")
    _decide(a[6], officer, date(2025, 10, 20), "result.granted")

    a[7] = _reg(agency, officer, "wang", date(2025, 10, 13), "我举报某街道退役军人服务站工作人员态度恶劣，要求处理。",
                "举报服务站工作人员")
    _decide(a[7], officer, date(2025, 10, 20), "result.not_processed.petition")

    a[8] = _reg(agency, officer, "zhao", date(2025, 10, 27), "请公开2025年本局部门预算。", "2025年部门预算", channel="online")
    actions.application_withdraw(a[8], actor=officer, on=date(2025, 11, 5), note="申请人电话告知已在门户网站找到，撤回申请")

    a[9] = _reg(agency, officer, "ngo", date(2025, 12, 22), "请公开2025年度全市退役军人帮扶援助资金分配结果。",
                "2025年帮扶援助资金分配结果", channel="online")
    _decide(a[9], officer, date(2026, 1, 15), "result.granted")  # carried over into 2026

    # ---- 2026 ---------------------------------------------------------------------------
    a[10] = _reg(agency, officer, "zhang", date(2026, 3, 2), "请公开2024年度洛阳市退役军人优待证发放数量统计表。",
                 "2024年优待证发放数量（重复）", channel="online")  # flagged as a repeat of a[1]
    _decide(a[10], officer, date(2026, 3, 10), "result.not_processed.repeat")

    a[11] = _reg(agency, officer, "assoc", date(2026, 5, 11), "请提供2019年以来全部退役军人信访件的复印件。", "信访件复印件",
                 channel="registered_mail", submitted_on=date(2026, 5, 8))
    actions.application_fee_notice(a[11], actor=officer, on=date(2026, 5, 13), method="by_pages", pages=60)
    actions.application_fee_notice_received(a[11], actor=officer, on=date(2026, 5, 14))
    actions.application_fee_expired(a[11], actor=officer, on=date(2026, 6, 15))

    a[12] = _reg(agency, officer, "li", date(2026, 6, 1), "请公开2025年本局政府信息公开工作年度报告所附的统计数据来源。",
                 "年报统计数据来源")
    _decide(a[12], officer, date(2026, 6, 19), "result.unable.needs_creation")

    today = system_clock.today()
    # Open cases, placed relative to today.
    a[13] = _reg(agency, officer, "zhao", _back(today, 17), "请公开本市2026年退役军人适应性培训承训机构名单。", "适应性培训承训机构名单")
    a[14] = _reg(agency, officer, "firm", _back(today, 3), "请公开退役军人创业孵化基地认定的有关文件。", "创业孵化基地认定文件",
                 channel="online")
    actions.application_request_correction(a[14], actor=officer, on=_back(today, 1),
                                           items=["请写明所需文件的形成年份或文号"], period_end=today + timedelta(days=14))
    a[15] = _reg(agency, officer, "lab", _back(today, 8), "请公开本局与市人社局联合制定的退役军人就业服务工作方案。",
                 "联合就业服务工作方案")
    actions.application_consult(a[15], actor=officer, on=_back(today, 2), party_kind="co_maker",
                                party_name="洛阳市人力资源和社会保障局", matter="《洛阳市退役军人就业服务工作方案》全文")
    a[16] = _reg(agency, officer, "wang", _back(today, 25), "请公开2026年光荣牌悬挂工作的实施方案。", "光荣牌悬挂实施方案")
    a[17] = _reg(agency, officer, "li", _back(today, 5), "请公开2026年度双拥模范城创建工作的经费预算明细。", "双拥创建经费明细")
    actions.application_extend(a[17], actor=head, on=today, reason="涉及多个科室的经费材料，需汇总核对")

    o = _reg(other, users["demo_other_officer"], "zhao", date(2026, 4, 7), "请公开2025年洛阳市城乡低保标准调整文件。",
             "低保标准调整文件", channel="online")
    _decide(o, users["demo_other_officer"], date(2026, 4, 20), "result.granted")
    return [f"依申请公开演示数据：{agency.name} {len(a) + made_2024} 件申请（2024–2026），{other.name} 1 件。"]
