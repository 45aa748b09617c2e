"""What the portal knows about one site on one day, as the facts of `gongkai.law.inspection`.

Everything is read from the records the platform keeps anyway — the live pages and their
first-publication times, the columns, the website messages, the 政务新媒体 accounts — plus
the two observations this app makes (availability probes, the link crawl). Where there is
no observation, the fact is `None` and the rules report the check as 未能检查.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from gongkai.calendars.services import current_calendar
from gongkai.interaction.models import Channel, Message, MessageSettings, Outcome
from gongkai.law import inspection as rules
from gongkai.law.disclosure import publication_timeliness
from gongkai.portal import selectors
from gongkai.portal.models import (
    AnnualReportIndexPage, AnnualReportPage, ColumnPage, ContentPage, DisclosablePage, DisclosureIndexPage,
    HomePage, InterpretationPage, PolicyDocumentPage, ServiceGuidePage,
)
from gongkai.portal.models.page_base import Validity

from .models import LinkCheckRun, NewMediaAccount
from .probe import links_as_facts, probes_as_facts

# Our column kinds → the rules' kinds (动态/要闻, 通知公告, 政策文件, other columns that should be
# updated, and columns with no update duty such as 机构概况 or the 互动交流 entry).
COLUMN_KIND = {
    "news": "news", "notice": "notice", "policy": "policy",
    "interpretation": "regular", "guide": "regular", "general": "regular",
    "organisation": "static", "interaction": "static", "topics": "static",
}
GUIDE_FIELDS = (("item_name", "事项名称"), ("legal_basis", "设定依据"), ("conditions", "申请条件"),
                ("materials", "办理材料"), ("location", "办理地点"), ("hours", "办理时间"), ("phone", "联系电话"),
                ("process", "办理流程"))
MARKED_VALIDITY = (Validity.AMENDED, Validity.REPEALED, Validity.EXPIRED)


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _end_of(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))


def home_of(site) -> HomePage:
    return HomePage.objects.get(agency_id=site.agency_id)


def site_facts(site, on: date, ruleset: rules.RuleSet | None = None) -> rules.SiteFacts:
    """The facts of `site` (a `portal.PortalSite`) as they stood at the end of `on`."""
    home = home_of(site)
    until = _end_of(on)
    calendar = current_calendar()
    links = _links(site, until)
    live = DisclosablePage.objects.live().filter(agency_id=site.agency_id, first_published_at__lt=until)
    return rules.SiteFacts(
        name=site.sponsor or site.agency.name,
        on=on,
        home_items=_home_items(home, until),
        columns=_columns(home, until),
        messages=_messages(site.agency, on, calendar),
        channels=_channels(site, links),
        probes=_probes(site, on, ruleset or rules.default_rules()),
        links=links,
        pages=_pages(live, calendar),
        disclosure_column=_disclosure_column(home, site.agency, on, until),
        accessibility=None,  # no axe run on the production site yet: reported as 未能检查
        elderly_mode=True,  # every portal page offers 关怀模式 (portal/base.html), by construction
        reply_limit_days=MessageSettings.objects.filter(agency=site.agency).values_list("consult_days", flat=True)
        .first() or 5,
        new_media=_new_media(site.agency, on),
    )


def _home_items(home, until) -> list[date | None]:
    items = []
    for column in ColumnPage.objects.child_of(home).live().filter(on_home=True).exclude(kind="topics"):
        dates = (selectors.column_items(column).filter(first_published_at__lt=until)
                 .values_list("first_published_at", flat=True)[:selectors.HOME_ITEMS])
        items += [_day(d) for d in dates]
    return items


def _columns(home, until) -> list[rules.ColumnFacts]:
    out = []
    for column in ColumnPage.objects.descendant_of(home).live().order_by("path"):
        items = selectors.column_items(column).filter(first_published_at__lt=until)
        last = items.order_by().aggregate(last=Max("first_published_at"))["last"]
        parent = column.get_parent()
        level = 1 if parent.pk == home.pk or parent.specific_class is DisclosureIndexPage else 2
        out.append(rules.ColumnFacts(ref=f"page:{column.pk}", title=column.title,
                                     kind=COLUMN_KIND.get(column.kind, "regular"), level=level,
                                     last_item=_day(last), item_count=items.count()))
    return out


def _messages(agency, on: date, calendar) -> list[rules.MessageFacts]:
    """Website messages received in the year before `on` (the veto looks back one year)."""
    since = on - timedelta(days=366)
    out = []
    for m in (Message.objects.filter(agency=agency, channel=Channel.WEBSITE, received_on__gte=since,
                                     received_on__lte=on).order_by("received_on", "pk")):
        answered = m.replied_on if m.replied_on and m.replied_on <= on else None
        counts = m.outcome not in (Outcome.INVALID, Outcome.CONVERTED)
        end = answered or on
        out.append(rules.MessageFacts(
            ref=f"message:{m.pk}", title=m.public_title or m.title, received=m.received_on, answered=answered,
            counts=counts, working_days_to_reply=calendar.working_days_between(m.received_on, end),
            limit_days=m.time_limit_days))
    return out


def _channels(site, links) -> list[rules.ChannelFacts]:
    """The site's 网站留言 form (part of every portal): working unless its URL is gone or the crawl found it dead."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("interaction:write")
    except NoReverseMatch:
        return [rules.ChannelFacts(ref="interaction:write", title="网站留言", kind="consultation", has_working_form=False)]
    dead = any(link.status == "dead" and link.url.split("?")[0].endswith(url) for link in links or ())
    return [rules.ChannelFacts(ref=url, title="网站留言（咨询、建议、投诉）", kind="consultation",
                               has_working_form=not dead)]


def _probes(site, on: date, ruleset: rules.RuleSet) -> list[rules.ProbeFacts] | None:
    """The visits of the days before `on` the rules look at (7); None when there was none at all."""
    days = int(ruleset.v("unreachable", "days"))
    start = _end_of(on - timedelta(days=days + 1))
    return probes_as_facts(site, start, _end_of(on - timedelta(days=1))) or None


def _links(site, until) -> list[rules.LinkFacts] | None:
    """The problems of the latest link check finished by then (None: no usable check)."""
    return links_as_facts(LinkCheckRun.objects.filter(site=site, finished_at__isnull=False, finished_at__lt=until)
                          .order_by("-finished_at").first())


def _pages(live, calendar) -> list[rules.PageFacts]:
    out = []
    interpreted = set(InterpretationPage.objects.live().exclude(policy__isnull=True).values_list("policy_id", flat=True))
    for page in live.specific().order_by("path"):
        published = _day(page.first_published_at)
        kind, extra = "article", {}
        if isinstance(page, PolicyDocumentPage):
            repealed = page.repealed_on is not None
            kind = "policy"
            extra = {"has_interpretation": page.pk in interpreted, "repealed": repealed,
                     "repeal_marked": repealed and page.validity in MARKED_VALIDITY}
        elif isinstance(page, InterpretationPage):
            kind = "interpretation"
            extra = {"interpretation_of": str(page.policy_id) if page.policy_id else None}
        elif isinstance(page, ServiceGuidePage):
            kind = "guide"
            extra = {"guide_missing": tuple(label for name, label in GUIDE_FIELDS
                                            if not str(getattr(page, name) or "").strip())}
        elif isinstance(page, (ContentPage, AnnualReportPage)):
            kind = "other"
        days = None
        if page.written_on and published and page.written_on <= published:
            days = publication_timeliness(page.written_on, published, calendar).working_days
        missing = tuple(label for label, value in (("名称", page.title), ("生成日期", page.written_on)) if not value)
        out.append(rules.PageFacts(ref=f"page:{page.pk}", title=page.title, kind=kind, published=published, made=page.written_on,
                                   index_number=page.index_number, required_missing=missing,
                                   days_to_publish=days, **extra))
    return out


def _disclosure_column(home, agency, on: date, until) -> rules.DisclosureColumnFacts:
    index = DisclosureIndexPage.objects.child_of(home).live().first()
    titles = set()
    if index is not None:
        titles = set(ContentPage.objects.child_of(index).live().filter(first_published_at__lt=until)
                     .values_list("title", flat=True))
    present = (DisclosablePage.objects.live().filter(agency=agency, first_published_at__lt=until,
                                                     index_number__isnull=False).exclude(statutory_category="")
               .values("statutory_category").distinct().count())
    report = (AnnualReportPage.objects.live().filter(agency=agency, year=on.year - 1)
              .values_list("first_published_at", flat=True).first())
    has_reports_column = AnnualReportIndexPage.objects.descendant_of(home).live().exists()
    return rules.DisclosureColumnFacts(
        has_guide=any("指南" in t for t in titles), has_rules=any("制度" in t for t in titles),
        statutory_categories_present=present,
        annual_report_published=_day(report) if has_reports_column and report and report < until else None)


def _new_media(agency, on: date) -> list[rules.NewMediaFacts]:
    return [rules.NewMediaFacts(ref=f"newmedia:{a.pk}", name=a.name, platform=a.get_platform_display(),
                                last_update=a.last_update if a.last_update and a.last_update <= on else None,
                                has_interaction=a.has_interaction)
            for a in NewMediaAccount.objects.filter(agency=agency, is_active=True).order_by("pk")]
