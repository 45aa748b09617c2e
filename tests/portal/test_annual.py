"""The annual-report app publishes a report page into the 年报 column with one call."""

from __future__ import annotations

import pytest

from gongkai.core.domain import DomainError
from gongkai.portal.annual import publish_annual_report_page
from gongkai.portal.guard import PublishBlocked

from .conftest import ID_NUMBER, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(home):
    from gongkai.portal.models.disclosure_pages import AnnualReportIndexPage, DisclosureIndexPage

    xxgk = DisclosureIndexPage(title="政府信息公开", slug="xxgk")
    home.add_child(instance=xxgk)
    index = AnnualReportIndexPage(title="政府信息公开年报", slug="gknb")
    xxgk.add_child(instance=index)
    return index


def test_publish_and_revise_a_year(client, reports, agency):
    page = publish_annual_report_page(agency, 2025, "<p>一、总体情况</p>",
                                      [("2025年年度报告.docx", docx_bytes("一、总体情况"))])
    assert page.live and page.index_number and page.get_parent().pk == reports.pk
    body = client.get("/xxgk/gknb/2025/").content.decode()
    assert "一、总体情况" in body and "2025年年度报告.docx" in body and page.index_number in body
    again = publish_annual_report_page(agency, 2025, "<p>一、总体情况（更正）</p>")
    assert again.pk == page.pk and again.index_number == page.index_number
    assert "（更正）" in client.get("/xxgk/gknb/2025/").content.decode()
    assert "2025年政府信息公开工作年度报告" in client.get("/xxgk/gknb/").content.decode()


def test_refusals(reports, agency, other_agency):
    with pytest.raises(DomainError, match="报告年度"):
        publish_annual_report_page(agency, 1999, "<p>x</p>")
    with pytest.raises(DomainError, match="年报"):
        publish_annual_report_page(other_agency, 2025, "<p>x</p>")
    with pytest.raises(PublishBlocked):
        publish_annual_report_page(agency, 2024, f"<p>联系人身份证{ID_NUMBER}</p>")
