"""Remind office heads, once a day from 1 January, until last year's report is published.

Run daily by the background worker (`gongkai.core.schedule`). Each agency whose report for last year is not published gets one mail a
day to its 公开工作机构负责人 (console e-mail backend by default), with the state of the
report and the days left to (or past) the deadline of 《条例》第四十九条.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import find_agency
from gongkai.annualreport import actions, selectors
from gongkai.annualreport.models import AnnualReport, ReportStatus
from gongkai.core import clock
from gongkai.core.parsing import option_date


class Command(BaseCommand):
    help = "提醒公开工作机构负责人公开上一年度政府信息公开工作年度报告（每天运行，报告公开后不再提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期运行（YYYY-MM-DD，默认今天）")
        parser.add_argument("--agency", help="只处理该机关（统一社会信用代码或全称）")

    def handle(self, *args, **options):
        on = option_date(options.get("date"), clock.today())
        agencies = Agency.objects.order_by("name")
        if options.get("agency"):
            try:
                agencies = [find_agency(options["agency"])]
            except LookupError as exc:
                raise CommandError(str(exc)) from None
        year = on.year - 1
        published = set(AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED)
                        .values_list("agency_id", flat=True))
        sent = 0
        for agency in agencies:
            if agency.pk in published:
                continue
            row = actions.reminder_send(agency, year, on=on)
            if row is not None:
                sent += 1
                self.stdout.write(f"已提醒 {agency.name}（{len(row.recipients)} 人）：{year}年度报告尚未公开，"
                                  f"公开期限 {selectors.deadline(agency, year):%Y-%m-%d}")
        self.stdout.write(f"{on:%Y-%m-%d}：共发送 {sent} 封提醒（{year}年度报告）。")
