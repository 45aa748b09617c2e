"""Letter numbers (文号) of an agency, and the notices of steps the system took by itself.

Imported by `models.py` (Django finds the models there); kept apart because they are a
second concept: an agency's 文号 patterns, the series that count them (one row per agency,
prefix and year, locked while a number is taken, so a number is never given twice), the
numbers issued (one per letter of a case, so a reprint shows the same number), and
`CaseNotice`, what the case handlers are told when a window lapsed (`lapses.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("登记回执")
    CORRECTION = "correction", _("补正告知书")
    CONSULT_THIRD_PARTY = "consult_third_party", _("征求意见书（第三方）")
    CONSULT_CO_MAKER = "consult_co_maker", _("征求意见书（共同制作机关）")
    EXTENSION = "extension", _("延期答复告知书")
    FEE = "fee", _("收费通知书")
    SPECIAL_DEADLINE = "special_deadline", _("另行确定答复期限告知书")
    REPLY = "reply", _("答复书／告知书")


LETTER_KIND_CHOICES = [("", _("全部文书（未单独设置的）")), *LetterKind.choices]


class LetterNumberPattern(AgencyScopedModel):
    """The agency's 文号 pattern for one kind of letter, or for every kind (`letter_kind` = "")."""

    letter_kind = models.CharField(_("文书类型"), max_length=30, blank=True, choices=LETTER_KIND_CHOICES,
                                   help_text=_("留空表示适用于未单独设置格式的全部文书。"))
    pattern = models.CharField(
        _("文号格式"), max_length=100,
        help_text=_("例如 洛退役依申答〔{年}〕{序号}号。可用占位符：{年}、{序号}（必填）、{机关简称}、{类型}。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("文号格式")
        verbose_name_plural = _("文号格式")
        ordering = ["agency", "letter_kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "letter_kind"], name="letter_pattern_one_per_kind"),
            models.CheckConstraint(condition=Q(pattern__contains="{序号}"), name="letter_pattern_has_serial",
                                   violation_error_message=_("文号格式必须包含 {序号}。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_letter_kind_display()}：{self.pattern}"


class LetterNumberSeries(AgencyScopedModel):
    """The last serial taken in one series (agency, prefix, year); year 0 = a pattern without {年}."""

    prefix = models.CharField(_("文号前缀"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("文号序列")
        verbose_name_plural = _("文号序列")
        constraints = [models.UniqueConstraint(fields=["agency", "prefix", "year"], name="letter_series_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}（{self.year or '不分年份'}）至 {self.last} 号"


class IssuedLetterNumber(AgencyScopedModel):
    """The 文号 a letter of a case was given when first printed; it never changes."""

    application = models.ForeignKey("applications.Application", verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="letter_numbers")
    letter_key = models.CharField(_("文书"), max_length=60)
    ref = models.CharField(_("关联编号"), max_length=32, blank=True)
    number = models.CharField(_("文号"), max_length=140)
    prefix = models.CharField(_("文号前缀"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("序号"))
    issued_at = models.DateTimeField(_("编号时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编号人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("已编文号")
        verbose_name_plural = _("已编文号")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "letter_key", "ref"], name="letter_number_once_per_letter"),
            models.UniqueConstraint(fields=["agency", "prefix", "year", "serial"], name="letter_number_serial_unique"),
            models.UniqueConstraint(fields=["agency", "number"], name="letter_number_text_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseNotice(AgencyScopedModel):
    """A step the system took on a case by itself, until one of its handlers has read it."""

    class Kind(models.TextChoices):
        CONSULTATION_LAPSED = "consultation_lapsed", _("征求意见逾期未答复")
        FEE_LAPSED = "fee_lapsed", _("逾期未缴费，不再处理")

    application = models.ForeignKey("applications.Application", verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="notices")
    kind = models.CharField(_("事项"), max_length=30, choices=Kind.choices)
    ref = models.CharField(_("关联编号"), max_length=32, blank=True)
    on = models.DateField(_("日期"))
    text = models.TextField(_("说明"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    seen_at = models.DateTimeField(_("知悉时间"), null=True, blank=True)
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("知悉人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("系统自动处理通知")
        verbose_name_plural = _("系统自动处理通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "ref"], name="case_notice_once"),
            models.CheckConstraint(condition=Q(seen_at__isnull=True) | Q(seen_by__isnull=False), name="case_notice_seen_by"),
        ]
        indexes = [models.Index(fields=["agency", "seen_at"], name="case_notice_unseen_idx")]

    def __str__(self) -> str:
        return f"{self.application.number}：{self.get_kind_display()}"
