"""E-mail each agency's case handlers the cases overdue or due within 3 working days, and what the system did by itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from gongkai.agencies.models import Agency, Membership
from gongkai.applications import lapses, selectors
from gongkai.applications.nextstep import HANDLER_ROLES


def reminder_text(agency, rows, base_url: str, notices=()) -> str:
    lines = []
    if notices:
        lines += [f"{agency.name}：系统已对以下申请自动处理（期限届满），请知悉并跟进。", ""]
        for n in notices:
            lines.append(f"- {n.application.number} {n.application.subject}：{n.get_kind_display()}（{n.on}）。{n.text}")
            lines.append(f"  {base_url}/admin/applications/{n.application_id}/")
        lines.append("")
    if rows:
        lines += [f"{agency.name}：以下政府信息公开申请已逾期或将在3个工作日内到期。", ""]
    for r in rows:
        app = r.application
        status = f"已逾期 {-r.days_left} 个工作日" if r.days_left is not None and r.days_left < 0 else \
            f"剩余 {r.days_left} 个工作日"
        mark = "（暂定）" if r.provisional else ""
        lines.append(f"- {app.number} {app.subject}：答复期限 {r.due}{mark}，{status}。{r.reason}")
        lines.append(f"  {base_url}/admin/applications/{app.pk}/")
    lines += ["", "本邮件由政府信息公开平台自动发送。"]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "向各机关依申请办理人员和公开工作机构负责人发送答复期限提醒邮件（逾期及3个工作日内到期）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只打印，不发送")

    def handle(self, *args, dry_run=False, **options):
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        User = get_user_model()
        sent = 0
        for agency in Agency.objects.order_by("name"):
            rows = selectors.reminder_rows(agency_ids={agency.pk})
            notices = list(lapses.unseen_notices(agency_ids={agency.pk}))
            if not rows and not notices:
                continue
            user_ids = Membership.objects.filter(agency=agency, role__in=list(HANDLER_ROLES)).values_list("user_id", flat=True)
            recipients = sorted({u.email for u in User.objects.filter(pk__in=user_ids, is_active=True) if u.email})
            if not recipients:
                self.stderr.write(f"{agency.name}：有 {len(rows) + len(notices)} 件需提醒，但没有填写电子邮箱的办理人员。")
                continue
            subject = f"【答复期限提醒】{agency.name} {len(rows)} 件申请逾期或即将到期"
            if notices:
                subject += f"，{len(notices)} 项系统自动处理待知悉"
            body = reminder_text(agency, rows, base, notices)
            if dry_run:
                self.stdout.write(f"收件人：{', '.join(recipients)}\n{subject}\n{body}\n")
            else:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
                sent += 1
        self.stdout.write(f"已发送 {sent} 封提醒邮件。")
