"""Rebuild the static copy of every agency site (or one) in the publish directory."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from gongkai.portal import publish
from gongkai.portal.search.indexing import reindex_all


class Command(BaseCommand):
    help = "重新生成全部静态页面（门户网站）"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只重建这个主机名的网站，如 127.0.0.1")
        parser.add_argument("--reindex", action="store_true", help="同时重建检索索引")

    def handle(self, *args, site=None, reindex=False, **options):
        started = time.perf_counter()
        if reindex:
            self.stdout.write(f"检索索引：{reindex_all()} 个页面")
        if site:
            found = Site.objects.filter(hostname=site).first()
            if found is None:
                names = "、".join(Site.objects.values_list("hostname", flat=True)) or "（无）"
                raise CommandError(f"没有主机名为“{site}”的网站。现有网站：{names}")
            counts = {found.hostname: publish.rebuild_site(found)}
        else:
            counts = publish.rebuild_all()
        for host, n in counts.items():
            self.stdout.write(f"{host}：{n} 个页面")
        self.stdout.write(f"完成，用时 {time.perf_counter() - started:.1f} 秒")
