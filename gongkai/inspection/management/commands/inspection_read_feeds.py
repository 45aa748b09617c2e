"""Read the RSS/Atom feed of every active 政务新媒体 account that has one (the background worker runs it daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.core.domain import DomainError
from gongkai.inspection.actions import newmedia_read_feed
from gongkai.inspection.models import NewMediaAccount


class Command(BaseCommand):
    help = "读取政务新媒体账号的内容订阅地址（RSS/Atom），登记最近更新日期；读取失败的账号逐个报告"

    def handle(self, *args, **options):
        accounts = (NewMediaAccount.objects.filter(is_active=True).exclude(feed_url="")
                    .select_related("agency").order_by("agency__name", "platform", "name"))
        read = failed = 0
        for account in accounts:
            before = account.last_update
            try:
                account = newmedia_read_feed(account, actor=None)
            except DomainError as exc:
                failed += 1
                self.stdout.write(f"{account.agency.name} {account}：{exc}")
                continue
            read += 1
            if account.last_update != before:
                self.stdout.write(f"{account.agency.name} {account}：最近更新 {account.last_update:%Y-%m-%d}")
        if not read and not failed:
            self.stdout.write("没有填写订阅地址的在用账号。")
        else:
            self.stdout.write(f"读取 {read} 个账号" + (f"，{failed} 个读取失败。" if failed else "。"))
