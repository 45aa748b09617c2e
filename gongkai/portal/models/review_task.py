"""The 保密审查 step of the 信息发布审核 workflow (a Wagtail task) and where a page stands on it.

Wagtail asks the task model what to do with a reviewer's choice (`on_action`); it answers
through the audited actions, so this module sits above `actions`, beside the models.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from gongkai.core.domain import DomainError

from .. import actions


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
