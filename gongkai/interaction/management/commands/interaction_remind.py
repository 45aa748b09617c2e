"""Send the daily reminder of overdue and soon-due messages (the background worker runs it each working day)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.models import Agency
from gongkai.interaction.actions import reminders_send


class Command(BaseCommand):
    help = "发送留言办理提醒：超期和即将到期的留言（每个机关每天一封汇总邮件）"

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="只提醒该机关（统一社会信用代码或机构全称）")
        parser.add_argument("--force", action="store_true", help="今天已提醒过也再发一次")

    def handle(self, *args, **options):
        agencies = Agency.objects.order_by("name")
        if options.get("agency"):
            value = options["agency"].strip()
            agencies = agencies.filter(credit_code=value.upper()) | agencies.filter(name=value)
            if not agencies.exists():
                raise CommandError(f"找不到机关“{value}”：请填写统一社会信用代码或机构全称。")
        total = 0
        for agency in agencies:
            n = reminders_send(agency, actor=None, force=options["force"])
            if n:
                self.stdout.write(f"{agency.name}：提醒 {n} 件")
            total += n
        self.stdout.write(f"共提醒 {total} 件留言。" if total else "没有需要提醒的留言。")
