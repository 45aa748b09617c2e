"""Demo: one site in good order (退役军人事务局) and one with planted faults (民政局), inspected today.

The good site gets what the 检查指标 look for, dated relative to the day the demo is loaded:
fresh news, a notice, a policy with its interpretation, every statutory category, a 政务新媒体
account updated this week. The other site gets the faults an inspector finds: five columns not
updated, five empty columns, a message unanswered for four months, a dead link, a 微博 account
silent for a month. Then both sites are crawled and inspected, so the admin's 网站自查 shows
results at once. Loading again adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.core import clock
from gongkai.interaction import actions as message_actions
from gongkai.interaction.models import Message
from gongkai.portal import publish
from gongkai.portal.demo import _column, _p, add
from gongkai.portal.models import (
    ArticlePage, ColumnPage, ContentPage, DisclosablePage, DisclosureIndexPage, HomePage, InterpretationPage, PolicyDocumentPage,
)
from gongkai.portal.models.page_base import STATUTORY_CATEGORIES
from gongkai.portal.models.sites import PortalSite

from . import actions
from .models import NewMediaAccount, Platform

STALE_COLUMNS = (  # (title, slug, kind, days since the last item): the faulty site's columns not updated
    ("通知公告", "tzgg", "notice", 240),
    ("政策文件", "zcwj", "policy", 215),
    ("部门动态", "bmdt", "news", 30),
    ("基层动态", "jcdt", "news", 16),
)
EMPTY_COLUMNS = (("人事信息", "rsxx"), ("财政信息", "czxx"), ("规划计划", "ghjh"), ("统计信息", "tjxx"),
                 ("应急管理", "yjgl"))
OLD_MESSAGE_TITLE = "咨询低保申请需要哪些材料"


def load(context: dict) -> list[str]:
    agency, other = context["agency"], context["other"]
    today = clock.today()
    good = HomePage.objects.filter(agency=agency).first()
    bad = HomePage.objects.filter(agency=other).first()
    if good is None or bad is None:
        return []
    with publish.suspended():
        made = _good_site(good, agency, today) + _faulty_site(bad, other, today, context.get("users") or {})
    lines = []
    if any(made):
        from django.conf import settings

        from .crawl import crawl_site
        from .daily import inspect_and_keep

        for site in PortalSite.objects.filter(agency__in=[agency, other]).select_related("agency", "site"):
            if settings.GONGKAI_DEMO_CRAWL:
                crawl_site(site)
            result, _ = inspect_and_keep(site, today)
            score = "不计分" if result.score is None else f"{result.score:g} 分"
            lines.append(f"网站自查（演示）：{site.agency.name} {result.state}，{score}，问题 {len(result.findings)} 项")
    return lines


def _good_site(home, agency, today: date) -> list[bool]:
    made = []
    columns = {c.slug: c for c in ColumnPage.objects.descendant_of(home).live()}
    if "xwdt" in columns:
        made.append(add(columns["xwdt"], ArticlePage(
            title="市退役军人事务局开展“双拥”走访活动", slug=f"news-{today:%Y%m%d}", statutory_category="15",
            body=_p("局领导走访慰问了驻洛部队官兵和重点优抚对象。")), today - timedelta(days=2))[1])
    if "tzgg" in columns:
        made.append(add(columns["tzgg"], ArticlePage(
            title="关于开展年度优抚对象数据核查的通知", slug=f"notice-{today:%Y%m%d}", kind="notice",
            statutory_category="15", body=_p("请各县区按时完成核查。")), today - timedelta(days=20))[1])
    policy = None
    if "zcwj" in columns:
        policy, new = add(columns["zcwj"], PolicyDocumentPage(
            title="洛阳市退役军人就业创业扶持办法（演示）", slug=f"policy-{today:%Y%m%d}", issuer="洛阳市退役军人事务局",
            statutory_category="01", written_on=today - timedelta(days=45), validity="valid",
            body=_p("为支持退役军人就业创业，制定本办法。")), today - timedelta(days=40))
        made.append(new)
    if policy is not None and "zcjd" in columns:
        made.append(add(columns["zcjd"], InterpretationPage(
            title="《洛阳市退役军人就业创业扶持办法》解读", slug=f"interp-{today:%Y%m%d}", policy=policy,
            statutory_category="01", written_on=today - timedelta(days=45),
            body=_p("本办法从资金、场地、培训三个方面支持退役军人就业创业。")), today - timedelta(days=40))[1])
    made += _every_statutory_category(home, agency, today)
    made.append(_account(agency, Platform.WECHAT, "洛阳退役军人（演示）", today - timedelta(days=3), True))
    return made


def _every_statutory_category(home, agency, today) -> list[bool]:
    """One item in each category of 《条例》第二十条 the demo's pages do not already cover."""
    index = DisclosureIndexPage.objects.child_of(home).first()
    if index is None:
        return []
    present = set(DisclosablePage.objects.live().filter(agency=agency).values_list("statutory_category", flat=True))
    column = _column(index, "其他法定主动公开内容", "qtfdgk", "general", on_home=False)
    made = []
    for code, label in STATUTORY_CATEGORIES:
        if code not in present:
            made.append(add(column, ContentPage(
                title=f"{label}（演示）", slug=f"category-{code}", statutory_category=code,
                written_on=today - timedelta(days=60),
                body=_p(f"本机关“{label}”方面的信息（演示数据）。")), today - timedelta(days=58))[1])
    return made


def _faulty_site(home, agency, today: date, users: dict) -> list[bool]:
    made = []
    for title, slug, kind, days in STALE_COLUMNS:
        column = _column(home, title, slug, kind)
        page = (PolicyDocumentPage(title=f"{title}（演示）旧文件", slug=f"{slug}-old", issuer=agency.name,
                                   statutory_category="01", body=_p("演示用的旧文件。")) if kind == "policy"
                else ArticlePage(title=f"{title}（演示）旧信息", slug=f"{slug}-old", statutory_category="15",
                                 kind="notice" if kind == "notice" else "news", body=_p("演示用的旧信息。")))
        made.append(add(column, page, today - timedelta(days=days))[1])
    for title, slug in EMPTY_COLUMNS:
        before = home.get_children().filter(slug=slug).exists()
        _column(home, title, slug, "general", on_home=False)
        made.append(not before)
    news = home.get_children().filter(slug="gzdt").first()
    if news is not None:
        made.append(add(news.specific, ArticlePage(
            title="市民政局转发养老服务补贴文件", slug="news-dead-link", statutory_category="15",
            body="<p>详见<a href=\"/zcwj/yifeizhi-2019/\">原文件</a>（该链接已失效，演示断链）。</p>"),
            today - timedelta(days=25))[1])
    made.append(_old_message(agency, today))
    made.append(_account(agency, Platform.WEIBO, "洛阳民政（演示）", today - timedelta(days=30), True))
    return made


def _old_message(agency, today) -> bool:
    received = today - timedelta(days=125)
    if Message.objects.filter(agency=agency, title=OLD_MESSAGE_TITLE).exists():
        return False
    message_actions.message_register(
        agency, actor=None, check_role=False, category="consult", channel="website", title=OLD_MESSAGE_TITLE,
        content="请问申请最低生活保障需要准备哪些材料？（演示：超过三个月未答复的留言）", writer_name="（演示）",
        received_on=received)
    return True


def _account(agency, platform, name, last_update, interaction) -> bool:
    if NewMediaAccount.objects.filter(agency=agency, platform=platform, name=name).exists():
        return False
    account = actions.newmedia_create(agency, actor=None, platform=platform, name=name, has_interaction=interaction)
    actions.newmedia_record_update(account, actor=None, on=last_update)
    return True
