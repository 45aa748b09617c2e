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


def dead_after() -> timedelta:
    """A worker whose last beat is older than this is gone (three missed beats)."""
    return timedelta(seconds=3 * settings.WORKER_BEAT_SECONDS)
