"""The portal's page types: home, columns, articles, policies, interpretations, guides, topics."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from gongkai.agencies.models import Agency

from .. import selectors
from ..feeds import feed_response
from .page_base import DisclosablePage, PortalPageMixin, Validity
from ..selectors import paginate

CONTENT_TYPES = ["portal.ArticlePage", "portal.PolicyDocumentPage", "portal.InterpretationPage",
                 "portal.ServiceGuidePage", "portal.OrganisationPage", "portal.ContentPage"]


class ColumnKind(models.TextChoices):
    GENERAL = "general", _("综合")
    ORGANISATION = "organisation", _("组织机构")
    NEWS = "news", _("新闻动态")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    GUIDE = "guide", _("服务指南")
    INTERACTION = "interaction", _("互动交流")
    TOPICS = "topics", _("专题专栏")


class HomePage(PortalPageMixin, Page):
    """The root of one agency's site."""

    agency = models.ForeignKey(Agency, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    intro = models.CharField(_("首页导语"), max_length=200, blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.ColumnPage", "portal.DisclosureIndexPage", "portal.CataloguePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("网站首页")
        verbose_name_plural = _("网站首页")
        constraints = [models.UniqueConstraint(fields=["agency"], name="portal_one_home_per_agency")]

    def _inherit_agency(self) -> None:
        return  # the home page's agency is chosen when the site is created

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["blocks"] = self.blocks()
        return context

    def blocks(self) -> dict:
        """The home page's blocks: the latest items of each column shown on it, and the topics."""
        columns = ColumnPage.objects.child_of(self).live().filter(on_home=True).exclude(kind="topics")
        return {
            "columns": [{"column": column, "items": list(selectors.column_items(column)[:selectors.HOME_ITEMS])}
                        for column in columns.order_by("path")],
            "topics": list(TopicPage.objects.descendant_of(self).live().order_by("path")),
        }


class ColumnPage(RoutablePageMixin, PortalPageMixin, Page):
    """A column (栏目): an intro and a paginated list of what is published in it."""

    kind = models.CharField(_("栏目类型"), max_length=20, choices=ColumnKind.choices, default=ColumnKind.GENERAL)
    intro = RichTextField(_("栏目说明"), blank=True)
    on_home = models.BooleanField(_("在首页显示最新信息"), default=True)

    rich_text_fields = ("intro",)
    parent_page_types = ["portal.HomePage", "portal.ColumnPage", "portal.DisclosureIndexPage"]
    subpage_types = ["portal.ColumnPage", "portal.TopicPage"] + CONTENT_TYPES
    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro"), FieldPanel("on_home")]

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def listing(self):
        return selectors.column_items(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = paginate(self.listing(), request)
        context["subcolumns"] = self.get_children().live().type(ColumnPage, TopicPage).specific()
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return feed_response(self, "rss", request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return feed_response(self, "atom", request)

    @path("feed/json/", name="feed_json")
    def feed_json(self, request):
        return feed_response(self, "json", request)


class TopicPage(PortalPageMixin, Page):
    """A special topic (专题): a banner text and its own articles."""

    intro = RichTextField(_("专题介绍"), blank=True)

    rich_text_fields = ("intro",)
    parent_page_types = ["portal.ColumnPage"]
    subpage_types = ["portal.ArticlePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = paginate(selectors.column_items(self), request)
        return context


class ArticleKind(models.TextChoices):
    NEWS = "news", _("新闻")
    NOTICE = "notice", _("通知公告")


class ArticlePage(DisclosablePage):
    kind = models.CharField(_("类型"), max_length=10, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    source = models.CharField(_("信息来源"), max_length=100, blank=True)
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("题图"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    image_alt = models.CharField(_("题图替代文字"), max_length=200, blank=True,
                                 help_text=_("为视障读者描述图片内容；有题图时必填。"))

    parent_page_types = ["portal.ColumnPage", "portal.TopicPage"]
    subpage_types: list[str] = []
    content_panels = DisclosablePage.content_panels[:1] + [
        FieldPanel("kind"), FieldPanel("source"), MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")],
                                                                  heading=_("题图")),
    ] + DisclosablePage.content_panels[1:] + DisclosablePage.catalogue_panels

    class Meta:
        verbose_name = _("文章（新闻 / 通知公告）")
        verbose_name_plural = _("文章")

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": "请填写题图的替代文字，说明图片内容（无障碍要求）。"})


class PolicyDocumentPage(DisclosablePage):
    """A 规章 or 行政规范性文件, with its validity marked when amended or repealed."""

    doc_type = models.CharField(_("文件类型"), max_length=12, default="normative",
                                choices=[("rule", _("规章")), ("normative", _("行政规范性文件")), ("other", _("其他文件"))])
    issuer = models.CharField(_("发文机关"), max_length=200)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    amended_on = models.DateField(_("修订日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)

    parent_page_types = ["portal.ColumnPage"]
    subpage_types: list[str] = []
    content_panels = DisclosablePage.content_panels[:1] + [
        MultiFieldPanel([FieldPanel("doc_type"), FieldPanel("doc_number"), FieldPanel("issuer"),
                         FieldPanel("written_on"), FieldPanel("effective_on"), FieldPanel("validity"),
                         FieldPanel("amended_on"), FieldPanel("repealed_on")], heading=_("文件信息")),
    ] + DisclosablePage.content_panels[1:] + [
        MultiFieldPanel([FieldPanel("statutory_category"), FieldPanel("topic"), FieldPanel("publisher"),
                         FieldPanel("disclosure_mode"), FieldPanel("summary")], heading=_("目录信息")),
    ]

    class Meta:
        verbose_name = _("政策文件（规章 / 规范性文件）")
        verbose_name_plural = _("政策文件")
        constraints = [
            models.CheckConstraint(condition=models.Q(repealed_on__isnull=True) | models.Q(amended_on__isnull=True)
                                   | models.Q(repealed_on__gte=models.F("amended_on")),
                                   name="portal_policy_repeal_after_amend"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._state.adding and not args and "validity" not in kwargs:
            self.validity = Validity.VALID  # a new policy document is in force until marked otherwise

    def clean(self):
        super().clean()
        errors = {}
        if self.validity == Validity.REPEALED and not self.repealed_on:
            errors["repealed_on"] = "有效性为“已废止”时，请填写废止日期。"
        if self.validity == Validity.AMENDED and not self.amended_on:
            errors["amended_on"] = "有效性为“已修订”时，请填写修订日期。"
        if self.repealed_on and self.validity != Validity.REPEALED:
            errors["validity"] = "已填写废止日期，有效性应为“已废止”。"
        if errors:
            raise ValidationError(errors)

    @property
    def validity_mark(self) -> str:
        if self.validity == Validity.REPEALED:
            return f"本文件已于{self.repealed_on:%Y年%m月%d日}废止" if self.repealed_on else "本文件已废止"
        if self.validity == Validity.AMENDED:
            return f"本文件已于{self.amended_on:%Y年%m月%d日}修订" if self.amended_on else "本文件已修订"
        if self.validity == Validity.EXPIRED:
            return "本文件已失效"
        return ""

    def live_interpretations(self):
        return InterpretationPage.objects.live().filter(policy=self).order_by("-first_published_at")


class InterpretationPage(DisclosablePage):
    """A 政策解读, linked to the policy it explains (and shown on that policy's page)."""

    policy = models.ForeignKey(PolicyDocumentPage, verbose_name=_("所解读的政策文件"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="interpretations")
    form = models.CharField(_("解读形式"), max_length=12, default="text",
                            choices=[("text", _("文字解读")), ("graphic", _("图片解读")), ("video", _("视频解读")),
                                     ("interview", _("访谈解读"))])

    parent_page_types = ["portal.ColumnPage"]
    subpage_types: list[str] = []
    content_panels = DisclosablePage.content_panels[:1] + [FieldPanel("policy"), FieldPanel("form")] + \
        DisclosablePage.content_panels[1:] + DisclosablePage.catalogue_panels

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")


class ServiceGuidePage(DisclosablePage):
    """A 办事指南 with the eight element categories inspectors check."""

    item_name = models.CharField(_("事项名称"), max_length=200)
    legal_basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("申请条件"))
    materials = models.TextField(_("办理材料"))
    location = models.CharField(_("办理地点"), max_length=300)
    hours = models.CharField(_("办理时间"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=60)
    process = models.TextField(_("办理流程"))

    GUIDE_FIELDS = ("item_name", "legal_basis", "conditions", "materials", "location", "hours", "phone", "process")
    parent_page_types = ["portal.ColumnPage"]
    subpage_types: list[str] = []
    search_fields = DisclosablePage.search_fields + [index.SearchField("item_name")]
    content_panels = DisclosablePage.content_panels[:1] + [
        MultiFieldPanel([FieldPanel(name) for name in GUIDE_FIELDS], heading=_("办事指南要素")),
    ] + DisclosablePage.content_panels[1:] + DisclosablePage.catalogue_panels

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def guide_elements(self):
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.GUIDE_FIELDS]


class OrganisationPage(DisclosablePage):
    section = models.CharField(_("内容"), max_length=16, default="functions",
                               choices=[("functions", _("机构职能")), ("leaders", _("负责人")),
                                        ("departments", _("内设机构")), ("contact", _("联系方式"))])

    template = "portal/content_page.html"
    parent_page_types = ["portal.ColumnPage"]
    subpage_types: list[str] = []
    content_panels = DisclosablePage.content_panels[:1] + [FieldPanel("section")] + \
        DisclosablePage.content_panels[1:] + DisclosablePage.catalogue_panels

    class Meta:
        verbose_name = _("机构信息")
        verbose_name_plural = _("机构信息")


class ContentPage(DisclosablePage):
    """A plain disclosed page, e.g. 政府信息公开指南 or 政府信息公开制度."""

    parent_page_types = ["portal.ColumnPage", "portal.DisclosureIndexPage"]
    subpage_types: list[str] = []
    content_panels = DisclosablePage.content_panels + DisclosablePage.catalogue_panels

    class Meta:
        verbose_name = _("内容页")
        verbose_name_plural = _("内容页")
