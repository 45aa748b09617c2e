"""Append-only audit events: who did what to which record, when, old and new values.

Append-only three times over: this model refuses updates and deletes; the database
refuses them too (a trigger, see migration 0004; on SQLite for UPDATE); and every event
is chained by SHA-256 (`chain.py`), so an edit or a gap made behind both is found by
`gongkai audit verify`. Events are written only by `record.record()`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import ACTIONS


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401 - append-only
        raise AuditImmutableError("审计记录只能追加，不能修改。")

    def delete(self):
        raise AuditImmutableError("审计记录只能追加，不能删除。")

    def for_agency(self, agency):
        return self.filter(agency=agency)


class AuditImmutableError(RuntimeError):
    pass


class AuditEvent(models.Model):
    # Set by record() before hashing (not auto_now_add, which would overwrite the hashed value).
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机构"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="audit_events",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    # No `choices` here: the codes live in codes.py, so adding one needs no migration.
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    subject_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    subject_label = models.CharField(_("对象"), max_length=255, blank=True)
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action_label} {self.subject_label}"

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("审计记录只能追加，不能修改。")
        if not self.hash or self.seq is None:
            raise AuditImmutableError("审计记录须通过 gongkai.audit.record.record() 写入（计入哈希链）。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("审计记录只能追加，不能删除。")
