"""信息发布审核: the 保密审查 task, its keyword list and the reviewer's confirmations.

The workflow is 初审 → 保密审查 → 签发 (groups of the agency). The 保密审查 step shows the
automatic scan (see scan.py); the reviewer confirms each hit as acceptable or sends the
page back. The task cannot be approved, and the page cannot be published by any path,
while a hit of the revision is unconfirmed (guard.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

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


class ConfidentialityReviewTask(AbstractGroupApprovalTask):
    """保密审查: approve only after every hit of the automatic scan is confirmed."""

    class Meta:
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")

    @classmethod
    def get_description(cls):
        return _("自动扫描身份证号、手机号码、银行卡号和敏感词（含附件），审查人逐项确认或退回修改")

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("review", _("查看保密审查扫描结果"), False),
                ("reject", _("退回修改"), True),
                ("approve", _("通过保密审查"), False),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        from gongkai.core.domain import DomainError

        from . import actions

        review_url = reverse("portal_review", args=[task_state.workflow_state.object_id])
        if action_name == "review":
            return review_url
        if action_name == "reject":
            actions.review_send_back(task_state, actor=user, comment=kwargs.get("comment", ""))
            return None
        if action_name == "approve":
            try:
                actions.review_pass(task_state, actor=user, comment=kwargs.get("comment", ""))
            except DomainError:
                return review_url + "?blocked=1"
            return None
        return super().on_action(task_state, user, action_name, **kwargs)


def open_review_state(page) -> TaskState | None:
    """The in-progress 保密审查 task state of a page, if the page is on that step."""
    state = page.current_workflow_task_state
    if state is not None and isinstance(state.task.specific, ConfidentialityReviewTask):
        return state
    return None
