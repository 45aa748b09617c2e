"""Rebuild the static copy of every agency site (or one) in the publish directory.

    manage.py portal_rebuild [--site HOST]          # chunks for the background workers, with a progress bar
    manage.py portal_rebuild [--site HOST] --no-wait  # start it and return (progress in the admin: 发布任务)
    manage.py portal_rebuild [--site HOST] --here     # render in this process (no worker needed)
"""

from __future__ import annotations

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from gongkai.core.taskstatus import queue_status
from gongkai.portal import publish, tasks
from gongkai.portal.mounts import public_address
from gongkai.portal.models.publishjobs import RebuildJob
from gongkai.portal.search.indexing import reindex_all


def bar(job: RebuildJob, width: int = 30) -> str:
    filled = round(width * job.percent / 100)
    return (f"{job.hostname} [{'█' * filled}{'░' * (width - filled)}] {job.percent:3d}%  "
            f"{job.pages_done}/{job.pages_total} 页，分片 {job.chunks_done}/{job.chunks_total}")


class Command(BaseCommand):
    help = "重新生成全部静态页面（门户网站），由后台工作进程分片并行完成"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只重建这个主机名的网站，如 127.0.0.1")
        parser.add_argument("--reindex", action="store_true", help="同时重建检索索引")
        parser.add_argument("--here", action="store_true", help="在本进程中生成（不需要后台工作进程）")
        parser.add_argument("--no-wait", action="store_true", help="提交后立即返回，进度见管理后台“发布任务”")
        parser.add_argument("--chunk", type=int, default=tasks.CHUNK_PAGES, help="每个分片的页面数（默认 %(default)s）")

    def handle(self, *args, site=None, reindex=False, here=False, no_wait=False, chunk=tasks.CHUNK_PAGES, **options):
        if chunk < 1:
            raise CommandError("--chunk 必须是正整数，例如 --chunk 200。")
        started = time.perf_counter()
        sites = self._sites(site)
        if reindex:
            self.stdout.write(f"检索索引：{reindex_all()} 个页面")
        if here:
            for s in sites:
                self.stdout.write(f"{s.hostname}：{publish.rebuild_site(s)} 个页面")
            self.stdout.write(f"完成，用时 {time.perf_counter() - started:.1f} 秒")
            return
        if settings.GONGKAI_TASKS != "immediate" and not queue_status()[0].get("workers_alive"):
            raise CommandError("没有运行中的后台工作进程，重建不会开始。请先启动 manage.py gongkai_worker"
                               "（可在多台机器上启动多个），或加 --here 在本进程中生成。")
        jobs = [tasks.start_rebuild(s, chunk_pages=chunk) for s in sites]
        for job in jobs:
            self.stdout.write(f"已提交重建 {job.hostname}：{job.pages_total} 个页面，{job.chunks_total} 个分片（任务 {job.pk}）")
        if no_wait:
            return
        self._follow([job.pk for job in jobs])
        failed = RebuildJob.objects.filter(pk__in=[job.pk for job in jobs], status=RebuildJob.Status.FAILED)
        for job in failed:
            self.stderr.write(f"{job.hostname} 重建失败：{job.error}（网站仍是重建前的内容）")
        if failed:
            raise CommandError("重建失败，见上。")
        self.stdout.write(f"完成，用时 {time.perf_counter() - started:.1f} 秒")

    def _sites(self, hostname):
        sites = publish.rebuildable_sites()
        if hostname:
            sites = [s for s in sites if hostname in (s.hostname, public_address(s.hostname, s.port))]
            if not sites:
                names = "、".join(Site.objects.values_list("hostname", flat=True)) or "（无）"
                raise CommandError(f"没有主机名为“{hostname}”的网站。现有网站：{names}")
        return sites

    def _follow(self, ids):
        interactive = sys.stdout.isatty()
        last = ""
        while True:
            jobs = list(RebuildJob.objects.filter(pk__in=ids).order_by("hostname"))
            text = "\n".join(bar(job) for job in jobs)
            if text != last:
                if interactive and last:
                    self.stdout.write(f"\033[{last.count(chr(10)) + 1}F", ending="")
                self.stdout.write(text)
                last = text
            if all(job.status != RebuildJob.Status.RUNNING for job in jobs):
                return
            time.sleep(0.5)
