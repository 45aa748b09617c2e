"""The release package of a case: the files given to the applicant, their redaction, their downloads.

A `ReleaseFile` is one document staff attach to a case with its disposition (公开 / 部分公开 /
不予公开, the basis for what is withheld). The original and the released copy (redacted, or
the original as is) are stored privately (`gongkai.core.storage`), never under MEDIA_ROOT.
A redaction runs as a `RedactionJob` in the background; its verdict says whether every
marked string is gone. Pages the engine could not check (scans whose text it cannot read)
need a second staff member's confirmation before the file can be released.

`ReleaseDownload` logs each electronic delivery download (client IP as a keyed hash only);
`LetterSeal` is the verification code printed on every letter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel
from gongkai.core.storage import private_storage
from gongkai.law.replies import PART_REASONS, REPLY_TYPES


class Disposition(models.TextChoices):
    FULL = "full", _("公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")


class Verification(models.TextChoices):
    NOT_NEEDED = "not_needed", _("不提供，无需核验")
    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验")
    UNVERIFIED = "unverified", _("未能核验")
    FAILED = "failed", _("核验未通过")


def _release_path(instance, filename: str) -> str:
    return f"release/{instance.agency_id}/{instance.application_id}/{filename}"


class ReleaseFile(AgencyScopedModel):
    """One file of a case's release package, with its disposition and the state of its redaction."""

    application = models.ForeignKey("applications.Application", verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="release_files")
    name = models.CharField(_("文件名"), max_length=200)
    original = models.FileField(_("原件"), storage=private_storage, upload_to=_release_path, max_length=300)
    original_sha256 = models.CharField(_("原件SHA-256"), max_length=64)
    released = models.FileField(_("公开文本"), storage=private_storage, upload_to=_release_path, max_length=300,
                                blank=True)
    sha256 = models.CharField(_("公开文本SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    disposition = models.CharField(_("处理方式"), max_length=10, choices=Disposition.choices)
    reason = models.CharField(_("不予公开的理由类型"), max_length=48, blank=True,
                              choices=[(k, REPLY_TYPES[k].label) for k in PART_REASONS])
    basis = models.TextField(_("法律依据及理由"), blank=True)
    marks = models.JSONField(_("遮盖标记"), default=list, blank=True)
    verification = models.CharField(_("核验状态"), max_length=12, choices=Verification.choices)
    survivors = models.JSONField(_("未遮盖干净之处（已遮盖显示）"), default=list, blank=True)
    unverified_pages = models.JSONField(_("未能核验的页"), default=list, blank=True)
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("遮盖人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    redacted_at = models.DateTimeField(_("遮盖时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        ordering = ["application", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(disposition="full") | (~Q(reason="") & ~Q(basis="")),
                                   name="release_withheld_has_basis"),
            models.CheckConstraint(condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                                   | Q(verification="unverified", confirmed_by__isnull=False,
                                       confirmed_at__isnull=False),
                                   name="release_confirmed_only_unverified"),
            models.CheckConstraint(condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("redacted_by")),
                                   name="release_confirmed_by_second_person"),
            models.CheckConstraint(condition=~Q(verification__in=["verified", "unverified", "not_needed"])
                                   | (Q(disposition="withheld") | ~Q(sha256="")),
                                   name="release_checked_has_file"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def releasable(self) -> bool:
        """May the applicant receive it: not withheld, and verified, confirmed, or not needing redaction."""
        if self.disposition == Disposition.WITHHELD or not self.sha256:
            return False
        if self.verification == Verification.VERIFIED:
            return True
        return self.verification == Verification.UNVERIFIED and self.confirmed_at is not None

    @property
    def basis_label(self) -> str:
        if self.disposition == Disposition.FULL:
            return ""
        return f"{REPLY_TYPES[self.reason].label}：{self.basis}" if self.reason in REPLY_TYPES else self.basis


class RedactionJob(AgencyScopedModel):
    """One redaction of one release file, run by a background worker; the case page shows its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("遮盖中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    release_file = models.ForeignKey(ReleaseFile, verbose_name=_("公开文件"), on_delete=models.CASCADE,
                                     related_name="jobs")
    marks = models.JSONField(_("遮盖标记"), default=list)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    pages_done = models.PositiveIntegerField(_("已处理页数"), default=0)
    pages_total = models.PositiveIntegerField(_("总页数"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("遮盖任务")
        verbose_name_plural = _("遮盖任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"遮盖 {self.release_file}：{self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def summary(self) -> str:
        if self.status == self.Status.QUEUED:
            return "已提交遮盖，正在排队…"
        if self.status == self.Status.RUNNING:
            return f"正在遮盖并核验：已完成 {self.pages_done} / {self.pages_total or '?'} 步（每页遮盖、核验各一步）…"
        if self.status == self.Status.DONE:
            return "遮盖已完成。"
        return f"遮盖失败：{self.error}"


class ReleaseDownload(AgencyScopedModel):
    """One download by the applicant from the status page (the letter, or a released file)."""

    application = models.ForeignKey("applications.Application", verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="downloads")
    release_file = models.ForeignKey(ReleaseFile, verbose_name=_("公开文件"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="downloads",
                                     help_text=_("为空表示下载的是答复书。"))
    at = models.DateTimeField(_("下载时间"))
    ip_hash = models.CharField(_("客户端地址哈希"), max_length=64)

    class Meta:
        verbose_name = _("网上送达下载记录")
        verbose_name_plural = _("网上送达下载记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.release_file or '答复书'}"


class LetterSeal(AgencyScopedModel):
    """The verification code printed on a letter: the letter it stands for, without any personal data."""

    code = models.CharField(_("核验码"), max_length=16, unique=True)
    content_sha256 = models.CharField(_("文书内容SHA-256"), max_length=64)
    application = models.ForeignKey("applications.Application", verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="seals")
    kind = models.CharField(_("文书类型"), max_length=60)
    title = models.CharField(_("文书名称"), max_length=100)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    signed_on = models.DateField(_("文书日期"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书核验码")
        verbose_name_plural = _("文书核验码")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "content_sha256"], name="letterseal_one_per_content"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
