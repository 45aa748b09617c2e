"""Visit each agency site's home page once (the availability probe of the self-inspection).

    manage.py inspection_probe               # every site
    manage.py inspection_probe --site 3      # one site (PortalSite id)

The national indicators count at least 20 visits a day; the schedule runs this every 30 minutes
when it can, and a failed visit is recorded, not an error of the command.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.inspection.management.commands.inspection_crawl import selected_sites
from gongkai.inspection.probe import DEFAULT_TIMEOUT, probe_site


class Command(BaseCommand):
    help = "可用性监测：访问各机关网站首页一次并记录是否成功、用时（网站自查，每天至少 20 次）"

    def add_arguments(self, parser):
        parser.add_argument("--site", type=int, help="只访问这个网站（门户网站设置的编号）")
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                            help="超过多少秒未打开即计为失败（默认 %(default)s）")

    def handle(self, *args, site=None, timeout=DEFAULT_TIMEOUT, **options):
        if timeout <= 0:
            raise CommandError("--timeout 必须大于 0，例如 --timeout 15。")
        for portal_site in selected_sites(site):
            probe = probe_site(portal_site, timeout=timeout)
            result = "成功" if probe.ok else f"失败（{probe.error}）"
            self.stdout.write(f"{portal_site.site.hostname}：{probe.url} {result}，用时 {probe.seconds:.2f} 秒")
