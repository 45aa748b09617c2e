"""依申请公开: applicants, applications, their append-only event log, and related records.

Facts are stored (dates of 《条例》第三十一条, events); the reply due date is derived by
`gongkai.law.clock` from the events. `Application.due_on` is only a cached copy for
listing and the deadlines board, rewritten by the actions (`applications.actions`)
whenever an event or the calendar changes.
"""

from __future__ import annotations


from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel, AgencyScopedQuerySet
from gongkai.core.fields import BlindIndexField, EncryptedTextField
from gongkai.core.masks import mask_address, mask_email, mask_id_number, mask_phone
from gongkai.core.querycodes import new_application_code
from gongkai.law.clock import EVENT_KINDS, EVENT_LABELS
from gongkai.law.masking import mask_name
from gongkai.law.receipt import CHANNELS
from gongkai.law.replies import PART_REASONS, REPLY_TYPES

class ApplicantKind(models.TextChoices):
    """The columns of table 三 of the annual report (keys of annual-report-format.md §7)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    SOCIAL_WELFARE = "social_welfare", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAU = "hk_macau", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_RESIDENT = "foreign_resident", _("外国人永久居留身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


#: Channels of submission: those of 《条例》第三十一条 (`gongkai.law.receipt`), which decides the receipt date.
Channel = models.TextChoices("Channel", [(code.upper(), (code, label)) for code, label in CHANNELS.items()])


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文档")
    EITHER = "either", _("纸质或电子均可")


class DeliveryWanted(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    FAX = "fax", _("传真")
    ONLINE = "online", _("网上查看")


class Status(models.TextChoices):
    """Where the case is in the process (kept apart from its outcome)."""

    PROCESSING = "processing", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待申请人补正")
    AWAITING_FEE = "awaiting_fee", _("待缴纳信息处理费")
    DECIDED = "decided", _("已答复，待送达")
    DELIVERED = "delivered", _("已送达")
    CLOSED = "closed", _("已终止处理")


OPEN_STATUSES = (Status.PROCESSING, Status.AWAITING_CORRECTION, Status.AWAITING_FEE)

#: Reply types (`gongkai.law.replies`: the rows of table 三, with their labels).
OUTCOME_CHOICES = [(key, info.label) for key, info in REPLY_TYPES.items()]


class Applicant(AgencyScopedModel):
    """The applicant as given with one application (a snapshot; never changed by a later one).

    Every registration stores its own row, so nothing a stranger types into the public
    form can change what another application stored or learn whether a person is known.
    The same person (same document) across channels and over time is found by
    `identity_hash`, a keyed hash of document type and number: it groups their
    applications for the 按件 fee's monthly count (国办函〔2020〕109号) and for repeat
    detection, for staff only. Staff registering a paper application may reuse an
    existing row explicitly (`application_register(applicant=<Applicant>)`).

    ID number, phone, e-mail and address are encrypted at rest (`gongkai.core.fields`);
    pages show them masked (`masked_*`), the full values only on an audited request.
    """

    kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = EncryptedTextField(_("证件号码"), max_length=40)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = EncryptedTextField(_("联系电话"), max_length=20)
    email = EncryptedTextField(_("电子邮箱"), max_length=254, blank=True, validators=[validate_email])
    address = EncryptedTextField(_("通信地址"), max_length=200, blank=True)
    postal_code = models.CharField(_("邮政编码"), max_length=6, blank=True)
    identity_hash = BlindIndexField(_("证件哈希"), kind="identity", sources=("id_type", "id_number"))
    phone_hash = BlindIndexField(_("联系电话哈希"), kind="phone", sources=("phone",))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="natural_person") | Q(id_type="credit_code") | Q(id_type="other"),
                name="applicant_org_document",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "identity_hash"], name="applicant_identity_idx"),
            models.Index(fields=["agency", "phone_hash"], name="applicant_phone_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        """张三 → 张某 for a person; an organisation's name is not personal data."""
        return mask_name(self.name) if self.kind == ApplicantKind.NATURAL_PERSON else self.name

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)


class ApplicationQuerySet(AgencyScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Application(AgencyScopedModel):
    number = models.CharField(_("申请编号"), max_length=20, help_text=_("本机关按收到年份编号，如 2026-0003。"))
    applicant = models.ForeignKey(Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="applications")
    applicant_kind = models.CharField(
        _("申请人类型（统计口径）"), max_length=20, choices=ApplicantKind.choices,
        help_text=_("年度报告第三部分按此列统计；更正须通过“更正申请人类型”操作并留痕。"),
    )
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    submitted_on = models.DateField(_("提交日期"), help_text=_("当面提交之日、寄出之日或网上/传真提交之日。"))
    signed_for_on = models.DateField(_("签收日期"), null=True, blank=True, help_text=_("邮寄（挂号）：本机关签收之日。"))
    confirmed_on = models.DateField(
        _("确认日期"), null=True, blank=True,
        help_text=_("邮寄（平信）：收到当日与申请人确认之日；网络、传真：双方确认之日。"),
    )
    received_on = models.DateField(_("收到申请之日"), help_text=_("按《条例》第三十一条由渠道和上述日期确定。"))
    subject = models.CharField(_("申请内容摘要"), max_length=200)
    description = models.TextField(_("所需信息的名称、文号或描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    form_wanted = models.CharField(_("获取信息的形式"), max_length=20, choices=FormWanted.choices, default=FormWanted.EITHER)
    delivery_wanted = models.CharField(_("获取信息的方式"), max_length=20, choices=DeliveryWanted.choices, default=DeliveryWanted.POST)
    query_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_application_code)
    status = models.CharField(_("办理状态"), max_length=24, choices=Status.choices, default=Status.PROCESSING)
    outcome = models.CharField(_("办理结果"), max_length=48, choices=OUTCOME_CHOICES, blank=True)
    outcome_basis = models.TextField(_("法律依据及理由"), blank=True)
    decided_on = models.DateField(_("答复（办结）日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=50, blank=True)
    # Cached clock values, rewritten by actions (never edited by hand). Not indexed, so that
    # recomputing many cases is a cheap (on PostgreSQL: HOT) update; see migration 0002.
    due_on = models.DateField(_("答复期限（缓存）"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    clock_state = models.CharField(_("计时状态（缓存）"), max_length=10, default="running")
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("疑似重复的申请"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )
    repeat_score = models.FloatField(_("相似度"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()
    status_noun = "申请"  # “该申请当前状态为……” (gongkai.core.domain.require_status)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="application_unique_number"),
            models.CheckConstraint(condition=Q(received_on__gte=models.F("submitted_on")), name="application_received_after_submitted"),
            models.CheckConstraint(
                condition=(Q(status__in=[s.value for s in OPEN_STATUSES], outcome="", decided_on__isnull=True)
                           | (~Q(status__in=[s.value for s in OPEN_STATUSES]) & ~Q(outcome="") & Q(decided_on__isnull=False))),
                name="application_outcome_iff_finished",
            ),
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_on__isnull=False) | (~Q(status="delivered") & Q(delivered_on__isnull=True)),
                name="application_delivered_date",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["agency", "received_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def outcome_info(self):
        return REPLY_TYPES.get(self.outcome)


#: Entries of a case's history that the clock does not replay.
HISTORY_ONLY_KINDS = {
    "note": _("备注"),
    "due_changed": _("答复期限重新计算"),
    "applicant_kind_changed": _("更正申请人类型"),
    "repeat_flagged": _("疑似重复申请"),
    "review": _("行政复议"),
    "litigation": _("行政诉讼"),
}

#: Kinds of case events: the clock's own (`gongkai.law.clock.EVENT_LABELS`, in its order and
#: with its names), then the history-only ones. ``EventKind.RECEIVED`` etc. as usual.
EventKind = models.TextChoices("EventKind", [
    (kind.upper(), (kind, label)) for kind, label in [*EVENT_LABELS.items(), *HISTORY_ONLY_KINDS.items()]
])

#: The events the clock replays: exactly the law's kinds.
CLOCK_KINDS = frozenset(EVENT_KINDS)


class ImmutableEventError(RuntimeError):
    pass


class ApplicationEventQuerySet(AgencyScopedQuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("办理记录只能追加，不能修改。")

    def delete(self):
        raise ImmutableEventError("办理记录只能追加，不能删除。")


class ApplicationEvent(AgencyScopedModel):
    """One line of a case's history; append-only (the clock is replayed from these)."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=32, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    end = models.DateField(_("截止或结束日期"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("工作日数"), null=True, blank=True)
    ref = models.CharField(_("关联编号"), max_length=32, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ApplicationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableEventError("办理记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("办理记录只能追加，不能删除。")


class ConsultedParty(models.TextChoices):
    THIRD_PARTY = "third_party", _("第三方（《条例》第三十二条）")
    CO_MAKER = "co_maker", _("共同制作机关（《条例》第三十四条）")


class ConsultationAnswer(models.TextChoices):
    CONSENT = "consent", _("同意公开")
    OBJECT = "object", _("不同意公开")
    NO_ANSWER = "no_answer", _("逾期未答复")


class Consultation(AgencyScopedModel):
    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="consultations")
    party_kind = models.CharField(_("征求对象类型"), max_length=20, choices=ConsultedParty.choices)
    party_name = models.CharField(_("征求对象名称"), max_length=100)
    party_address = models.CharField(_("征求对象地址"), max_length=200, blank=True)
    matter = models.TextField(_("征求意见事项"))
    sent_on = models.DateField(_("发函日期"))
    window_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"), default=15)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.CharField(_("答复意见"), max_length=12, choices=ConsultationAnswer.choices, blank=True)
    answer_note = models.TextField(_("意见内容"), blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["sent_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(answered_on__isnull=True, answer="") | (Q(answered_on__isnull=False) & ~Q(answer="")),
                                   name="consultation_answer_with_date"),
        ]

    def __str__(self) -> str:
        return f"征求{self.party_name}意见（{self.sent_on}）"


class FeeMethod(models.TextChoices):
    BY_COUNT = "by_count", _("按件计收")
    BY_PAGES = "by_pages", _("按量计收")


class Fee(AgencyScopedModel):
    """The 信息处理费 of one application (one method per application, 国办函〔2020〕109号第三条)."""

    application = models.OneToOneField(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="fee")
    method = models.CharField(_("计收方式"), max_length=10, choices=FeeMethod.choices)
    nth_in_month = models.PositiveIntegerField(_("当月第几件"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    amount = models.DecimalField(_("应缴金额（元）"), max_digits=10, decimal_places=2)
    explanation = models.TextField(_("计算说明"))
    notice_sent_on = models.DateField(_("收费通知发出日期"))
    notice_received_on = models.DateField(_("申请人收到通知日期"), null=True, blank=True)
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    amount_paid = models.DecimalField(_("实缴金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    receipt_no = models.CharField(_("票据号"), max_length=50, blank=True)
    expired_on = models.DateField(_("逾期未缴登记日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("信息处理费")
        verbose_name_plural = _("信息处理费")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_amount_positive"),
            models.CheckConstraint(condition=Q(paid_on__isnull=True) | Q(expired_on__isnull=True), name="fee_paid_or_expired"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} 元"


class DecisionPart(AgencyScopedModel):
    """One part of a partial disclosure (《条例》第三十七条): disclosed, or withheld with its reason."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="parts")
    position = models.PositiveSmallIntegerField(_("序号"))
    description = models.CharField(_("信息内容"), max_length=300)
    disclosed = models.BooleanField(_("予以公开"))
    reason = models.CharField(_("不予公开的理由类型"), max_length=48, blank=True,
                              choices=[(k, REPLY_TYPES[k].label) for k in PART_REASONS])
    basis = models.TextField(_("法律依据及理由"), blank=True)

    class Meta:
        verbose_name = _("部分公开的分项")
        verbose_name_plural = _("部分公开的分项")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(disclosed=True) | (~Q(reason="") & ~Q(basis="")), name="part_withheld_has_reason"),
        ]

    def __str__(self) -> str:
        return self.description


class ReviewResult(models.TextChoices):
    MAINTAINED = "maintained", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class LitigationRoute(models.TextChoices):
    DIRECT = "direct", _("未经复议直接起诉")
    AFTER_REVIEW = "after_review", _("复议后起诉")


class Reconsideration(AgencyScopedModel):
    """行政复议 about an application (annual report section 四, keys review.*)."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="reconsiderations")
    body = models.CharField(_("复议机关"), max_length=100)
    case_number = models.CharField(_("复议案号"), max_length=100, blank=True)
    filed_on = models.DateField(_("申请复议日期"))
    result = models.CharField(_("复议结果"), max_length=12, choices=ReviewResult.choices, default=ReviewResult.PENDING)
    concluded_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行政复议")
        verbose_name_plural = _("行政复议")
        ordering = ["-filed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(result="pending", concluded_on__isnull=True)
                                   | (~Q(result="pending") & Q(concluded_on__isnull=False)), name="review_concluded_date"),
        ]

    def __str__(self) -> str:
        return f"行政复议 {self.case_number or self.filed_on}（{self.application.number}）"


class Litigation(AgencyScopedModel):
    """行政诉讼 about an application (annual report section 四, keys litigation.*)."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="litigations")
    route = models.CharField(_("起诉情形"), max_length=12, choices=LitigationRoute.choices)
    court = models.CharField(_("受理法院"), max_length=100)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    filed_on = models.DateField(_("起诉日期"))
    result = models.CharField(_("诉讼结果"), max_length=12, choices=ReviewResult.choices, default=ReviewResult.PENDING)
    concluded_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行政诉讼")
        verbose_name_plural = _("行政诉讼")
        ordering = ["-filed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(result="pending", concluded_on__isnull=True)
                                   | (~Q(result="pending") & Q(concluded_on__isnull=False)), name="litigation_concluded_date"),
        ]

    def __str__(self) -> str:
        return f"行政诉讼 {self.case_number or self.filed_on}（{self.application.number}）"


class LetterTemplate(models.Model):
    """An editable letter text with {占位符}; one per letter kind (replies: one per outcome)."""

    key = models.CharField(_("文书类型"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), help_text=_("可用占位符见下方说明，例如 {申请人}、{收到日期}、{答复期限}。"))
    article = models.CharField(_("引用条款"), max_length=200)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class RecomputeJob(models.Model):
    """Recomputing every open case's due date after a holiday year was loaded, changed or removed.

    Done by a background worker (`gongkai.applications.tasks`): the calendar page shows its
    progress (cases computed of all open cases) and then what changed, or why it failed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("重算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    cases_done = models.PositiveIntegerField(_("已计算"), default=0)
    cases_total = models.PositiveIntegerField(_("在办申请数"), default=0)
    due_changed = models.PositiveIntegerField(_("期限改变"), default=0)
    stats = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("期限重算任务")
        verbose_name_plural = _("期限重算任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年放假安排变化后重算：{self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def summary(self) -> str:
        """One line in Chinese for the calendar page."""
        if self.status == self.Status.QUEUED:
            return f"{self.year}年放假安排已保存，正在排队等待重算在办申请的答复期限…"
        if self.status == self.Status.RUNNING:
            return (f"正在重算 {self.cases_done:,} / {self.cases_total:,} 件在办申请的答复期限"
                    f"（{self.year}年放假安排）…")
        if self.status == self.Status.DONE:
            return (f"已重算：{self.year}年放假安排变化后，{self.stats.get('open', self.cases_total):,} 件在办申请中"
                    f" {self.due_changed:,} 件期限改变。")
        return f"{self.year}年放假安排变化后重算答复期限失败：{self.error}"


# The release package (files given to the applicant, their redaction, downloads, letter seals).
from .releasemodels import Disposition, LetterSeal, RedactionJob, ReleaseDownload, ReleaseFile, Verification  # noqa: E402,F401
from .models_numbering import (  # noqa: E402,F401 - models of the app, kept in their own module
    CaseNotice, IssuedLetterNumber, LetterKind, LetterNumberPattern, LetterNumberSeries,
)
class SameInfoGroup(AgencyScopedModel):
    """What staff decided about cases of several applicants asking for the same information (《条例》第四十四条).

    The groups themselves are computed (`selectors.same_info_groups`) and change as cases
    arrive; this row records the decision on the cases it names: converted into a draft
    portal page (which goes through the review workflow) or dismissed with a reason. A
    computed group that shares a case with a decided row shows that decision and is not
    offered again. `key` (the group's first case) makes a second click on the same group
    find this row instead of making a second page.
    """

    class Status(models.TextChoices):
        CONVERTED = "converted", _("已转为主动公开")
        DISMISSED = "dismissed", _("不转为主动公开")

    key = models.CharField(_("组标识"), max_length=32, help_text=_("组内最早登记的申请，如 c123。"))
    applications = models.ManyToManyField(Application, verbose_name=_("申请"), related_name="same_info_groups")
    status = models.CharField(_("处理结果"), max_length=12, choices=Status.choices)
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("主动公开页面"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    page_title = models.CharField(_("页面标题"), max_length=255, blank=True)
    reason = models.TextField(_("不转为主动公开的理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("操作时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("依申请转主动")
        verbose_name_plural = _("依申请转主动")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="same_info_group_unique_key"),
            models.CheckConstraint(condition=Q(status="converted", page_title__gt="")
                                   | Q(status="dismissed", reason__gt=""), name="same_info_group_decision_complete"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}：{self.page_title or self.reason[:30]}"
