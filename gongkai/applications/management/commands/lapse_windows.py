"""Record the consultations and fee notices whose windows have passed (the scheduler runs this daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.applications import lapses


class Command(BaseCommand):
    help = ("登记期限届满的征求意见（逾期未答复，答复期限恢复计算）和信息处理费（逾期未缴费，不再处理）；"
            "每天由后台任务自动运行，重复运行不会重复登记")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要登记的事项，不作改动")

    def handle(self, *args, dry_run=False, **options):
        result = lapses.run(dry_run=dry_run)
        for case in result.cases:
            app = case.application
            head = f"{app.agency.short_name or app.agency.name} 申请 {app.number}"
            if case.error:
                self.stderr.write(f"{head}：未能自动登记：{case.error}")
                continue
            for lapse in case.lapses:
                self.stdout.write(f"{head}：{'（试运行，未登记）' if dry_run else ''}{lapse.text}")
        verb = "将登记" if dry_run else "已登记"
        self.stdout.write(f"{result.today}：{verb} {result.done} 项期限届满事项。")
