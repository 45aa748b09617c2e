"""The platform's own bookkeeping: which background workers are alive."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models


class WorkerBeat(models.Model):
    """A background worker's last sign of life, written every few seconds while it runs."""

    worker_id = models.CharField("工作进程", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255)
    pid = models.IntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = "后台工作进程"
        verbose_name_plural = "后台工作进程"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


def live_workers() -> int:
    from gongkai.core import clock

    return WorkerBeat.objects.filter(beat_at__gte=clock.now() - dead_after()).count()


def dead_after() -> timedelta:
    """A worker whose last beat is older than this is gone (three missed beats)."""
    return timedelta(seconds=3 * settings.WORKER_BEAT_SECONDS)


class ScheduledRun(models.Model):
    """One run of a periodic entry (`gongkai.core.schedule.SCHEDULE`) for one slot: taken by one worker only."""

    name = models.CharField("任务", max_length=100)
    command = models.CharField("命令", max_length=100)
    slot = models.DateTimeField("计划时间")
    enqueued_at = models.DateTimeField("排入时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    failed = models.BooleanField("失败", default=False)
    output = models.TextField("输出", blank=True)

    class Meta:
        verbose_name = "定时任务运行"
        verbose_name_plural = "定时任务运行"
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")]
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.name} {self.slot:%Y-%m-%d %H:%M}"
