"""Demo messages and tickets for 洛阳市退役军人事务局 in 2025 and 2026 (all marked as demo data).

Everything goes through the actions, so the demo has real audit trails. Idempotent: a
message is created only if no message with the same title and receipt date exists, the
tickets are imported from a generated file (a second import only reports duplicates).
Open messages are dated relative to today, so there is always exactly one overdue
message, one awaiting approval and fresh ones awaiting triage.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from gongkai.calendars.services import current_calendar
from gongkai.core import clock

from . import actions
from .models import Department, Message
from .notify import muted
from .selectors import masked_text

DEPARTMENTS = ["办公室", "优抚科", "安置科", "就业创业科", "权益维护科", "褒扬纪念科", "军休服务管理科"]

# (title, category, received, writer, phone, wants_public, content, department, reply, working days to reply,
#  publish) — received is a date, or an int meaning "working days before today" for 2026's open ones.
REPLIED = [
    ("退役军人优待证如何申领", "consult", date(2025, 3, 10), "李建国", "13800000101", True,
     "您好，我是2010年退役的士兵，户籍在洛龙区。请问退役军人优待证怎么申领？需要带哪些材料？我的电话13800000101。",
     "优抚科",
     "您好！退役军人优待证由户籍所在地县（市、区）退役军人服务中心（站）受理。请携带本人居民身份证、退役证件和近期免冠彩色证件照，"
     "到洛龙区退役军人服务中心或所在街道退役军人服务站申请，也可通过“河南省退役军人服务平台”在线申请。咨询电话：0379-63912345。", 3, True),
    ("自主就业一次性经济补助标准咨询", "consult", date(2025, 4, 2), "王志强", "13800000102", True,
     "我今年9月退役选择自主就业，请问一次性经济补助的标准是多少？什么时候发放？",
     "安置科",
     "您好！自主就业退役士兵一次性经济补助按照国家和我省规定的标准，由安置地县级退役军人事务部门在退役士兵报到后核定发放。"
     "具体金额与服役年限挂钩，请于报到后向安置地县（市、区）退役军人事务局安置股咨询。", 4, True),
    ("建议在烈士陵园增设义务讲解", "suggestion", date(2025, 4, 8), "赵秀英", "13800000103", True,
     "清明节带孩子去烈士陵园祭扫，发现很多英烈事迹没有讲解。建议招募志愿者在节假日提供义务讲解，让孩子们更好地了解英烈故事。",
     "褒扬纪念科",
     "感谢您的建议！我局已会同市烈士陵园管理处招募“英烈讲解员”志愿者，自2025年5月起在周末和重要纪念日提供免费讲解，"
     "并在陵园入口设置二维码语音导览。欢迎您和家人再次前来。", 12, True),
    ("反映区服务站工作日中午无人值守", "complaint", date(2025, 5, 19), "孙立军", "13800000104", False,
     "5月16日中午12点多到某区退役军人服务站办事，大门紧锁无人值守，白跑一趟，希望整改。",
     "权益维护科",
     "您好！经核查，该服务站已调整为工作日中午轮流值班，并在门口公示值班电话。给您带来不便，深表歉意。", 9, False),
    ("伤残抚恤金调整后何时补发", "consult", date(2025, 8, 11), "周海燕", "13800000105", True,
     "听说今年伤残抚恤金标准提高了，请问调整后的差额什么时候补发？需要本人申请吗？",
     "优抚科",
     "您好！2025年伤残抚恤金标准调整后，差额由县级退役军人事务部门统一核算补发，无需本人申请，"
     "预计于9月底前发放到您的社保卡金融账户。如有疑问可致电所在县（市、区）退役军人事务局优抚股。", 5, True),
    ("关于退役军人创业贷款贴息的建议", "director_mailbox", date(2025, 9, 3), "吴明华", "13800000106", True,
     "局长您好，我是退役后自主创业的，想了解创业担保贷款贴息政策，另外建议简化申请材料。",
     "就业创业科",
     "您好！退役军人创业可申请创业担保贷款，个人最高额度30万元，按规定给予贴息。我局已会同人社、财政部门"
     "将申请材料由7项精简为4项，可在市政务服务网“一件事”专区在线办理。感谢您的建议。", 10, True),
    ("军休干部年度体检安排", "consult", date(2025, 10, 13), "郭红", "13800000107", True,
     "我父亲是军休干部，请问今年的年度体检什么时候安排？在哪家医院？",
     "军休服务管理科",
     "您好！2025年度军休干部健康体检安排在11月中旬，由各军休所统一组织，地点为市中心医院体检中心。"
     "军休所将提前电话通知，请保持联系电话畅通。答复较晚，敬请谅解。", 8, True),
    ("立功受奖证书遗失能否补办", "consult", date(2025, 11, 20), "何伟", "13800000108", False,
     "我在部队荣立三等功的证书搬家时遗失了，请问能补办吗？",
     "优抚科",
     "您好！立功受奖证书遗失的，可由本人向原部队或其上级机关申请出具证明。我局可协助您联系，请携带身份证和退役证件到优抚科办理。", 2, False),
    ("光荣之家牌匾悬挂遗漏", "complaint", date(2026, 1, 12), "林芳", "13800000109", True,
     "我家有现役军人，但至今没有悬挂光荣之家牌匾，邻居家都挂了。请问是什么原因？",
     "优抚科",
     "您好！经核实，因您家户籍信息变更未及时更新，导致悬挂遗漏。所在街道已于1月20日上门补挂“光荣之家”牌匾。感谢您的反映。", 6, True),
    ("退役士兵职业技能培训如何报名", "consult", date(2026, 3, 2), "罗勇", "13800000110", True,
     "我是2025年退役的士兵，想参加免费的职业技能培训，请问怎么报名？有哪些专业？",
     "就业创业科",
     "您好！2026年退役士兵职业技能培训已开始报名，开设电工、焊工、无人机驾驶、养老护理等专业，培训免费并按规定发放生活补助。"
     "请于4月30日前到户籍地县（市、区）退役军人服务中心报名。", 4, True),
    ("建议公布各县区服务站办公地址", "suggestion", date(2026, 6, 15), "马静", "13800000111", True,
     "在网上查不到各县区退役军人服务站的地址和电话，建议在局网站集中公布。",
     "办公室",
     "感谢您的建议！我局已在门户网站“办事服务”栏目公布全市各县（市、区）、乡镇（街道）退役军人服务中心（站）的地址、电话和办公时间。", 7, True),
]

INVALID = [
    ("退役军人优待证如何申领（重复）", "consult", date(2025, 3, 10), "李建国", "13800000101", False,
     "您好，我是2010年退役的士兵，户籍在洛龙区。请问优待证怎么申领？（重复提交）", "与同日提交的留言内容相同，已合并答复。"),
]

# Open ones: (title, category, working days before today, department or None, draft reply or None, submit)
OPEN = [
    ("咨询烈士子女教育优待政策", "consult", 9, "优抚科", None, False),  # 5-day limit: overdue
    ("反映优抚对象医疗费报销慢", "complaint", 6, "权益维护科",
     "您好！经了解，您反映的医疗费报销已于本周转交医保部门优先办理，预计10个工作日内到账。", True),
    ("建议开通退役军人就业招聘专场", "suggestion", 3, "就业创业科", "感谢您的建议，我局正在筹备……", False),
    ("咨询退役证件办理进度", "consult", 1, None, None, False),
    ("局长信箱：关于军休所活动场地", "director_mailbox", 0, None, None, False),
]


def _working_days_before(n: int) -> date:
    cal = current_calendar()
    d = clock.today()
    while n > 0:
        d -= timedelta(days=1)
        n -= cal.is_working_day(d)
    return d


def _after(d: date, n: int) -> date:
    return min(current_calendar().add_working_days(d, n).date, clock.today())


def _tickets_file() -> bytes:
    rows = []
    topics = [
        ("110联动", "群众报警称退役老兵独居家中突发疾病，需联系家属及社区帮扶", "优抚科"),
        ("110联动", "退役军人因安置问题情绪激动，需退役军人事务部门协助疏导", "安置科"),
        ("110联动", "烈士陵园附近有人焚烧祭品引发纠纷，请协调处理", "褒扬纪念科"),
        ("12345", "市民咨询退役军人优待证在公园景区是否可以免票", "优抚科"),
        ("12345", "反映军休所周边道路照明不足，夜间出行不便", "军休服务管理科"),
        ("110联动", "退役军人反映被拖欠工资，已引导其通过劳动监察维权，需回访", "权益维护科"),
    ]
    start_2025 = date(2025, 1, 6)
    n = 0
    for year, count in ((2025, 24), (2026, 8)):
        for i in range(count):
            source, content, department = topics[i % len(topics)]
            if year == 2025:
                when = start_2025 + timedelta(days=14 * i)
            elif i < count - 3:
                when = min(date(2026, 1, 5) + timedelta(days=30 * i), clock.today() - timedelta(days=30))
            else:  # the last three of 2026 are recent and stay open
                when = _working_days_before(2 * (count - i))
            n += 1
            prefix = "LY110" if source == "110联动" else "LY12345"
            rows.append([f"{prefix}-{year}-{i + 1:04d}", source, f"{when:%Y-%m-%d} 09:{10 + i % 50:02d}",
                         f"市民{n:02d}", f"1380000{n:04d}", content, department])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["工单编号", "来源", "受理时间", "诉求人", "联系电话", "诉求内容", "办理部门"])
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")


def _exists(agency, title: str, received: date) -> bool:
    return Message.objects.filter(agency=agency, title=title, received_on=received).exists()


def load(context: dict) -> list[str]:
    """Create the demo once (no mail is sent for it); return lines to print."""
    with muted():
        return _load(context)


def _load(context: dict) -> list[str]:
    agency = context["agency"]
    users = context.get("users", {})
    handler = users.get("demo_messages")
    head = users.get("demo_head")
    departments = {}
    for name in DEPARTMENTS:
        departments[name] = (Department.objects.filter(agency=agency, name=name).first()
                             or actions.department_create(agency, actor=handler, name=name))
    created = 0

    for title, category, received, writer, phone, public, content, dept, reply, days, publish in REPLIED:
        if received > clock.today() or _exists(agency, title, received):
            continue
        m = actions.message_register(agency, actor=None, category=category, channel="website", title=title,
                                     content=content, writer_name=writer, writer_phone=phone, wants_public=public,
                                     received_on=received)
        actions.message_triage(m, actor=handler, category=category, department=departments[dept])
        r = actions.reply_submit(actions.reply_draft(m, actor=handler, text=reply), actor=handler)
        actions.reply_approve(r, actor=head, on=_after(received, days))
        if publish and public:
            m.refresh_from_db()
            actions.message_publish(m, actor=handler, public_title=masked_text(m, m.title),
                                    public_content=masked_text(m, m.content), public_reply=masked_text(m, reply, reply=True))
        created += 1

    for title, category, received, writer, phone, public, content, reason in INVALID:
        if _exists(agency, title, received):
            continue
        m = actions.message_register(agency, actor=None, category=category, channel="website", title=title,
                                     content=content, writer_name=writer, writer_phone=phone, wants_public=public,
                                     received_on=received)
        actions.message_mark_invalid(m, actor=handler, reason=reason)
        created += 1

    if not Message.objects.filter(agency=agency, title__in=[o[0] for o in OPEN], status__in=["received", "in_progress", "pending_approval"]).exists():
        for title, category, ago, dept, draft, submit in OPEN:
            received = _working_days_before(ago)
            m = actions.message_register(
                agency, actor=None, category=category, channel="website", title=title,
                content=f"{title}。请相关部门尽快答复，谢谢！（演示数据）", writer_name="演示写信人",
                writer_phone="13800009999", wants_public=True, received_on=received,
            )
            if dept:
                actions.message_triage(m, actor=handler, category=category, department=departments[dept])
            if draft:
                reply = actions.reply_draft(m, actor=handler, text=draft)
                if submit:
                    actions.reply_submit(reply, actor=handler)
            created += 1

    report = actions.tickets_import(agency, actor=handler, data=_tickets_file(), filename="演示工单（110联动、12345）.csv")
    # Answer the tickets of 2025 and most of 2026 so the statistics look like a working office.
    open_tickets = Message.objects.filter(agency=agency, import_batch__isnull=False, status="in_progress").order_by("received_on")
    answered = 0
    for ticket in list(open_tickets)[:-3]:
        r = actions.reply_submit(actions.reply_draft(
            ticket, actor=handler, text="已联系诉求人并会同相关单位处理，诉求人对处理结果表示满意。"), actor=handler)
        actions.reply_approve(r, actor=head, on=_after(ticket.received_on, 3 + ticket.pk % 5))
        answered += 1
    lines = [f"互动交流演示数据：新建留言 {created} 件，导入工单 {report.imported} 件（答复 {answered} 件）。"]
    if not created and not report.imported:
        lines = ["互动交流演示数据已存在，未重复创建。"]
    return lines
