"""The public page types of the demo site, in one place for every browser test that walks them.

`load_public_site()` loads the demo (洛阳市退役军人事务局 and the rest) and publishes its 2025 annual report, so
that an annual report page exists too; `public_paths()` then names one URL of each public page type that a GET
shows. Pages that only a form leads to (the application receipt, the status answer, the message receipt, the
message query answer) are reached by the tests that need them.
"""

from __future__ import annotations

import io

AGENCY = "洛阳市退役军人事务局"
NOT_FOUND = "not-found"  # the one page type answered with 404


def load_public_site(*, annual_report: bool = True) -> None:
    """The demo site, plus the agency's 2025 annual report published into its 年报 column and at /annual-reports/."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    if annual_report:
        _publish_annual_report(2025)


def _publish_annual_report(year: int) -> None:
    from django.contrib.auth import get_user_model

    from gongkai.agencies.models import Agency
    from gongkai.annualreport import actions, release, selectors
    from gongkai.annualreport.models import AnnualReport

    User = get_user_model()

    agency = Agency.objects.get(name=AGENCY)
    officer, head = User.objects.get(username="demo_officer"), User.objects.get(username="demo_head")
    report = (AnnualReport.objects.filter(agency=agency, year=year).first()
              or actions.report_start(agency, year, actor=officer))
    for key, value in {"active.art20_5.licensing.decisions": "0", "active.art20_6.penalty.decisions": "2",
                       "active.art20_6.coercion.decisions": "0", "active.art20_8.admin_fee.amount_wan": "0"}.items():
        actions.figure_set(agency, year, key, value, "演示数据", actor=officer)
    actions.report_update_prose(report, actor=officer, section1="本年度我局认真贯彻《条例》。",
                                section5="一是解读形式单一。", section6="本年度未收取信息处理费。")
    report.refresh_from_db()
    for finding in selectors.live_state(agency, year, report).unexplained:
        actions.warning_explain(report, finding.id, "已人工核对，差异原因已查明。", actor=officer)
    actions.report_sign(report, actor=head)
    release.report_publish(report, actor=head)


def public_paths() -> dict[str, str]:
    """One path of each public page type, by a short name (the name says which type a failure is about)."""
    from gongkai.agencies.models import Agency
    from gongkai.interaction import selectors as messages
    from gongkai.portal.models.disclosure_pages import (AnnualReportIndexPage, AnnualReportPage, CataloguePage,
                                                        DisclosureIndexPage, StatutoryContentPage)
    from gongkai.portal.models.pages import (ArticlePage, ColumnPage, ContentPage, InterpretationPage,
                                             OrganisationPage, PolicyDocumentPage, ServiceGuidePage, TopicPage)

    def first(model):
        page = model.objects.live().filter(agency__name=AGENCY).order_by("path").first()
        assert page is not None, model.__name__
        return page.get_url_parts()[2]

    agency = Agency.objects.get(name=AGENCY)
    message = messages.published_messages().filter(agency=agency).order_by("pk").first()
    assert message is not None, "no published message in the demo"
    paths = {
        "home": "/", "column": first(ColumnPage), "article": first(ArticlePage), "policy": first(PolicyDocumentPage),
        "interpretation": first(InterpretationPage), "organisation": first(OrganisationPage),
        "content": first(ContentPage), "disclosure-index": first(DisclosureIndexPage),
        "catalogue": first(CataloguePage), "statutory": first(StatutoryContentPage),
        "annual-reports": first(AnnualReportIndexPage), "annual-report": first(AnnualReportPage),
        "annual-report-public": f"/annual-reports/{agency.credit_code}/2025/",
        "guide": first(ServiceGuidePage), "topic": first(TopicPage),
        "search": "/search/?q=%E9%80%80%E5%BD%B9", "site-map": "/wzdt/", "apply": "/apply/",
        "apply-status": "/apply/status/", "messages": "/hudong/", "message": f"/hudong/{message.pk}/",
        "write": "/hudong/xie/", "message-query": "/hudong/chaxun/", NOT_FOUND: "/no-such-page/",
    }
    return paths


def captcha_answer(page) -> str:
    """The answer to the CAPTCHA on the page, read from its words alternative (文字题：三加四等于几？)."""
    from gongkai.core import captcha

    words = page.locator(".captcha-words").first.inner_text().removeprefix("文字题：")
    op = "加" if "加" in words else "减"
    left, right = words.removesuffix("等于几？").split(op)
    a, b = captcha.NUMERALS.index(left), captcha.NUMERALS.index(right)
    return str(a + b if op == "加" else a - b)


def answer_captcha(page) -> None:
    page.fill("input[name=captcha_answer]", captcha_answer(page))
