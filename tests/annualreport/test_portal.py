"""Publication into the portal's 政府信息公开年报 column: one page per year, updated by a correction."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.annualreport import actions, release
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError

from .helpers import signed_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def column(agency):
    from gongkai.portal.demo import _drop_wagtail_welcome, add
    from gongkai.portal.models.disclosure_pages import AnnualReportIndexPage, DisclosureIndexPage
    from gongkai.portal.publish import suspended
    from gongkai.portal.setup import ensure_agency_portal

    with suspended():
        _drop_wagtail_welcome()
        home = ensure_agency_portal(agency, hostname="localhost", port=80, default=True)
        xxgk = add(home, DisclosureIndexPage(title="政府信息公开", slug="xxgk"))[0]
        return add(xxgk, AnnualReportIndexPage(title="政府信息公开年报", slug="gknb"))[0]


def test_publish_puts_the_report_in_the_annual_report_column(client, agency, officer, head, column, fixed_today):
    from gongkai.portal.models.disclosure_pages import AnnualReportPage
    from gongkai.portal.publish import suspended

    fixed_today(date(2026, 1, 20))
    report = signed_report(agency, officer, head)
    with suspended():
        release.report_publish(report, actor=head)
    page = AnnualReportPage.objects.child_of(column).get()
    assert page.live and page.year == 2025 and page.title == "测试市退役军人事务局2025年政府信息公开工作年度报告"
    assert page.index_number and page.index_number.startswith(agency.credit_code + "/")
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page.body
    assert 'rowspan="22"' in page.body  # merged cells of 三、本年度办理结果 survive the rich-text cleaning
    assert f"/annual-reports/{agency.credit_code}/2025/report.pdf" in page.body
    event = AuditEvent.objects.get(action="annualreport.publish")
    assert event.new["page"] == page.pk and event.new["url"] == page.url
    assert event.new["auto_confirmed"] == ["秘密", "内部"]  # only in the official labels (属于国家秘密 …)
    served = client.get(page.url, HTTP_HOST="localhost")
    assert served.status_code == 200 and "勾稽关系" in served.content.decode()
    # A correction republishes the same page with the revision note.
    actions.report_reopen(report, "补登一件行政复议", actor=head)
    actions.report_sign(report, actor=head)
    with suspended():
        release.report_publish(report, actor=head)
    page = AnnualReportPage.objects.child_of(column).get()
    assert "本报告为更正后的第2版" in page.body and "更正原因：补登一件行政复议" in page.body
    assert AnnualReportPage.objects.count() == 1


def test_a_flagged_word_in_the_prose_goes_to_the_confidentiality_reviewer(agency, officer, head, column,
                                                                        fixed_today):
    from gongkai.portal.models.disclosure_pages import AnnualReportPage
    from gongkai.portal.publish import suspended
    from gongkai.portal.review import HitConfirmation

    fixed_today(date(2026, 1, 20))
    report = signed_report(agency, officer, head)
    with suspended():
        release.report_publish(report, actor=head)
    actions.report_reopen(report, "补充内部管理情况", actor=head)
    actions.report_update_prose(report, actor=officer, section1="本年度健全内部审核机制。", section5="问题。",
                                section6="本年度未收取信息处理费。")
    actions.report_sign(report, actor=head)
    with suspended(), pytest.raises(DomainError) as exc:
        release.report_publish(report, actor=head)
    assert "内部" in str(exc.value) and "信息发布审核" in str(exc.value)
    report.refresh_from_db()
    assert report.status == "signed"
    page = AnnualReportPage.objects.get()
    assert "第2版" not in page.body  # the live page still shows revision 1
    assert "本报告为更正后的第2版" in page.get_latest_revision().as_object().body  # the draft waits for review
    assert list(HitConfirmation.objects.values_list("masked_value", "reason")) == [
        ("秘密", __import__("gongkai.annualreport.publishing", fromlist=["x"]).AUTO_REASON)]
