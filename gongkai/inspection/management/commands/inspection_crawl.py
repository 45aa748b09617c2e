"""Crawl the agency sites for dead links (the link check of the self-inspection); the schedule runs it daily.

    manage.py inspection_crawl               # every site
    manage.py inspection_crawl --site 3      # one site (PortalSite id)
    manage.py inspection_crawl --external    # also check links to other websites over the network
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.inspection.crawl import crawl_site
from gongkai.portal.models.sites import PortalSite


def selected_sites(site_id):
    sites = PortalSite.objects.select_related("site", "agency").order_by("pk")
    if site_id is None:
        return list(sites)
    site = sites.filter(pk=site_id).first()
    if site is None:
        known = "、".join(f"{s.pk}（{s.site.hostname}）" for s in sites[:20]) or "（无）"
        raise CommandError(f"没有编号为 {site_id} 的网站。现有网站：{known}")
    return [site]


class Command(BaseCommand):
    help = "链接检查：逐页访问各机关网站自己的页面，找出错链、断链和丢失的附件（网站自查）"

    def add_arguments(self, parser):
        parser.add_argument("--site", type=int, help="只检查这个网站（门户网站设置的编号）")
        parser.add_argument("--external", action="store_true", default=None,
                            help="同时经外网检查指向其他网站的链接（默认按 GONGKAI_CHECK_EXTERNAL_LINKS 设置）")
        parser.add_argument("--max-pages", type=int, default=5000, help="每个网站最多读取的页面数（默认 %(default)s）")

    def handle(self, *args, site=None, external=None, max_pages=5000, **options):
        if max_pages < 1:
            raise CommandError("--max-pages 必须是正整数，例如 --max-pages 5000。")
        failed = 0
        for portal_site in selected_sites(site):
            run = crawl_site(portal_site, check_external=external, max_pages=max_pages)
            if run.error:
                failed += 1
                self.stderr.write(f"{portal_site.site.hostname}：未能检查——{run.error}")
                continue
            dead = sum(1 for p in run.problems if p["status"] == "dead")
            unchecked = sum(1 for p in run.problems if p["status"] == "unchecked")
            self.stdout.write(f"{portal_site.site.hostname}：检查 {run.pages} 个页面、{run.links} 个链接，"
                              f"无法访问 {dead} 个，未检查的外部链接 {unchecked} 个")
        if failed:
            raise CommandError(f"{failed} 个网站未能完成链接检查，见上。")
