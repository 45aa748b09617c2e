"""Agencies (行政机关) and the staff roles held in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.law.identifiers import IdentifierError, validate_credit_code

from .access import changeable_agency_ids, visible_agency_ids
from .roles import Role


def credit_code_validator(value: str) -> None:
    try:
        validate_credit_code(value)
    except IdentifierError as exc:
        raise ValidationError(str(exc), code="credit_code") from None


class Level(models.TextChoices):
    STATE_COUNCIL_DEPT = "state_council_dept", _("国务院部门")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class Kind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府（含办公厅/室）")
    DEPARTMENT = "department", _("政府部门")


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pk__in=visible_agency_ids(user))


class Agency(models.Model):
    name = models.CharField(_("机构全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[credit_code_validator],
        help_text=_("18位，按 GB 32100 校验。"),
    )
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    level = models.CharField(_("层级"), max_length=24, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    supervisor = models.ForeignKey(
        "self", verbose_name=_("上级政务公开办"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supervised",
        help_text=_("负责监督本机关政务公开工作的机构（其政务公开办）。"),
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                name="agency_credit_code_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.supervisor_id and self.pk and self.supervisor_id == self.pk:
            raise ValidationError({"supervisor": _("机构不能监督自己。")})


class Membership(models.Model):
    """One role a user holds in one agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role")]
        ordering = ["agency__name", "user__username", "role"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} · {self.agency} · {self.get_role_display()}"


class AgencyScopedQuerySet(models.QuerySet):
    """Queryset of a model that belongs to an agency (field `agency`)."""

    def visible_to(self, user):
        return self.filter(agency_id__in=visible_agency_ids(user))

    def changeable_by(self, user):
        return self.filter(agency_id__in=changeable_agency_ids(user))


class AgencyScopedModel(models.Model):
    """Base for every record that belongs to one agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("机构"), on_delete=models.PROTECT)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        abstract = True
