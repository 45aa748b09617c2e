"""The agency's own annual report: the draft, its signed revisions, and what staff add to it.

The cells are never stored on the draft: they are computed from the cases and the
catalogue (`compute.py`) every time. Signing stores an immutable snapshot
(`ReportRevision.snapshot`: cells, prose, findings with their reasons, drill-down refs), so
later edits to the year's cases do not change a signed report; a correction is a new
revision with a reason. Staff add what lives in other systems (`ActiveFigure`: 行政许可 /
行政处罚 / 行政强制 decisions, 行政事业性收费), written reasons for warnings
(`WarningExplanation`) and, when the system did not hold last year, last year's published
report file (`PreviousYearReport`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel
from gongkai.law.reportformat import spec

from .figures import figure_label

FIRST_YEAR = spec.FIRST_YEAR  # the first year with a unified format (国办公开办函〔2019〕60号)
LAST_YEAR = 2100


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SIGNED = "signed", _("已签发")
    PUBLISHED = "published", _("已公开")


class AnnualReport(AgencyScopedModel):
    """One agency's report for one year: status, prose of 一 / 五 / 六, and its revisions.

    ``revision`` is the number of the latest signed revision (0 = never signed).
    ``correction_reason`` is set while a signed report is reopened for a correction.
    """

    year = models.PositiveSmallIntegerField(_("报告年度"))
    status = models.CharField(_("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    section1 = models.TextField(_("一、总体情况"), blank=True)
    section5 = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    section6 = models.TextField(_("六、其他需要报告的事项"), blank=True)
    revision = models.PositiveSmallIntegerField(_("已签发版本号"), default=0)
    correction_reason = models.TextField(_("更正原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="annualreport_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                                   name="annualreport_year_range"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ReportStatus]),
                                   name="annualreport_status_valid"),
            models.CheckConstraint(condition=Q(status="draft") | Q(revision__gte=1),
                                   name="annualreport_signed_has_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    @property
    def sections(self) -> dict[str, str]:
        return {"一": self.section1, "五": self.section5, "六": self.section6}


class ImmutableRevisionError(RuntimeError):
    pass


class ReportRevision(AgencyScopedModel):
    """A signed version of a report, frozen as JSON; only its publication date is written later."""

    report = models.ForeignKey(AnnualReport, verbose_name=_("年度报告"), on_delete=models.PROTECT,
                               related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    format = models.CharField(_("报告格式"), max_length=20)
    snapshot = models.JSONField(_("签发时的报告内容"))
    correction_reason = models.TextField(_("更正原因"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT,
                                  related_name="+")
    signed_by_label = models.CharField(_("签发人名称"), max_length=150)
    signed_at = models.DateTimeField(_("签发时间"))
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by_label = models.CharField(_("公开操作人"), max_length=150, blank=True)

    MUTABLE_FIELDS = frozenset({"published_at", "published_by_label"})

    class Meta:
        verbose_name = _("年度报告签发版本")
        verbose_name_plural = _("年度报告签发版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="annualreport_revision_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="annualreport_revision_positive"),
            models.CheckConstraint(condition=Q(number=1) | ~Q(correction_reason=""),
                                   name="annualreport_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.MUTABLE_FIELDS:
                raise ImmutableRevisionError("已签发的报告版本不能修改；如需更正，请作出新的版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRevisionError("已签发的报告版本不能删除。")


class FigureVia(models.TextChoices):
    FORM = "form", _("表单填报")
    IMPORT = "import", _("文件导入")


class ActiveFigure(AgencyScopedModel):
    """A section 二 figure kept in another system, entered by staff with its source."""

    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("指标代码"), max_length=80)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=200,
                              help_text=_("如：市政务服务网行政许可办件系统 2026-01-05 导出"))
    via = models.CharField(_("录入方式"), max_length=8, choices=FigureVia.choices, default=FigureVia.FORM)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)

    class Meta:
        verbose_name = _("主动公开数据（填报）")
        verbose_name_plural = _("主动公开数据（填报）")
        ordering = ["year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "key"], name="annualreport_figure_unique"),
            models.CheckConstraint(condition=~Q(source=""), name="annualreport_figure_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {figure_label(self.key)}：{self.value.normalize():f}"


class WarningExplanation(AgencyScopedModel):
    """A written reason for one warning of a draft; kept even when a later one replaces it."""

    report = models.ForeignKey(AnnualReport, verbose_name=_("年度报告"), on_delete=models.PROTECT,
                               related_name="explanations")
    finding_id = models.CharField(_("提示编号"), max_length=200)
    rule = models.CharField(_("规则"), max_length=60)
    message = models.TextField(_("提示内容"))
    reason = models.TextField(_("说明理由"))
    explained_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("说明人"), on_delete=models.PROTECT,
                                     related_name="+")
    explained_at = models.DateTimeField(_("说明时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("警告说明")
        verbose_name_plural = _("警告说明")
        ordering = ["report", "finding_id", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="annualreport_explanation_has_reason")]

    def __str__(self) -> str:
        return f"{self.rule}：{self.reason[:40]}"


class PreviousYearReport(AgencyScopedModel):
    """Last year's published report file, parsed, for the continuity checks (R7, R8) and 五."""

    year = models.PositiveSmallIntegerField(_("报告年度"))
    file = models.FileField(_("报告文件"), upload_to="annualreport/previous/%Y/")
    file_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    format = models.CharField(_("识别出的格式"), max_length=20)
    parsed = models.JSONField(_("解析结果"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("上年度报告文件")
        verbose_name_plural = _("上年度报告文件")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annualreport_previous_unique")]

    def __str__(self) -> str:
        return f"{self.year}年度报告（{self.file_name}）"


class ReminderSent(AgencyScopedModel):
    """One reminder mail to an agency's office heads about one year's report on one day."""

    year = models.PositiveSmallIntegerField(_("报告年度"))
    sent_on = models.DateField(_("发送日期"))
    recipients = models.JSONField(_("收件人"), default=list)

    class Meta:
        verbose_name = _("年报提醒记录")
        verbose_name_plural = _("年报提醒记录")
        ordering = ["-sent_on"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "sent_on"],
                                               name="annualreport_one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.sent_on} 提醒 {self.year} 年度报告"


class PdfJob(AgencyScopedModel):
    """A PDF of one report's content, rendered by a background worker for a staff download.

    Keyed by the report and a hash of what the PDF shows (`content_key`: format, title, cells,
    prose), so an unchanged report is rendered once; the document to render is kept on the
    row, the file in the database (`data`), never under the public media folder.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("失败")

    report = models.ForeignKey(AnnualReport, verbose_name=_("年度报告"), on_delete=models.CASCADE,
                               related_name="pdf_jobs")
    content_key = models.CharField(_("内容摘要"), max_length=64)
    document = models.JSONField(_("报告内容"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    data = models.BinaryField(_("PDF文件"), blank=True, default=b"")
    error = models.TextField(_("失败原因"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度报告PDF生成任务")
        verbose_name_plural = _("年度报告PDF生成任务")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["report", "content_key"], name="annualreport_one_pdf_per_content")]

    def __str__(self) -> str:
        return f"{self.report_id} PDF：{self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
