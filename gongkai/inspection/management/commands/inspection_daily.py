"""Inspect every agency's site against the 检查指标 and keep the day's result (run daily by the worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import find_agency
from gongkai.core import clock
from gongkai.core.parsing import option_date
from gongkai.inspection.daily import inspect_and_keep, sites_of


class Command(BaseCommand):
    help = "按《政府网站与政务新媒体检查指标》检查每个网站并保存当天结果（每天运行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期检查（YYYY-MM-DD，默认今天）")
        parser.add_argument("--agency", help="只检查该机关的网站（统一社会信用代码或全称）")

    def handle(self, *args, **options):
        on = option_date(options.get("date"), clock.today())
        ids = set(Agency.objects.values_list("pk", flat=True))
        if options.get("agency"):
            try:
                ids = {find_agency(options["agency"]).pk}
            except LookupError as exc:
                raise CommandError(str(exc)) from None
        for site in sites_of(ids):
            result, _ = inspect_and_keep(site, on)
            score = "—" if result.score is None else f"{result.score:g}"
            self.stdout.write(f"{site.agency.name}：{result.state}，得分 {score}，问题 {len(result.findings)} 项")
