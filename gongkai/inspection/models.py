"""Facts and results of the website self-inspection (《政府网站与政务新媒体检查指标》).

The rules are pure (`gongkai.law.inspection`); these models keep what the rules need and
cannot derive from the portal's pages and messages (availability probes, the link crawl,
the agency's 政务新媒体 accounts) and each day's result per site, for the history and the
supervising office's table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel


class Platform(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    TOUTIAO = "toutiao", _("今日头条")
    APP = "app", _("移动客户端")
    SCREEN = "screen", _("电子显示屏")
    OTHER = "other", _("其他")


class NewMediaAccount(AgencyScopedModel):
    """A 政务新媒体 account of the agency: checked for the 2-week update rule and for interaction."""

    platform = models.CharField(_("平台"), max_length=12, choices=Platform.choices)
    name = models.CharField(_("账号名称"), max_length=100)
    url = models.URLField(_("账号地址"), blank=True, help_text=_("公众号主页、微博主页等；电子屏可留空。"))
    feed_url = models.URLField(_("内容订阅地址（RSS/Atom）"), blank=True,
                               help_text=_("填写后每天自动读取最近更新日期；否则请在每次更新后登记。"))
    last_update = models.DateField(_("最近更新日期"), null=True, blank=True)
    last_update_source = models.CharField(_("更新日期来源"), max_length=12, blank=True,
                                          choices=[("manual", _("人工登记")), ("feed", _("订阅自动读取"))])
    has_interaction = models.BooleanField(_("提供互动功能（留言、私信等）"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("政务新媒体账号")
        verbose_name_plural = _("政务新媒体账号")
        constraints = [models.UniqueConstraint(fields=["agency", "platform", "name"], name="inspection_one_account")]

    def __str__(self):
        return f"{self.get_platform_display()}：{self.name}"


class AvailabilityProbe(AgencyScopedModel):
    """One visit of a site's own public URL (≥ 20 a day; a visit over 15 s counts as failed)."""

    site = models.ForeignKey("portal.PortalSite", verbose_name=_("网站"), on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("访问时间"), db_index=True)
    url = models.CharField(_("访问地址"), max_length=500)
    ok = models.BooleanField(_("访问成功"))
    seconds = models.FloatField(_("耗时（秒）"))
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("可用性探测")
        verbose_name_plural = _("可用性探测")
        indexes = [models.Index(fields=["site", "at"])]


class LinkCheckRun(AgencyScopedModel):
    """One crawl of a site's own published pages: every internal link and attachment followed."""

    site = models.ForeignKey("portal.PortalSite", verbose_name=_("网站"), on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("检查页面数"), default=0)
    links = models.PositiveIntegerField(_("检查链接数"), default=0)
    # Problems only: [{"source_ref", "source_title", "url", "status": "dead"|"unchecked", "reason"}].
    problems = models.JSONField(_("问题链接"), default=list, blank=True)
    error = models.TextField(_("未能完成的原因"), blank=True)

    class Meta:
        verbose_name = _("链接检查")
        verbose_name_plural = _("链接检查")
        get_latest_by = "started_at"


class SiteInspection(AgencyScopedModel):
    """The result of one day's self-inspection of one site (the rules' output, kept for the history)."""

    site = models.ForeignKey("portal.PortalSite", verbose_name=_("网站"), on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("检查日期"), db_index=True)
    rules = models.CharField(_("检查指标"), max_length=60)
    state = models.CharField(_("结论"), max_length=20)
    score = models.FloatField(_("得分"), null=True, blank=True)
    deduction_score = models.FloatField(_("扣分指标得分"))
    result = models.JSONField(_("检查结果"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网站自查结果")
        verbose_name_plural = _("网站自查结果")
        constraints = [models.UniqueConstraint(fields=["site", "on"], name="inspection_one_per_site_day")]
        ordering = ["-on"]
