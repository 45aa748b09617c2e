"""信息发布审核: the 保密审查 keyword list, the reviewer's confirmations and the attachment texts.

The workflow is 初审 → 保密审查 → 签发 (groups of the agency). The 保密审查 step shows the
automatic scan (see scan.py); the reviewer confirms each hit as acceptable or sends the
page back (the task itself: review_task.py). The task cannot be approved, and the page cannot be published by any path,
while a hit of the revision is unconfirmed (guard.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from gongkai.agencies.models import AgencyScopedModel


class ScanKeyword(AgencyScopedModel):
    """A word the 保密审查 scan looks for, in addition to the built-in list."""

    word = models.CharField(_("关键词"), max_length=40)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("保密审查关键词")
        verbose_name_plural = _("保密审查关键词")
        constraints = [models.UniqueConstraint(fields=["agency", "word"], name="portal_scankeyword_unique")]

    def __str__(self) -> str:
        return self.word


class HitConfirmation(AgencyScopedModel):
    """A reviewer's decision that one scan hit on one page may be published."""

    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE,
                             related_name="+")
    fingerprint = models.CharField(_("命中标识"), max_length=32)
    kind = models.CharField(_("类型"), max_length=16)
    masked_value = models.CharField(_("内容（部分隐藏）"), max_length=200)
    location = models.CharField(_("位置"), max_length=200)
    reason = models.CharField(_("确认理由"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("保密审查确认")
        verbose_name_plural = _("保密审查确认")
        constraints = [models.UniqueConstraint(fields=["page", "fingerprint"], name="portal_hit_confirm_unique")]

    def __str__(self) -> str:
        return f"{self.location} {self.masked_value}"


class AttachmentText(models.Model):
    """Text extracted from an uploaded file, cached by content hash (extraction is slow)."""

    sha256 = models.CharField(_("文件摘要"), max_length=64, unique=True)
    ok = models.BooleanField(_("已提取"), default=False)
    text = models.TextField(_("文本"), blank=True)
    problem = models.CharField(_("未能提取的原因"), max_length=300, blank=True)
    extracted_at = models.DateTimeField(_("提取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件文本")
        verbose_name_plural = _("附件文本")


class DocumentExtraction(models.Model):
    """Extracting the text of one uploaded file (one version of a document, by Wagtail's file hash).

    Done by a background worker (`portal.tasks.extract_document_text`) when the document is
    uploaded or changed, or when a scan first needs it; the 保密审查 scan in a request only
    reads the result, and says "附件正在提取文字，请稍候刷新" (refusing publication) until it is there.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("提取中")
        DONE = "done", _("已提取")
        FAILED = "failed", _("失败")

    document = models.ForeignKey(get_document_model_string(), verbose_name=_("文件"), on_delete=models.CASCADE,
                                 related_name="+")
    file_hash = models.CharField(_("文件摘要（SHA-1）"), max_length=40)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    text = models.ForeignKey(AttachmentText, verbose_name=_("提取的文字"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附件文字提取任务")
        verbose_name_plural = _("附件文字提取任务")
        constraints = [models.UniqueConstraint(fields=["document", "file_hash"], name="portal_one_extraction_per_file")]

    def __str__(self) -> str:
        return f"{self.document_id} 文字提取：{self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
