"""One Wagtail site per agency, with the footer data inspectors look for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel


class PortalSite(AgencyScopedModel):
    site = models.OneToOneField("wagtailcore.Site", verbose_name=_("网站"), on_delete=models.CASCADE,
                                related_name="portal")
    sponsor = models.CharField(_("主办单位"), max_length=100)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True,
                                 help_text=_("10位数字（行政区划代码开头）或 bm 加8位数字。"))
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True, help_text=_("如：豫ICP备12345678号"))
    police_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True,
                                     help_text=_("如：豫公网安备 41030202000123号"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("门户网站设置")
        verbose_name_plural = _("门户网站设置")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="portal_one_site_per_agency"),
            models.CheckConstraint(condition=models.Q(site_code="") | models.Q(site_code__regex=r"^(\d{10}|bm\d{8})$"),
                                   name="portal_site_code_shape"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.site.hostname}"
