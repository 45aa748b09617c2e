"""Publish the latest revision of a page from the command line (the 保密审查 guard applies)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from gongkai.portal.guard import PublishBlocked


class Command(BaseCommand):
    help = "发布页面的最新版本（须已通过保密审查）"

    def add_arguments(self, parser):
        parser.add_argument("page_id", help="页面编号（数字）")

    def handle(self, *args, page_id, **options):
        if not str(page_id).isdigit():
            raise CommandError(f"页面编号应为数字，现为“{page_id}”。")
        page = Page.objects.filter(pk=int(page_id)).first()
        if page is None:
            raise CommandError(f"没有编号为 {page_id} 的页面。")
        revision = page.specific.get_latest_revision() or page.specific.save_revision()
        try:
            revision.publish()
        except PublishBlocked as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已发布：{page.title}")
