"""Static publishing as background jobs: what the editor asked for, and how it went.

Publishing a page in Wagtail commits the page at once; writing its static files (the page,
its column, the home page, feeds, the catalogue, the sitemap) is a job for a worker. The
job records the request so that its state can be shown (发布中 → 已发布 / 发布失败, with the
reason) and a failed job retried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.agencies.models import AgencyScopedModel


class PublishJob(AgencyScopedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "发布中"
        DONE = "done", "已发布"
        FAILED = "failed", "发布失败"

    class Kind(models.TextChoices):
        PUBLISH = "publish", "发布"
        UNPUBLISH = "unpublish", "撤下"
        MOVE = "move", "地址变更"

    page_id = models.IntegerField("页面编号")  # not a key: the job outlives a deleted page
    title = models.CharField("页面标题", max_length=255)
    kind = models.CharField("操作", max_length=16, choices=Kind.choices, default=Kind.PUBLISH)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    error = models.TextField("失败原因", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    status_noun = "发布任务"  # “该发布任务当前状态为……” (gongkai.core.domain.require_status)

    class Meta:
        verbose_name = "静态发布任务"
        verbose_name_plural = "静态发布任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}《{self.title}》：{self.get_status_display()}"


class RebuildJob(models.Model):
    """A full rebuild of one site's static copy, split into chunks of pages that many workers render at once.

    The chunks write into a new build directory; the chunk that completes the set enqueues
    the finishing step (sitemap, documents, swap of the site's link to the new build), so
    visitors see the old copy until the new one is whole.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "重建中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    site = models.ForeignKey("wagtailcore.Site", verbose_name="网站", on_delete=models.CASCADE, related_name="+")
    hostname = models.CharField("主机名", max_length=255)
    build_dir = models.CharField("生成目录", max_length=500)
    pages_total = models.PositiveIntegerField("页面数", default=0)
    pages_done = models.PositiveIntegerField("已生成页面", default=0)
    chunks_total = models.PositiveIntegerField("分片数", default=0)
    chunks_done = models.PositiveIntegerField("已完成分片", default=0)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField("失败原因", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "网站重建任务"
        verbose_name_plural = "网站重建任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"重建 {self.hostname}：{self.get_status_display()} {self.pages_done}/{self.pages_total}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE or not self.pages_total:
            return 100
        return min(99, round(100 * self.pages_done / self.pages_total))


class RebuildChunk(models.Model):
    """The pages one worker renders for a rebuild; `done` is set once, by the first worker to finish it."""

    job = models.ForeignKey(RebuildJob, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField("序号")
    page_ids = models.JSONField("页面")
    queued_at = models.DateTimeField("入队时间", null=True, blank=True)
    done = models.BooleanField("已完成", default=False)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "重建分片"
        verbose_name_plural = "重建分片"
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="rebuild_chunk_once")]
