"""Demo portal of 洛阳市退役军人事务局 (the columns and topics named in its 2020 annual report).

All texts are demo data written for this project (marked 演示); the policy title is the one
the report names. Idempotent: a second run creates nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from . import publish
from .models.pages import ArticlePage, ColumnPage, ContentPage, HomePage, InterpretationPage, OrganisationPage, \
    PolicyDocumentPage, ServiceGuidePage, TopicPage
from .models.disclosure_pages import AnnualReportIndexPage, CataloguePage, DisclosureIndexPage, StatutoryContentPage
from .setup import ensure_agency_portal
from .models.sites import PortalSite

POLICY_TITLE = "洛阳市符合政府安排工作条件退役士兵安置办法"
DEMO_NOTE = "<p>（演示数据：本文为演示平台功能而编写。）</p>"


def _when(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(9, 30)))


def _p(*paras: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paras) + DEMO_NOTE


def add(parent, page, published: date | None = None):
    """Create `page` under `parent` (unless a sibling with its slug exists) and publish it."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific, False
    if published is not None:
        page.first_published_at = _when(published)
    parent.add_child(instance=page)
    page.save_revision().publish()
    if published is not None:
        Page.objects.filter(pk=page.pk).update(last_published_at=_when(published))
    page.refresh_from_db()
    return page, True


def _column(parent, title, slug, kind, intro="", in_menu=True, on_home=True):
    return add(parent, ColumnPage(title=title, slug=slug, kind=kind, intro=intro, show_in_menus=in_menu,
                                  on_home=on_home))[0]


def _base_host() -> tuple[str, int]:
    url = urlparse(getattr(settings, "WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000"))
    return url.hostname or "127.0.0.1", url.port or (443 if url.scheme == "https" else 80)


def _follow_address(home, host: str, port: int) -> None:
    """The demo sites answer where `make run` serves them (BASE_URL, from PORT): feeds, sitemap, 'view live'."""
    site = Site.objects.filter(root_page=home).first()
    if site is not None and (site.hostname, site.port) != (host, port):
        site.hostname, site.port = host, port
        site.save()  # through save(): Wagtail forgets its cached site addresses


def _drop_wagtail_welcome() -> None:
    """Wagtail's initial 'Welcome' page and its site make way for the agency's home page."""
    for site in Site.objects.select_related("root_page"):
        if site.root_page.specific_class is Page:
            site.delete()
    for page in Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page"):
        page.delete()


def load(context: dict) -> list[str]:
    agency, other = context["agency"], context["other"]
    created = []
    with publish.suspended():
        if not HomePage.objects.filter(agency=agency).exists():
            _drop_wagtail_welcome()
        host, port = _base_host()
        home = ensure_agency_portal(agency, hostname=host, port=port, default=True, title=agency.name)
        _follow_address(home, host, port)
        _site_settings(agency)
        created += _veterans_site(home, agency)
        created += _in_review(home, context.get("users") or {})
        other_home = ensure_agency_portal(other, hostname="mzj.localhost", port=port, title=other.name)
        _follow_address(other_home, "mzj.localhost", port)
        created += _small_site(other_home)
    site = Site.objects.filter(root_page=home).first()
    if any(created) or (site is not None and not publish.site_dir(site).exists()):
        transaction.on_commit(publish.rebuild_all)
    n = sum(1 for c in created if c)
    return [f"门户网站（演示）：{agency.name} http://{host}:{port}/ ，新建页面 {n} 个；"
            f"{other.name} 站点主机名 mzj.localhost"]


def _site_settings(agency) -> None:
    PortalSite.objects.filter(agency=agency, icp_number="").update(
        icp_number="豫ICP备00000000号（演示）", police_number="豫公网安备 41030000000000号（演示）",
        address="洛阳市洛龙区（演示地址）", phone="0379-00000000（演示）",
    )


def _veterans_site(home, agency) -> list[bool]:
    made: list[bool] = []

    def put(parent, page, published=None):
        obj, new = add(parent, page, published)
        made.append(new)
        return obj

    # 组织机构
    org = _column(home, "组织机构", "zzjg", "organisation", on_home=False)
    put(org, OrganisationPage(title="机构职能", slug="jgzn", section="functions", statutory_category="02",
                              topic="综合政务\\机构职能", body=_p(
                                  "贯彻落实党中央关于退役军人工作的方针政策和决策部署，拟订全市退役军人思想政治、管理保障和安置等工作的政策措施并组织实施。",
                                  "负责军队转业干部、退役士兵等退役军人的移交安置工作和自主择业退役军人服务管理、待遇保障工作。",
                                  "组织开展退役军人就业创业扶持、优待抚恤、褒扬纪念和双拥工作。")), date(2020, 10, 20))
    put(org, OrganisationPage(title="领导信息", slug="ldxx", section="leaders", statutory_category="02",
                              body=_p("局长：（演示）负责局全面工作。", "副局长：（演示）协助局长分管移交安置、就业创业工作。")),
        date(2020, 10, 20))
    put(org, OrganisationPage(title="内设机构", slug="nsjg", section="departments", statutory_category="02",
                              body=_p("办公室、政治工作科、移交安置科、就业创业科、优抚科、褒扬纪念科、军休服务管理科。")),
        date(2020, 10, 20))
    put(org, OrganisationPage(title="联系方式", slug="lxfs", section="contact", statutory_category="02",
                              body=_p("办公地址：洛阳市洛龙区（演示地址）", "办公时间：法定工作日上午8:30—12:00，下午14:30—17:30",
                                      "联系电话：0379-00000000（演示）")), date(2020, 10, 20))

    # 新闻动态
    news = _column(home, "新闻动态", "xwdt", "news")
    for i, (title, d, text) in enumerate([
        ("市退役军人事务局召开政务公开工作推进会", date(2020, 11, 5), "会议传达学习了《中华人民共和国政府信息公开条例》，部署推进门户网站建设和政务公开标准化工作。"),
        ("我市开展“最美退役军人”学习宣传活动", date(2020, 11, 18), "活动通过网站、报纸等平台向社会公示候选人事迹，接受社会各界监督。"),
        ("市退役军人事务局走访慰问重点优抚对象", date(2020, 12, 28), "元旦春节期间，局领导带队走访慰问重点优抚对象，送去党和政府的关怀。"),
        ("全市退役军人就业创业工作座谈会召开", date(2021, 1, 8), "座谈会总结了2020年退役军人就业创业工作，研究部署下一步优待和扶持措施。"),
    ]):
        # One item formed on 2020-11-20 and published 2020-12-28 shows the 《条例》第二十六条 flag in the catalogue.
        put(news, ArticlePage(title=title, slug=f"news-{i + 1}", kind="news", source="洛阳市退役军人事务局",
                              statutory_category="15", topic="综合政务\\政务动态", summary=text[:60], body=_p(text),
                              written_on=date(2020, 11, 20) if i == 2 else d), d)

    # 政务公开: 通知公告 + 政策文件
    gk = _column(home, "政务公开", "zwgk", "general")
    notices = _column(gk, "通知公告", "tzgg", "notice", in_menu=False)
    for i, (title, d) in enumerate([
        ("关于开展2020年度退役军人优待证申领工作的通知", date(2020, 11, 10)),
        ("关于公示2020年洛阳市“最美退役军人”候选人名单的公告", date(2020, 11, 20)),
        ("关于做好2021年元旦春节期间走访慰问工作的通知", date(2020, 12, 15)),
    ]):
        put(notices, ArticlePage(title=title, slug=f"notice-{i + 1}", kind="notice", statutory_category="11",
                                 written_on=d, topic="民政、扶贫、救灾\\优抚安置", summary=title,
                                 body=_p("各县（市、区）退役军人事务局：", "现将有关事项通知如下，请认真贯彻落实。")), d)
    policies = _column(gk, "政策文件", "zcwj", "policy", in_menu=False)
    policy = put(policies, PolicyDocumentPage(
        title=POLICY_TITLE, slug="tysb-azbf", doc_type="normative", doc_number="洛退役军人〔2020〕12号",
        issuer="洛阳市退役军人事务局", written_on=date(2020, 9, 25), effective_on=date(2020, 11, 1),
        validity="valid", statutory_category="01", topic="民政、扶贫、救灾\\优抚安置",
        summary="规定本市符合政府安排工作条件退役士兵的安置范围、安置方式、岗位落实和待安置期间待遇。",
        body=_p("第一条　为做好符合政府安排工作条件退役士兵安置工作，根据《退役士兵安置条例》等规定，结合本市实际，制定本办法。",
                "第二条　本办法适用于本市接收的符合政府安排工作条件的退役士兵。",
                "第三条　安置工作坚持公开、公平、公正原则，实行考试考核与量化评分相结合，按照成绩排名选择安置岗位。",
                "第四条　退役士兵待安置期间，由安置地人民政府按照不低于当地最低生活水平的标准发给生活补助费。",
                "第五条　本办法自2020年11月1日起施行。")), date(2020, 10, 16))
    put(policies, PolicyDocumentPage(
        title="洛阳市退役士兵安置暂行办法", slug="tysb-zxbf", doc_type="normative", doc_number="洛民〔2015〕8号",
        issuer="洛阳市民政局", written_on=date(2015, 6, 1), effective_on=date(2015, 7, 1), validity="repealed",
        repealed_on=date(2020, 11, 1), statutory_category="01", summary="已被新的安置办法替代。",
        body=_p("本办法自2020年11月1日起废止，由《洛阳市符合政府安排工作条件退役士兵安置办法》替代。")), date(2015, 6, 20))

    # 服务指南
    guide = _column(home, "服务指南", "fwzn", "guide")
    for i, (title, item) in enumerate([("退役军人优待证申领办事指南", "退役军人优待证申领"),
                                       ("退役士兵安置办事指南", "符合政府安排工作条件退役士兵安置"),
                                       ("部分退役士兵社会保险补缴办事指南", "部分退役士兵社会保险补缴")]):
        put(guide, ServiceGuidePage(
            title=title, slug=f"guide-{i + 1}", item_name=item, statutory_category="05", topic="民政、扶贫、救灾\\优抚安置",
            legal_basis="《中华人民共和国退役军人保障法》及相关规定", conditions="本市户籍的退役军人（以具体政策规定为准）。",
            materials="1. 居民身份证；\n2. 退出现役证件；\n3. 近期免冠照片。", location="洛阳市退役军人服务中心（演示地址）",
            hours="法定工作日 8:30—12:00，14:30—17:30", phone="0379-00000000（演示）",
            process="申请 → 受理 → 审核 → 办结（结果告知申请人）", summary=f"{item}的办理依据、条件、材料和流程。",
            body=_p("办理前可电话咨询，材料齐全的当场受理。")), date(2020, 11, 2))

    # 政策解读
    interp = _column(home, "政策解读", "zcjd", "interpretation")
    put(interp, InterpretationPage(
        title=f"《{POLICY_TITLE}》政策解读", slug="tysb-azbf-jd", policy=policy, form="text", statutory_category="01",
        summary="解读安置办法的制定背景、主要内容和安置程序。",
        body=_p("一、制定背景：为进一步做好退役士兵安置工作，保障退役士兵合法权益。",
                "二、主要内容：明确安置对象、安置方式和岗位选择办法，规定待安置期间的生活补助。",
                "三、安置程序：资格审查、考试考核、量化评分、公示、选岗、办理报到手续。")), date(2020, 10, 20))
    put(interp, InterpretationPage(
        title="图解：退役军人优待证申领流程", slug="yd-tj", form="graphic", statutory_category="11",
        summary="用图示说明优待证的申领条件和步骤。", body=_p("第一步：准备材料；第二步：提交申请；第三步：领取优待证。")),
        date(2020, 11, 12))

    # 政府信息公开 (61号 platform column)
    xxgk = add(home, DisclosureIndexPage(title="政府信息公开", slug="xxgk", show_in_menus=True,
                                         intro="<p>本栏目集中发布本机关法定主动公开内容。</p>"))[0]
    put(xxgk, ContentPage(title="政府信息公开指南", slug="gkzn", statutory_category="15", body=_p(
        "一、主动公开：本机关主动公开的政府信息通过门户网站“政府信息公开”栏目发布，并编制政府信息公开目录。",
        "二、依申请公开：公民、法人或者其他组织可以向本机关申请获取政府信息，可通过网上申请、信函等方式提交。",
        "三、政府信息公开工作机构：洛阳市退役军人事务局办公室；地址、办公时间和电话见“联系方式”。")), date(2020, 10, 20))
    put(xxgk, ContentPage(title="政府信息公开制度", slug="gkzd", statutory_category="15", body=_p(
        "《洛阳市退役军人事务局网站微博微信信息审核发布及保密审查制度》（摘要）：信息发布实行初审、保密审查、签发三级审核，先审后发。")),
        date(2020, 10, 20))
    add(xxgk, StatutoryContentPage(title="法定主动公开内容", slug="fdzdgknr"))
    reports = add(xxgk, AnnualReportIndexPage(title="政府信息公开年报", slug="gknb"))[0]
    add(xxgk, CataloguePage(title="政府信息公开目录", slug="gkml"))
    del reports

    # 互动交流
    hd = _column(home, "互动交流", "hdjl", "interaction", on_home=False)
    put(hd, ContentPage(title="依申请公开说明", slug="ysqgk", statutory_category="15", body=_p(
        "公民、法人或者其他组织可以依法向本机关申请获取政府信息，并凭查询码查询办理进度。")), date(2020, 10, 20))
    put(hd, ContentPage(title="留言咨询须知", slug="lyzx", statutory_category="15", body=_p(
        "请如实填写留言内容，我们将在规定时限内答复并公开答复内容（涉及个人信息的除外）。")), date(2020, 10, 20))

    # 专题专栏
    topics = _column(home, "专题专栏", "ztzl", "topics")
    for slug, title, items in [
        ("zmtyjr", "最美退役军人", ["2020年“最美退役军人”事迹展播", "“最美退役军人”评选表彰活动启动"]),
        ("sygz", "双拥工作", ["我市召开双拥模范城创建工作推进会"]),
        ("jxfc", "军休风采", ["军休干部书画作品展开展"]),
        ("jycybb", "就业创业先进标兵", ["退役军人创业典型：从士兵到企业家"]),
        ("jnyl", "纪念英烈", ["烈士纪念日公祭活动举行", "清明节网上祭英烈活动开通"]),
    ]:
        topic = add(topics, TopicPage(title=title, slug=slug, intro=f"<p>{title}专题。</p>"))[0]
        for i, item in enumerate(items):
            put(topic, ArticlePage(title=item, slug=f"{slug}-{i + 1}", kind="news", statutory_category="15",
                                   summary=item, body=_p(f"{item}。")), date(2020, 11, 20 + i))
    return made


def _in_review(home, users: dict) -> list[bool]:
    """Two notices on their way through 信息发布审核, so the reviewers' start pages have work: one waits for
    初审, one (with a mobile number the scan finds) for 保密审查."""
    editor, reviewer = users.get("demo_editor"), users.get("demo_reviewer")
    notices = ColumnPage.objects.descendant_of(home).filter(slug="tzgg").first()
    if editor is None or reviewer is None or notices is None:
        return []
    made = []
    for slug, title, body, steps in [
        ("notice-2027-ydcj", "关于做好2027年元旦春节期间走访慰问工作的通知",
         _p("各县（市、区）退役军人事务局：", "元旦春节将至，请提前摸排优抚对象生活情况，制定走访慰问方案。"), 0),
        ("notice-2026-zph", "关于举办2026年冬季退役军人专场招聘会的通知",
         _p("定于2026年12月18日在市退役军人服务中心举办专场招聘会。",
            "报名联系人：王五，联系电话13812345678。"), 1),
    ]:
        if notices.get_children().filter(slug=slug).exists():
            made.append(False)
            continue
        page = ArticlePage(title=title, slug=slug, kind="notice", statutory_category="11", summary=title, body=body,
                           live=False)
        notices.add_child(instance=page)
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
        for _ in range(steps):
            page.refresh_from_db()
            state = page.current_workflow_task_state
            state.task.specific.on_action(state, reviewer, "approve")
        made.append(True)
    return made


def _small_site(home) -> list[bool]:
    news = _column(home, "工作动态", "gzdt", "news")
    return [add(news, ArticlePage(title="市民政局召开年度工作会议", slug="news-1", statutory_category="15",
                                  body=_p("会议部署了年度重点工作。")), date(2020, 12, 1))[1]]
