"""The admin pages and the public pages: what staff see, bad input kept, other agencies refused."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.agencies.roles import Role
from gongkai.annualreport import actions
from gongkai.annualreport.models import (ActiveFigure, AnnualReport, PreviousYearReport, ReminderSent,
                                         ReportRevision, WarningExplanation)
from gongkai.applications import actions as app_actions
from gongkai.audit.models import AuditEvent
from tests.factories import make_agency, make_user
from tests.helpers.isolation import assert_agency_isolation

from .helpers import complete, decide, login_verified, register, signed_report

pytestmark = pytest.mark.django_db

ADMIN = "/admin/annual-reports/"


@pytest.fixture
def draft(agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    a = register(agency, officer, date(2025, 6, 2))
    fixed_today(date(2025, 7, 1))
    app_actions.application_change_applicant_kind(a, actor=officer, kind="research", reason="登记时选错")
    fixed_today(date(2026, 1, 20))
    decide(a, officer, date(2025, 7, 10))
    return actions.report_start(agency, 2025, actor=officer)


def test_start_form_keeps_input_and_explains_bad_year(client, agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    client.force_login(officer)
    page = client.get(ADMIN).content.decode()
    assert "建立年度报告" in page and 'value="2025"' in page
    bad = client.post(ADMIN, {"agency": agency.pk, "year": "2018"}).content.decode()
    assert "统一格式的年度报告从 2019 年度开始" in bad and 'value="2018"' in bad
    future = client.post(ADMIN, {"agency": agency.pk, "year": "2027"}).content.decode()
    assert "2027 年度还没有开始" in future
    assert not AnnualReport.objects.exists()
    ok = client.post(ADMIN, {"agency": agency.pk, "year": "2025"})
    report = AnnualReport.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"{ADMIN}{report.pk}/"


def test_report_page_tables_link_every_number_to_its_records(client, agency, officer, draft):
    client.force_login(officer)
    page = client.get(f"{ADMIN}{draft.pk}/").content.decode()
    assert "三、收到和处理政府信息公开申请情况" in page and "（本列数据的勾稽关系为" in page
    assert f'href="{ADMIN}{draft.pk}/cell/apply.new.research/"' in page
    assert "表二“行政许可·本年处理决定数量”尚未填报" in page  # errors listed before signing
    cell = client.get(f"{ADMIN}{draft.pk}/cell/apply.new.research/").content.decode()
    app = agency.application_set.get()
    assert app.number in cell and "2025-07-01 更正申请人类型：自然人 → 科研机构" in cell
    assert f"/admin/applications/{app.pk}/" in cell
    assert client.get(f"{ADMIN}{draft.pk}/cell/apply.nonsense.total/").status_code == 404


def test_prose_page_prefilled_and_bad_input_kept(client, agency, officer, draft):
    client.force_login(officer)
    page = client.get(f"{ADMIN}{draft.pk}/prose/").content.decode()
    assert "本年度新收政府信息公开申请1件" in page and "本年度未收取信息处理费。" in page
    long = "长" * 20001
    bad = client.post(f"{ADMIN}{draft.pk}/prose/", {"section1": long, "section5": "五", "section6": "六"})
    body = bad.content.decode()
    assert "不能超过 20000 字" in body and long in body
    draft.refresh_from_db()
    assert draft.section1.startswith("（一）主动公开")
    ok = client.post(f"{ADMIN}{draft.pk}/prose/", {"section1": "一", "section5": "五", "section6": "六"})
    assert ok.status_code == 302
    draft.refresh_from_db()
    assert (draft.section1, draft.section5, draft.section6) == ("一", "五", "六")


def test_figures_form_and_import_errors_shown_and_nothing_lost(client, agency, officer, draft):
    client.force_login(officer)
    url = f"{ADMIN}{draft.pk}/figures/"
    bad = client.post(url, {"do": "set", "key": "active.art20_5.licensing.decisions", "value": "3.5",
                            "source": "审批系统"}).content.decode()
    assert "不能是小数" in bad and 'value="3.5"' in bad and "审批系统" in bad
    assert client.post(url, {"do": "set", "key": "active.art20_5.licensing.decisions", "value": "3",
                             "source": "审批系统"}).status_code == 302
    csv = "年度,指标代码,指标名称,数值,数据来源\n2025,active.art20_6.penalty.decisions,,-1,执法系统\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(url, {"do": "import", "file": SimpleUploadedFile("f.csv", csv, "text/csv")}).content.decode()
    assert "有 1 处错误，未导入任何数据" in page and "第 2 行：“行政处罚·本年处理决定数量”不能为负数" in page
    assert list(ActiveFigure.objects.values_list("key", "value")) == [("active.art20_5.licensing.decisions", 3)]
    template = client.get(f"{url}template.csv").content.decode("utf-8-sig")
    assert template.splitlines()[1] == "2025,active.art20_5.licensing.decisions,行政许可·本年处理决定数量,,"


def test_previous_upload_page_refuses_a_bad_file(client, agency, officer, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    page = client.post(f"{ADMIN}{draft.pk}/previous/", {
        "year": "2024", "file": SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0" + b"x" * 100)}).content.decode()
    assert "旧版 Word (.doc)" in page and 'value="2024"' in page
    assert not PreviousYearReport.objects.exists()


def test_explain_sign_publish_through_the_pages(client, agency, officer, head, draft):
    complete(draft, officer)
    client.force_login(officer)
    page = client.get(f"{ADMIN}{draft.pk}/").content.decode()
    assert "本系统没有2024年度报告" in page and "签发前每个警告都须写明理由" in page
    empty = client.post(f"{ADMIN}{draft.pk}/", {"do": "explain", "finding": "C1_previous_missing:year=2024",
                                                 "reason": "无"}).content.decode()
    assert "请写明理由（至少 4 个字）" in empty
    client.post(f"{ADMIN}{draft.pk}/", {"do": "explain", "finding": "C1_previous_missing:year=2024",
                                        "reason": "本局2025年起使用本系统，2024年报告为纸质。"})
    assert WarningExplanation.objects.get().reason == "本局2025年起使用本系统，2024年报告为纸质。"
    refused = client.post(f"{ADMIN}{draft.pk}/", {"do": "sign"}, follow=True).content.decode()
    assert "只有本机关的公开工作机构负责人可以签发年度报告" in refused
    client.force_login(head)
    client.post(f"{ADMIN}{draft.pk}/", {"do": "sign"})
    client.post(f"{ADMIN}{draft.pk}/", {"do": "publish"})
    draft.refresh_from_db()
    assert draft.status == "published"
    public = client.get(f"/annual-reports/{agency.credit_code}/2025/").content.decode()
    assert "测试市退役军人事务局2025年政府信息公开工作年度报告" in public and "第1版" in public
    pdf = client.get(f"/annual-reports/{agency.credit_code}/2025/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    js = client.get(f"/annual-reports/{agency.credit_code}/2025/report.json").json()
    assert js["findings"][0]["reason"] == "本局2025年起使用本系统，2024年报告为纸质。"


def test_reopen_with_reason_and_the_public_note(client, agency, officer, head, fixed_today):
    fixed_today(date(2026, 1, 20))
    report = signed_report(agency, officer, head, publish=True)
    client.force_login(head)
    bad = client.post(f"{ADMIN}{report.pk}/", {"do": "reopen", "reason": ""}).content.decode()
    assert "请写明更正原因" in bad
    client.post(f"{ADMIN}{report.pk}/", {"do": "reopen", "reason": "第二部分行政许可数量填错"})
    actions.figure_set(agency, 2025, "active.art20_5.licensing.decisions", "21", "审批系统复核", actor=officer)
    client.post(f"{ADMIN}{report.pk}/", {"do": "sign"})
    client.post(f"{ADMIN}{report.pk}/", {"do": "publish"})
    public = client.get(f"/annual-reports/{agency.credit_code}/2025/").content.decode()
    assert "更正后的第2版" in public and "更正原因：第二部分行政许可数量填错" in public
    js = client.get(f"/annual-reports/{agency.credit_code}/2025/report.json").json()
    assert js["cells"]["active.art20_5.licensing.decisions"] == 21
    page = client.get(f"{ADMIN}{report.pk}/").content.decode()
    assert "第1版" in page and "第2版" in page and "更正原因：第二部分行政许可数量填错" in page


def test_public_pages_show_only_published_revisions(client, agency, officer, head, fixed_today):
    fixed_today(date(2026, 1, 20))
    signed_report(agency, officer, head)
    assert client.get(f"/annual-reports/{agency.credit_code}/2025/").status_code == 404
    assert client.get(f"/annual-reports/{agency.credit_code}/2025/report.pdf").status_code == 404
    assert client.get("/annual-reports/00000000000000000X/2025/").status_code == 404


def test_staff_of_another_agency_get_404_and_change_nothing(client, agency, officer, head, fixed_today):
    fixed_today(date(2026, 1, 20))
    report = signed_report(agency, officer, head)
    other = make_agency("别的局")
    stranger = make_user("stranger_head", agency=other, role=Role.OFFICE_HEAD)
    client.force_login(stranger)
    assert str(report.agency) not in client.get(ADMIN).content.decode()
    for path in ("", "prose/", "figures/", "previous/", "cell/apply.new.total/", "download.pdf",
                 "figures/template.csv"):
        assert client.get(f"{ADMIN}{report.pk}/{path}").status_code == 404, path
    before = AuditEvent.objects.count()
    for data in ({"do": "reopen", "reason": "越权更正"}, {"do": "publish"}, {"do": "sign"}):
        assert client.post(f"{ADMIN}{report.pk}/", data).status_code == 404
    assert client.post(f"{ADMIN}{report.pk}/figures/", {"do": "set", "key": "active.art20_5.licensing.decisions",
                                                        "value": "1", "source": "x"}).status_code == 404
    assert AuditEvent.objects.count() == before
    report.refresh_from_db()
    assert report.status == "signed"


def _make_report(agency):
    return AnnualReport.objects.create(agency=agency, year=2025, section1="一")


def _make_revision(agency):
    report = _make_report(agency)
    user = make_user(f"signer{agency.pk}")
    from django.utils import timezone

    return ReportRevision.objects.create(agency=agency, report=report, number=1, format="gov2021", snapshot={},
                                         signed_by=user, signed_by_label="x", signed_at=timezone.now())


@pytest.mark.parametrize("make", [
    _make_report,
    _make_revision,
    lambda a: ActiveFigure.objects.create(agency=a, year=2025, key="active.art20_5.licensing.decisions", value=1,
                                          source="系统"),
    lambda a: WarningExplanation.objects.create(agency=a, report=_make_report(a), finding_id="x", rule="R7",
                                                message="m", reason="理由", explained_by=make_user(f"e{a.pk}")),
    lambda a: PreviousYearReport.objects.create(agency=a, year=2024, file="x.pdf", file_name="x.pdf", sha256="0",
                                                format="gov2021", parsed={}),
    lambda a: ReminderSent.objects.create(agency=a, year=2025, sent_on=date(2026, 1, 5)),
])
def test_isolation_of_every_model(client, make):
    model = make(make_agency()).__class__
    assert_agency_isolation(client, model=model, make=make, role=Role.OFFICE_HEAD)


def test_supervising_office_sees_state_lateness_findings_and_rollup(client, agency, officer, head, fixed_today):
    office = make_agency("测试市人民政府办公室", kind="government")
    agency.supervisor = office
    agency.save()
    sibling = make_agency("测试市民政局（下级）", supervisor=office)
    unrelated = make_agency("外市某局")
    fixed_today(date(2026, 1, 20))
    signed_report(agency, officer, head, publish=True)
    sib_officer = make_user("sib_officer", agency=sibling, role=Role.APPLICATION_OFFICER)
    register(sibling, sib_officer, date(2025, 8, 1))
    register(sibling, sib_officer, date(2025, 9, 1))
    register(unrelated, make_user("u_off", agency=unrelated, role=Role.APPLICATION_OFFICER), date(2025, 8, 1))
    inspector = make_user("inspector", agency=office, role=Role.SUPERVISOR)
    fixed_today(date(2026, 2, 3))
    login_verified(client, inspector)
    page = client.get(f"{ADMIN}supervision/?year=2025").content.decode()
    assert "下级机关 2 个，已公开 1 个，逾期 1 个" in page
    assert "测试市民政局（下级）" in page and "未开始" in page and "外市某局" not in page
    assert "表二“行政许可·本年处理决定数量”尚未填报" in page
    # roll-up: 2 (agency) + 2 (sibling) new applications
    assert 'data-key="apply.new.total">4<' in page
    bad = client.get(f"{ADMIN}supervision/?year=twenty").content.decode()
    assert "年度“twenty”无效" in bad
    client.force_login(officer)
    assert client.get(f"{ADMIN}supervision/").status_code in (302, 403)  # Wagtail redirects a denial


def test_supervision_queries_do_not_grow_with_agencies(client, fixed_today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fixed_today(date(2026, 2, 3))
    office = make_agency("测试市政府办公室（查询数）", kind="government")
    inspector = make_user("inspector_q", agency=office, role=Role.SUPERVISOR)
    login_verified(client, inspector)

    def add_agencies(n):
        for _ in range(n):
            a = make_agency(supervisor=office)
            report = AnnualReport.objects.create(agency=a, year=2025, section1="一")
            WarningExplanation.objects.create(agency=a, report=report, finding_id="x", rule="R7", message="m",
                                              reason="理由", explained_by=inspector)

    add_agencies(2)
    client.get(f"{ADMIN}supervision/?year=2025")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{ADMIN}supervision/?year=2025")
    add_agencies(5)
    with CaptureQueriesContext(connection) as more:
        body = client.get(f"{ADMIN}supervision/?year=2025").content.decode()
    assert "下级机关 7 个" in body
    assert len(more) == len(few), [q["sql"][:80] for q in more.captured_queries]
