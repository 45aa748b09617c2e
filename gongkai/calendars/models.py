"""Holiday arrangements loaded by staff: one row per year, stored as its year file."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.law.calendar import CalendarDataError, parse_year_file


def year_file_validator(text: str) -> None:
    try:
        parse_year_file(text)
    except CalendarDataError as exc:
        raise ValidationError(str(exc), code="year_file") from None


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    yaml_text = models.TextField(
        _("放假安排（年度文件）"), validators=[year_file_validator],
        help_text=_("YAML 格式：year、notice、notice_date、rest_days（放假日期或区间）、working_days（调休上班的周末）。"),
    )
    notice = models.CharField(_("通知文号"), max_length=100, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("载入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年放假安排"
