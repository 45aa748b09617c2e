"""Citizens' messages (留言) and hotline tickets (工单), their routing, replies and publication.

A message is a fact record: what was received, when, through which channel, and what
happened to it. Its due date is derived from `received_on`, `time_limit_days` (the limit
in force for its category when it was triaged) and the working-day calendar in force;
it is never stored. Status (where the case is) is kept apart from outcome (how it ended).
"""

from __future__ import annotations


from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel
from gongkai.core.fields import BlindIndexField, EncryptedTextField
from gongkai.core.masks import mask_email, mask_phone
from gongkai.core.storage import private_storage
from gongkai.law.messages import DEFAULT_TIME_LIMITS, MAX_TIME_LIMIT, MIN_TIME_LIMIT


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")
    DIRECTOR_MAILBOX = "director_mailbox", _("局长信箱")


class Channel(models.TextChoices):
    WEBSITE = "website", _("网站留言")
    POLICE_110 = "police_110", _("110联动")
    HOTLINE_12345 = "hotline_12345", _("12345")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    RECEIVED = "received", _("待分办")
    IN_PROGRESS = "in_progress", _("办理中")
    PENDING_APPROVAL = "pending_approval", _("待审批")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    REPLIED = "replied", _("已答复")
    CONVERTED = "converted", _("转为政府信息公开申请")
    INVALID = "invalid", _("无效留言")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.PENDING_APPROVAL)

class Department(AgencyScopedModel):
    """An internal department (科室) that handles and answers messages (办理部门/答复部门)."""

    name = models.CharField(_("部门名称"), max_length=60)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("办理部门")
        verbose_name_plural = _("办理部门")
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="interaction_department_unique_name",
                violation_error_message=_("本机关已有同名的部门，请换一个名称。"),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="interaction_department_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class MessageSettings(AgencyScopedModel):
    """One agency's time limits (working days per category), approver and reminder lead time."""

    consult_days = models.PositiveSmallIntegerField(_("咨询办理时限（工作日）"), default=DEFAULT_TIME_LIMITS["consult"])
    suggestion_days = models.PositiveSmallIntegerField(_("建议办理时限（工作日）"), default=DEFAULT_TIME_LIMITS["suggestion"])
    complaint_days = models.PositiveSmallIntegerField(_("投诉办理时限（工作日）"), default=DEFAULT_TIME_LIMITS["complaint"])
    director_mailbox_days = models.PositiveSmallIntegerField(_("局长信箱办理时限（工作日）"), default=DEFAULT_TIME_LIMITS["director_mailbox"])
    remind_before_days = models.PositiveSmallIntegerField(
        _("提前提醒（工作日）"), default=2, help_text=_("到期前几个工作日开始提醒办理人员。"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("指定审批人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("除公开工作机构负责人外，还可由此人审批答复。须为本机关工作人员。"),
    )

    class Meta:
        verbose_name = _("留言办理设置")
        verbose_name_plural = _("留言办理设置")
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], name="interaction_settings_one_per_agency",
                violation_error_message=_("该机关已有留言办理设置，请在列表中编辑原有设置。"),
            ),
            models.CheckConstraint(
                condition=Q(**{f"{c}_days__{op}": n for c in DEFAULT_TIME_LIMITS
                               for op, n in (("gte", MIN_TIME_LIMIT), ("lte", MAX_TIME_LIMIT))}),
                name="interaction_settings_days_range",
            ),
            models.CheckConstraint(condition=Q(remind_before_days__lte=20), name="interaction_settings_remind_range"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} 留言办理设置"

    def time_limit(self, category: str) -> int:
        return getattr(self, f"{Category(category).value}_days")


class ImportBatch(AgencyScopedModel):
    """One import of a ticket file (110联动 / 12345); the tickets point back to it."""

    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    row_count = models.PositiveIntegerField(_("导入条数"))
    duplicate_count = models.PositiveIntegerField(_("已存在而跳过的条数"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工单导入批次")
        verbose_name_plural = _("工单导入批次")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"工单导入 {self.filename}（{self.row_count}条）"


class TicketImportJob(AgencyScopedModel):
    """A ticket file uploaded in the admin, waiting for or done by a background worker.

    The file is kept encrypted (it holds names and phone numbers) only until the worker has
    read it; the outcome is kept as the report lines the page shows.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    filename = models.CharField(_("文件名"), max_length=255)
    data = EncryptedTextField(_("文件内容"), blank=True)  # base64 of the file, emptied once read
    dry_run = models.BooleanField(_("只检查不导入"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    ok = models.BooleanField(_("文件无误"), default=False)
    imported = models.PositiveIntegerField(_("导入条数"), default=0)
    lines = models.JSONField(_("结果"), default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工单导入任务")
        verbose_name_plural = _("工单导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"工单导入 {self.filename}：{self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Message(AgencyScopedModel):
    """A citizen's message or a ticket from another channel, and how it was handled."""

    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    ticket_number = models.CharField(_("工单编号"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("留言内容"))
    writer_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Encrypted at rest (gongkai.core.fields); found by the keyed hash, shown masked by default.
    writer_phone = EncryptedTextField(_("联系电话"), max_length=30, blank=True)
    writer_email = EncryptedTextField(_("电子邮箱"), max_length=254, blank=True, validators=[validate_email])
    writer_phone_hash = BlindIndexField(_("联系电话哈希"), kind="phone", sources=("writer_phone",))
    wants_public = models.BooleanField(_("写信人同意公开"), default=False)
    query_code = models.CharField(_("查询码"), max_length=16, unique=True)
    received_on = models.DateField(_("受理日期"), db_index=True)
    received_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), help_text=_("受理或分办时按类别适用的时限；到期日由工作日历推算，不保存。"),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("办理部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="messages",
    )
    status = models.CharField(_("办理状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("办结说明"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    conversion_reason = models.TextField(_("转换理由（《条例》第三十九条）"), blank=True)
    source_application = models.ForeignKey(
        "applications.Application", verbose_name=_("转来的政府信息公开申请"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    converted_application = models.ForeignKey(
        "applications.Application", verbose_name=_("转为的政府信息公开申请"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    attachment = models.FileField(
        _("附件"), storage=private_storage, upload_to="interaction/%Y/%m/", blank=True, max_length=200,
    )
    attachment_name = models.CharField(_("附件原文件名"), max_length=120, blank=True)
    content_fingerprint = models.CharField(_("内容指纹"), max_length=64, db_index=True)
    import_batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="messages",
    )
    public_title = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_content = models.TextField(_("公开的留言内容（已遮盖个人信息）"), blank=True)
    public_reply = models.TextField(_("公开的答复内容（已遮盖个人信息）"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "ticket_number"], condition=~Q(ticket_number=""),
                name="interaction_message_unique_ticket",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome="")) | (~Q(status="closed") & Q(outcome="")),
                name="interaction_message_outcome_iff_closed",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="replied") | Q(replied_on__isnull=False),
                name="interaction_message_replied_has_date",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (Q(outcome="replied") & Q(wants_public=True)),
                name="interaction_message_published_only_replied_and_consented",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=MIN_TIME_LIMIT, time_limit_days__lte=MAX_TIME_LIMIT),
                name="interaction_message_time_limit_range",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["police_110", "hotline_12345"]) | Q(ticket_number=""),
                name="interaction_message_ticket_only_for_hotlines",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"]), models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["agency", "writer_phone_hash"], name="interaction_message_phone_idx"),
        ]

    def __str__(self) -> str:
        # No personal data here: this label is copied into audit records.
        if self.ticket_number:
            return f"{self.get_channel_display()}工单 {self.ticket_number}"
        return f"{self.get_category_display()}留言 #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.writer_phone)

    @property
    def masked_email(self) -> str:
        return mask_email(self.writer_email)

    @property
    def approved_reply(self):
        return next((r for r in self.replies.all() if r.status == ReplyStatus.APPROVED), None)


class Routing(AgencyScopedModel):
    """A hand-over of a message from one department to another, with the reason."""

    message = models.ForeignKey(Message, verbose_name=_("留言"), on_delete=models.CASCADE, related_name="routings")
    from_department = models.ForeignKey(
        Department, verbose_name=_("原办理部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    to_department = models.ForeignKey(
        Department, verbose_name=_("转至部门"), on_delete=models.PROTECT, related_name="+",
    )
    note = models.TextField(_("转办说明"))
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("转办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    routed_at = models.DateTimeField(_("转办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")
        ordering = ["routed_at", "id"]

    def __str__(self) -> str:
        return f"{self.message} 转至 {self.to_department}"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审批")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审批")


class Reply(AgencyScopedModel):
    """A reply drafted by the handling department and approved before it reaches the writer."""

    message = models.ForeignKey(Message, verbose_name=_("留言"), on_delete=models.CASCADE, related_name="replies")
    department = models.ForeignKey(
        Department, verbose_name=_("答复部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    text = models.TextField(_("答复内容"))
    status = models.CharField(_("状态"), max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交审批时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    review_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["drafted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message"], condition=Q(status="approved"), name="interaction_reply_one_approved",
            ),
            models.UniqueConstraint(
                fields=["message"], condition=Q(status__in=["draft", "pending", "returned"]),
                name="interaction_reply_one_working_copy",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reviewed_at__isnull=False),
                name="interaction_reply_approved_is_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message} 的答复"
