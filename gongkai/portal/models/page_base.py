"""What every portal page shares: its agency, the publish guard, and catalogue metadata.

Every page knows its agency (taken from its parent when it is created), which gives the
索引号 prefix and scopes the admin. `publish()` is the one door through which Wagtail
publishes a revision — the admin, the workflow's last step, scheduled publishing, bulk
actions and our commands all pass here — so the 保密审查 guard sits in it.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from gongkai.agencies.access import changeable_agency_ids, visible_agency_ids
from gongkai.agencies.models import Agency
from gongkai.calendars.services import current_calendar
from gongkai.law import disclosure

from .. import mounts
from ..guard import PublishBlocked, cancel_scheduled, check_publishable
from .indexnumbers import index_number_issue
from ..reserved import ReservedSlugPageForm, reserved_slug_error
from ..slugs import needs_reading, slug_for
from ..richtext import clean_html
from .sites import PortalSite

# 《条例》第二十条 — the fifteen categories of proactively disclosed information.
STATUTORY_CATEGORIES = [
    ("01", "行政法规、规章和规范性文件"),
    ("02", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    ("03", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    ("04", "国民经济和社会发展统计信息"),
    ("05", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    ("06", "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定"),
    ("07", "财政预算、决算信息"),
    ("08", "行政事业性收费项目及其依据、标准"),
    ("09", "政府集中采购项目的目录、标准及实施情况"),
    ("10", "重大建设项目的批准和实施情况"),
    ("11", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    ("12", "突发公共事件的应急预案、预警信息及应对情况"),
    ("13", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    ("14", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    ("15", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
]
CATEGORY_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                     "十一", "十二", "十三", "十四", "十五"]


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    AMENDED = "amended", _("已修订")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")
    NOT_APPLICABLE = "na", _("不适用")


# GB/T 9704—2012 §7.2.5: 机关代字〔年份〕序号号, no leading zero, no 第.
DOC_NUMBER_RE = re.compile(r"^\S+〔(19|20)\d{2}〕[1-9]\d*号$")
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕",
                           "（": "〔", "）": "〕", "【": "〔", "】": "〕"})


def normalise_doc_number(value: str) -> str:
    """Turn look-alike brackets into 〔〕 and drop spaces (GB/T 9704)."""
    return re.sub(r"\s+", "", (value or "").translate(_BRACKETS))


def validate_doc_number(value: str) -> None:
    if value and not DOC_NUMBER_RE.match(normalise_doc_number(value)):
        raise ValidationError(
            "文号格式应为“机关代字〔年份〕序号号”，如“洛退役军人〔2020〕12号”：年份用六角括号，序号不编虚位、不加“第”。",
            code="doc_number",
        )


class PortalPageQuerySet(PageQuerySet):
    def visible_to(self, user):
        return self.filter(agency_id__in=visible_agency_ids(user))

    def changeable_by(self, user):
        return self.filter(agency_id__in=changeable_agency_ids(user))


PortalPageManager = PageManager.from_queryset(PortalPageQuerySet)


class PortalPageMixin(models.Model):
    """Agency ownership + the publish guard, mixed into every portal page type."""

    agency = models.ForeignKey(Agency, verbose_name=_("机构"), on_delete=models.PROTECT, editable=False,
                               related_name="+")

    objects = PortalPageManager()
    base_form_class = ReservedSlugPageForm

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self._refuse_reserved_slug()

    def _refuse_reserved_slug(self) -> None:
        """A slug that would hide an application route (/apply/, a column's feed/) is refused (reserved.py)."""
        if not self.path or (self.depth or 0) < 2:
            return  # not in the tree yet: the editor's form checks against the parent it knows
        parent = Page.objects.filter(path=self.path[: -Page.steplen]).first()
        message = reserved_slug_error(self.slug, parent)
        if message:
            raise ValidationError({"slug": message})

    def full_clean(self, *args, **kwargs):
        self._inherit_agency()
        self._clean_rich_text()
        self._readable_slug()
        super().full_clean(*args, **kwargs)

    def _readable_slug(self) -> None:
        """A new page (or a new slug) with no slug or a Chinese one gets a pinyin slug (slugs.py), on every path."""
        if not needs_reading(self.slug) or not self.path or (self.depth or 0) < 2:
            return  # readable already, or not in the tree yet: the editor's form does it with the parent it knows
        if self.pk and Page.objects.filter(pk=self.pk, slug=self.slug).exists():
            return  # the address the page already has stays
        self.slug = slug_for(self.slug, self.title, Page.objects.filter(path=self.path[: -Page.steplen]).first(), self)

    def minimal_clean(self):
        self._inherit_agency()
        self._clean_rich_text()
        super().minimal_clean()

    def _clean_rich_text(self) -> None:
        """Scripts and event handlers never reach the database, whatever path the text took."""
        for name in getattr(self, "rich_text_fields", ()):
            setattr(self, name, clean_html(getattr(self, name) or ""))

    def _inherit_agency(self) -> None:
        """A page belongs to the agency of the page it is created under."""
        if self.agency_id or not self.path or (self.depth or 0) < 2:
            return
        parent = Page.objects.filter(path=self.path[: -Page.steplen]).first()
        if parent is not None:
            self.agency_id = getattr(parent.specific_deferred, "agency_id", None)

    def publish(self, revision, user=None, changed=True, log_action=True, previous_revision=None,
                skip_permission_checks=False):
        with transaction.atomic():
            try:
                check_publishable(self, revision)
            except PublishBlocked as exc:
                if log_action == "wagtail.publish.scheduled":
                    # publish_scheduled runs for every page at once: cancel this one, keep going.
                    cancel_scheduled(self, revision, exc)
                    return None
                raise
            result = super().publish(revision, user=user, changed=changed, log_action=log_action,
                                     previous_revision=previous_revision,
                                     skip_permission_checks=skip_permission_checks)
            if hasattr(self, "index_number"):
                index_number_issue(self, actor=user)
        return result

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        obj.agency_id = self.agency_id
        if hasattr(obj, "index_number"):
            # Issued once at first publication and never changed (decisions.md §15).
            obj.index_number = type(self).objects.filter(pk=self.pk).values_list("index_number", flat=True).first()
        return obj

    # Bookkeeping Wagtail stores in every revision's content; not what a reviewer approves.
    REVISION_BOOKKEEPING = frozenset({"latest_revision", "latest_revision_created_at", "draft_title",
                                      "has_unpublished_changes", "live_revision", "locked", "locked_at", "locked_by",
                                      "first_published_at", "last_published_at", "live"})

    def save_revision(self, user=None, *args, previous_revision=None, clean=True, **kwargs):
        """During review, a save that changes nothing makes no new revision.

        The editor's footer saves the form before every workflow action, even when the
        reviewer changed nothing; with re-approval on edit, that empty revision made every
        earlier step's approval stale and sent the page back to 初审. A real change still
        makes a revision, and the steps approved before it are asked again.
        """
        if clean:
            self.full_clean()  # compare what Wagtail would store: the cleaned object
        latest = self.get_latest_revision() if self.pk and previous_revision is None else None
        if latest is not None and self.workflow_in_progress and self._same_content(latest.content):
            return latest
        return super().save_revision(user, *args, previous_revision=previous_revision, clean=False, **kwargs)

    def _same_content(self, stored: dict) -> bool:
        current = json.loads(json.dumps(self.serializable_data(), cls=DjangoJSONEncoder))
        keys = (set(current) | set(stored)) - self.REVISION_BOOKKEEPING
        return all(current.get(key) == stored.get(key) for key in keys)

    def get_url_parts(self, request=None):
        return mounts.url_parts(super().get_url_parts(request))

    @property
    def portal_site(self):
        return PortalSite.objects.filter(agency_id=self.agency_id).select_related("agency").first()


class DisclosablePage(PortalPageMixin, Page):
    """A page that is an item of the 政府信息公开目录 (《条例》第十二条): it carries the catalogue metadata."""

    index_number = models.CharField(_("索引号"), max_length=60, unique=True, null=True, blank=True, editable=False,
                                    help_text=_("首次发布时自动编号，此后不再改变、不再重复使用。"))
    statutory_category = models.CharField(_("公开类别（《条例》第二十条）"), max_length=2, blank=True,
                                          choices=STATUTORY_CATEGORIES)
    topic = models.CharField(_("主题分类"), max_length=60, blank=True, help_text=_("如：综合政务\\政务公开"))
    publisher = models.CharField(_("发布机构"), max_length=100, blank=True, help_text=_("留空则为本机关全称。"))
    written_on = models.DateField(_("成文日期"), null=True, blank=True,
                                  help_text=_("信息形成或者变更的日期，用于检查是否在20个工作日内公开（《条例》第二十六条）。"))
    doc_number = models.CharField(_("文号"), max_length=60, blank=True, validators=[validate_doc_number],
                                  help_text=_("如：洛退役军人〔2020〕12号"))
    disclosure_mode = models.CharField(_("公开方式"), max_length=16, choices=DisclosureMode.choices,
                                       default=DisclosureMode.PROACTIVE)
    validity = models.CharField(_("有效性"), max_length=12, choices=Validity.choices, default=Validity.NOT_APPLICABLE)
    summary = models.TextField(_("内容概述"), blank=True, max_length=500)
    body = RichTextField(_("正文"), blank=True)

    rich_text_fields = ("body",)
    is_creatable = False

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    catalogue_panels = [
        MultiFieldPanel([
            FieldPanel("statutory_category"), FieldPanel("topic"), FieldPanel("publisher"),
            FieldPanel("written_on"), FieldPanel("doc_number"), FieldPanel("disclosure_mode"),
            FieldPanel("validity"), FieldPanel("summary"),
        ], heading=_("目录信息")),
    ]
    content_panels = Page.content_panels + [FieldPanel("body"), InlinePanel("attachments", label=_("附件"))]

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")

    def clean(self):
        super().clean()
        self.doc_number = normalise_doc_number(self.doc_number)

    @property
    def publisher_name(self) -> str:
        return self.publisher or (self.agency.name if self.agency_id else "")

    @property
    def published_on(self):
        return timezone.localdate(self.first_published_at) if self.first_published_at else None

    @property
    def late_publication(self):
        """Working days past the 20 allowed by 《条例》第二十六条, or None when on time/unknown."""
        if not self.written_on or not self.first_published_at:
            return None
        timeliness = disclosure.publication_timeliness(self.written_on, self.published_on, current_calendar())
        return timeliness.late_days if timeliness.late else None


class PageAttachment(Orderable):
    """A PDF / DOCX / XLSX attached to a page (a Wagtail document)."""

    page = ParentalKey(DisclosablePage, on_delete=models.CASCADE, related_name="attachments",
                       verbose_name=_("页面"))
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("文件"))
    title = models.CharField(_("附件名称"), max_length=200, blank=True, help_text=_("留空则使用文件标题。"))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
