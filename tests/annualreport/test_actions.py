"""Every action: what it changes, the exact audit row it writes, and what it refuses."""

from __future__ import annotations

import io
from datetime import date

import pytest

from gongkai.agencies.roles import Role
from gongkai.annualreport import actions, release, selectors
from gongkai.core.domain import DomainError
from gongkai.annualreport.compute import compute
from gongkai.annualreport.models import (ActiveFigure, AnnualReport, ImmutableRevisionError, PreviousYearReport,
                                         ReportRevision, WarningExplanation)
from gongkai.audit.models import AuditEvent
from tests.factories import make_user

from .helpers import PROSE, complete, decide, explain_all, register

pytestmark = pytest.mark.django_db



def audit(action=None, **filters):
    qs = AuditEvent.objects.order_by("id")
    if action:
        qs = qs.filter(action=action)
    return list(qs.filter(**filters).values_list("action", "agency_id", "actor_label", "old", "new"))


@pytest.fixture
def cases(agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    a = register(agency, officer, date(2024, 12, 20))
    decide(a, officer, date(2025, 1, 10))
    b = register(agency, officer, date(2025, 3, 3), kind="commercial")
    decide(b, officer, date(2025, 3, 20), "result.partial")
    c = register(agency, officer, date(2025, 12, 22))
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def draft(agency, officer, cases):
    return actions.report_start(agency, 2025, actor=officer)




# -- start --------------------------------------------------------------------------------------

def test_start_prefills_prose_with_the_years_facts(agency, officer, draft):
    assert draft.status == "draft" and draft.revision == 0
    assert "本年度新收政府信息公开申请2件，上年结转1件，办结2件（予以公开1件，部分公开1件），结转下年度继续办理1件。" in draft.section1
    assert "【请填写" in draft.section1
    assert draft.section6.startswith("本年度未收取信息处理费。")
    assert audit("annualreport.start") == [
        ("annualreport.start", agency.pk, "officer1", None, {"year": 2025, "format": "gov2021", "previous": "system"})]


def test_start_refuses_bad_years_twice_and_strangers(agency, officer, draft, other_agency, fixed_today):
    for year, text in ((2018, "2019 年度开始"), (2027, "还没有开始"), ("二〇二五", "4 位数字")):
        with pytest.raises(DomainError, match=text):
            actions.report_start(agency, year, actor=officer)
    with pytest.raises(DomainError, match="已经建立"):
        actions.report_start(agency, 2025, actor=officer)
    stranger = make_user("stranger", agency=other_agency, role=Role.OFFICE_HEAD)
    with pytest.raises(DomainError, match="没有编辑本机关年度报告的权限"):
        actions.report_start(agency, 2024, actor=stranger)
    assert AnnualReport.objects.count() == 1 and len(audit("annualreport.start")) == 1


def test_start_prefills_fees_from_the_ledger_and_last_years_problems(agency, officer, head, fixed_today):
    from gongkai.applications import actions as app_actions

    fixed_today(date(2026, 1, 20))
    # Last year's signed report said what its problems were.
    last = actions.report_start(agency, 2024, actor=officer)
    complete(last, officer)
    actions.report_update_prose(last, actor=officer, section1="总体情况。", section5="政策解读形式单一。",
                                section6="无。")
    explain_all(last, officer)
    actions.report_sign(last, actor=head)
    # Ten answered, one charged by pages (50 pages: 20 × ¥10) and never paid.
    apps = [register(agency, officer, date(2025, 4, 1), description=f"文件{i}") for i in range(11)]
    for app in apps[:10]:
        decide(app, officer, date(2025, 4, 10))
    app_actions.application_fee_notice(apps[10], actor=officer, on=date(2025, 4, 3), method="by_pages",
                                       pages=50)
    app_actions.application_fee_notice_received(apps[10], actor=officer, on=date(2025, 4, 5))
    app_actions.application_fee_expired(apps[10], actor=officer, on=date(2025, 6, 10))
    report = actions.report_start(agency, 2025, actor=officer)
    assert "发出收费通知1件，应收金额合计200.00元；实际收取信息处理费0件，合计0.00元；1件申请因申请人逾期未缴费不再处理。" \
        in report.section6
    assert "上年度报告（本系统已签发的2024年度报告（第1版））所列问题：政策解读形式单一。" in report.section5
    assert compute(agency, 2025).cells["apply.result.other.fee_unpaid.total"] == 1


# -- prose --------------------------------------------------------------------------------------

def test_update_prose_audits_the_changed_sections_only(agency, officer, draft):
    old1 = draft.section1
    actions.report_update_prose(draft, actor=officer, section1="新的总体情况。", section5=draft.section5,
                                section6=draft.section6)
    assert audit("annualreport.prose_update") == [
        ("annualreport.prose_update", agency.pk, "officer1", {"section1": old1}, {"section1": "新的总体情况。"})]
    with pytest.raises(DomainError, match="没有修改"):
        actions.report_update_prose(draft, actor=officer, section1="新的总体情况。", section5=draft.section5,
                                    section6=draft.section6)
    with pytest.raises(DomainError, match="不能超过 20000 字"):
        actions.report_update_prose(draft, actor=officer, section1="字" * 20001, section5="", section6="")
    draft.refresh_from_db()
    assert draft.section1 == "新的总体情况。" and len(audit("annualreport.prose_update")) == 1


# -- figures ------------------------------------------------------------------------------------

def test_figure_set_and_change_audited(agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    f = actions.figure_set(agency, 2025, "active.art20_8.admin_fee.amount_wan", "1.25", "非税收入系统", actor=officer)
    actions.figure_set(agency, 2025, "active.art20_8.admin_fee.amount_wan", "1.5", "非税收入系统", actor=officer)
    assert audit("annualreport.figure_set") == [
        ("annualreport.figure_set", agency.pk, "officer1", None,
         {"year": 2025, "key": "active.art20_8.admin_fee.amount_wan", "value": "1.25", "source": "非税收入系统"}),
        ("annualreport.figure_set", agency.pk, "officer1", {"value": "1.25", "source": "非税收入系统"},
         {"year": 2025, "key": "active.art20_8.admin_fee.amount_wan", "value": "1.5", "source": "非税收入系统"}),
    ]
    assert compute(agency, 2025).cells["active.art20_8.admin_fee.amount_wan"] == 1.5
    actions.figure_delete(ActiveFigure.objects.get(pk=f.pk), actor=officer)
    assert audit("annualreport.figure_delete")[0][3] == {
        "year": 2025, "key": "active.art20_8.admin_fee.amount_wan", "value": "1.5", "source": "非税收入系统"}
    assert not ActiveFigure.objects.exists()


@pytest.mark.parametrize("key,value,source,message", [
    ("active.art20_5.licensing.decisions", "-1", "系统", "不能为负数"),
    ("active.art20_5.licensing.decisions", "1.5", "系统", "不能是小数"),
    ("active.art20_5.licensing.decisions", "十二", "系统", "不是数字"),
    ("active.art20_5.licensing.decisions", "", "系统", "没有填写数值"),
    ("active.art20_5.licensing.decisions", "3", " ", "请填写“行政许可·本年处理决定数量”的数据来源"),
    ("active.art20_8.admin_fee.amount_wan", "1.23456", "系统", "最多保留 4 位小数"),
    ("active.art20_9.central_procurement.projects", "3", "系统", "不是2025年度报告格式第二部分的指标"),
])
def test_figure_set_refuses_bad_values_and_stores_nothing(agency, officer, fixed_today, key, value, source, message):
    fixed_today(date(2026, 1, 20))
    with pytest.raises(DomainError, match=message):
        actions.figure_set(agency, 2025, key, value, source, actor=officer)
    assert not ActiveFigure.objects.exists() and not audit("annualreport.figure_set")


def test_2019_format_figures_accept_signed_changes(agency, officer, fixed_today):
    fixed_today(date(2021, 1, 20))
    actions.figure_set(agency, 2020, "active.art20_5.licensing.change", "-3", "审批系统", actor=officer)
    assert compute(agency, 2020).cells["active.art20_5.licensing.change"] == -3


def _csv(rows):
    return ("\ufeff年度,指标代码,指标名称,数值,数据来源\n" + "\n".join(",".join(r) for r in rows)).encode("utf-8")


def test_import_reports_every_bad_row_and_imports_nothing(agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    actions.figure_set(agency, 2025, "active.art20_5.licensing.decisions", "7", "旧来源", actor=officer)
    data = _csv([
        ["2025", "active.art20_5.licensing.decisions", "", "12", "审批系统"],
        ["2025", "", "行政处罚·本年处理决定数量", "-2", "执法系统"],
        ["2024", "active.art20_6.coercion.decisions", "", "1", "执法系统"],
        ["2025", "", "行政强制执行", "1", "执法系统"],
        ["2025", "active.art20_8.admin_fee.amount_wan", "", "2.5", ""],
        ["2025", "active.art20_5.licensing.decisions", "", "13", "审批系统"],
    ])
    with pytest.raises(DomainError) as exc:
        actions.figures_import(agency, 2025, data, "figures.csv", actor=officer)
    assert "有 5 处错误，未导入任何数据" in str(exc.value)
    assert exc.value.items == [
        "第 3 行：“行政处罚·本年处理决定数量”不能为负数（填写的是 -2）。",
        "第 4 行：年度 2024 与本报告年度 2025 不一致。",
        "第 5 行：指标“行政强制执行”不是2025年度报告格式第二部分的指标，请对照导入模板。",
        "第 6 行：请填写“行政事业性收费·本年收费金额（单位：万元）”的数据来源（来自哪个系统或台账）。",
        "第 7 行：指标“行政许可·本年处理决定数量”与第 2 行重复。",
    ]
    assert list(ActiveFigure.objects.values_list("key", "value")) == [("active.art20_5.licensing.decisions", 7)]
    assert not audit("annualreport.figures_import")


def test_import_csv_and_xlsx(agency, officer, fixed_today):
    from openpyxl import Workbook

    fixed_today(date(2026, 1, 20))
    data = _csv([["2025", "", "行政许可·本年处理决定数量", "12", "审批系统"],
                 ["", "active.art20_8.admin_fee.amount_wan", "", "1.25", "非税系统"]])
    actions.figures_import(agency, 2025, data, "figures.csv", actor=officer)
    assert audit("annualreport.figures_import") == [
        ("annualreport.figures_import", agency.pk, "officer1", None,
         {"year": 2025, "file": "figures.csv",
          "rows": {"active.art20_5.licensing.decisions": "12", "active.art20_8.admin_fee.amount_wan": "1.25"}})]
    book = Workbook()
    sheet = book.active
    sheet.append(["年度", "指标代码", "指标名称", "数值", "数据来源"])
    sheet.append([2025, "active.art20_6.penalty.decisions", None, 4, "执法系统"])
    buf = io.BytesIO()
    book.save(buf)
    actions.figures_import(agency, 2025, buf.getvalue(), "figures.xlsx", actor=officer)
    cells = compute(agency, 2025).cells
    assert (cells["active.art20_5.licensing.decisions"], cells["active.art20_6.penalty.decisions"]) == (12, 4)
    assert ActiveFigure.objects.get(key="active.art20_6.penalty.decisions").via == "import"


@pytest.mark.parametrize("data,name,message", [
    (b"", "a.csv", "空的"),
    (b"\xd0\xcf\x11\xe0 old excel", "a.xls", "只能导入 CSV 或 XLSX"),
    (b"PK\x03\x04broken", "a.xlsx", "无法打开 XLSX"),
    ("名称,值\n行政许可,3\n".encode(), "a.csv", "第 1 行应为表头"),
    ("年度,指标代码,数值,数据来源\n".encode(), "a.csv", "只有表头"),
])
def test_import_refuses_unreadable_files(agency, officer, fixed_today, data, name, message):
    fixed_today(date(2026, 1, 20))
    with pytest.raises(DomainError) as exc:
        actions.figures_import(agency, 2025, data, name, actor=officer)
    assert message in str(exc.value) + "".join(exc.value.items)
    assert not ActiveFigure.objects.exists()


# -- warnings and signing -------------------------------------------------------------------------

def test_sign_is_blocked_by_errors_then_by_unexplained_warnings(agency, officer, head, draft):
    with pytest.raises(DomainError) as exc:
        actions.report_sign(draft, actor=head)
    assert "还有 7 个错误" in str(exc.value)  # four blank figures, three sections with 【请填写…】
    assert any("行政许可·本年处理决定数量" in m for m in exc.value.items)
    complete(draft, officer)
    state = selectors.live_state(agency, 2025, draft)
    assert not state.errors
    assert state.previous.source == "system" and state.unexplained == []
    assert not ReportRevision.objects.exists() and not audit("annualreport.sign")


@pytest.fixture
def ready(agency, officer, draft, fixed_today):
    """A complete draft with one warning: last year's (2024) report shows carried-forward 0."""
    complete(draft, officer)
    return draft


def test_warning_needs_reason_and_the_reason_is_kept(agency, officer, head, ready, fixed_today):
    state = selectors.live_state(agency, 2025, ready)
    assert state.previous.source == "system"
    assert not state.warnings  # the system's own 2024 data continues into 2025
    # Upload of a 2024 report whose carried-forward differs → a warning that needs a reason.
    prev = _previous_file(agency, carried_forward=3)
    actions.previous_upload(agency, 2024, prev, "2024年报.html", actor=officer)
    state = selectors.live_state(agency, 2025, ready)
    assert state.previous.source == "upload"
    ids = [f.id for f in state.unexplained]
    assert ids == ["R7_carry_over_continuity:column=natural_person", "R7_carry_over_continuity:column=total"]
    with pytest.raises(DomainError, match="还有 2 个警告没有写明理由"):
        actions.report_sign(ready, actor=head)
    with pytest.raises(DomainError, match="请写明理由"):
        actions.warning_explain(ready, ids[0], "  ", actor=officer)
    with pytest.raises(DomainError, match="已不存在"):
        actions.warning_explain(ready, "R1_column_balance:column=total", "理由理由", actor=officer)
    for fid in ids:
        actions.warning_explain(ready, fid, "上年报告为手工填报，结转数有误，已核对本系统台账。", actor=officer)
    message = state.unexplained[0].finding.message
    assert audit("annualreport.warning_explain")[0] == (
        "annualreport.warning_explain", agency.pk, "officer1", None,
        {"finding": ids[0], "message": message, "reason": "上年报告为手工填报，结转数有误，已核对本系统台账。"})
    revision = actions.report_sign(ready, actor=head)
    found = {f["id"]: f for f in revision.snapshot["findings"]}
    assert found[ids[0]]["reason"] == "上年报告为手工填报，结转数有误，已核对本系统台账。"
    assert found[ids[0]]["reason_by"] == "officer1" and found[ids[0]]["severity"] == "warning"


def test_a_reason_covers_only_the_text_it_was_written_for(agency, officer, ready, fixed_today):
    actions.previous_upload(agency, 2024, _previous_file(agency, carried_forward=3), "2024.html", actor=officer)
    state = selectors.live_state(agency, 2025, ready)
    fid = state.unexplained[0].id
    actions.warning_explain(ready, fid, "已核对，上年数据有误。", actor=officer)
    assert len(selectors.live_state(agency, 2025, ready).unexplained) == 1
    # Last year's figure changes → the warning's text changes → the old reason no longer covers it.
    actions.previous_upload(agency, 2024, _previous_file(agency, carried_forward=4), "2024.html", actor=officer)
    state = selectors.live_state(agency, 2025, ready)
    stale = next(f for f in state.findings if f.id == fid)
    assert stale.needs_reason and stale.outdated.reason == "已核对，上年数据有误。"
    assert WarningExplanation.objects.count() == 1


def _previous_file(agency, carried_forward: int) -> bytes:
    from gongkai.law.reportformat import ReportDocument, render_html, spec

    cells = {k: 0 for k in spec.get_format(spec.GOV2021).all_keys}
    cells.update({"apply.new.natural_person": carried_forward, "apply.new.total": carried_forward,
                  "apply.carried_forward.natural_person": carried_forward,
                  "apply.carried_forward.total": carried_forward})
    doc = ReportDocument(format=spec.GOV2021, year=2024, agency=agency.name, cells=cells,
                         sections={"一": "总体。", "五": "一是解读不够。", "六": "无。"})
    return render_html(doc).encode("utf-8")


def test_a_year_is_signed_only_after_it_ended(agency, officer, head, fixed_today):
    fixed_today(date(2025, 12, 31))
    report = actions.report_start(agency, 2025, actor=officer)
    complete(report, officer)
    explain_all(report, officer)
    with pytest.raises(DomainError, match="2025年度尚未结束"):
        actions.report_sign(report, actor=head)
    fixed_today(date(2026, 1, 1))
    assert actions.report_sign(report, actor=head).number == 1


def test_only_the_office_head_signs(agency, officer, ready, staff_factory):
    admin = make_user("root", is_superuser=True, is_staff=True)
    for user in (officer, admin):
        with pytest.raises(DomainError, match="只有本机关的公开工作机构负责人可以签发年度报告"):
            actions.report_sign(ready, actor=user)
    assert not ReportRevision.objects.exists()


def test_signing_freezes_the_period(agency, officer, head, ready, cases, fixed_today):
    revision = actions.report_sign(ready, actor=head)
    ready.refresh_from_db()
    assert (ready.status, ready.revision, revision.number) == ("signed", 1, 1)
    snap = revision.snapshot
    assert snap["cells"]["apply.carried_forward.total"] == 1
    assert snap["drilldown"]["apply.carried_forward.total"] == [f"app:{cases['c'].pk}"]
    assert snap["records"][f"app:{cases['c'].pk}"]["detail"] == "收到 2025-12-22；年末尚未办结，结转下年度"
    assert snap["sections"]["一"] == PROSE["section1"]
    assert audit("annualreport.sign") == [
        ("annualreport.sign", agency.pk, "head1", {"status": "draft", "revision": 0},
         {"status": "signed", "revision": 1, "correction_reason": "", "warnings_explained": []})]
    # A later edit to a 2025 case (a back-dated decision) changes the live figures, not the signed report.
    decide(cases["c"], officer, date(2025, 12, 30))
    assert compute(agency, 2025).cells["apply.carried_forward.total"] == 0
    shown = selectors.report_state(agency, 2025)
    assert shown.revision == revision and shown.doc.cells["apply.carried_forward.total"] == 1
    with pytest.raises(DomainError, match="已签发，数据已冻结"):
        actions.figure_set(agency, 2025, "active.art20_5.licensing.decisions", "13", "系统", actor=officer)
    with pytest.raises(DomainError, match="已签发，数据已冻结"):
        actions.report_update_prose(ready, actor=officer, section1="改", section5="改", section6="改")
    with pytest.raises(ImmutableRevisionError):
        revision.snapshot = {}
        revision.save()
    with pytest.raises(ImmutableRevisionError):
        revision.delete()


def test_correction_makes_a_new_visible_revision(agency, officer, head, ready, cases, fixed_today):
    actions.report_sign(ready, actor=head)
    release.report_publish(ready, actor=head)
    with pytest.raises(DomainError, match="请写明更正原因"):
        actions.report_reopen(ready, "", actor=head)
    with pytest.raises(DomainError, match="只有本机关的公开工作机构负责人"):
        actions.report_reopen(ready, "漏登一件答复", actor=officer)
    decide(cases["c"], officer, date(2025, 12, 30))
    actions.report_reopen(ready, "漏登一件12月30日的答复", actor=head)
    ready.refresh_from_db()
    assert ready.status == "draft" and ready.correction_reason == "漏登一件12月30日的答复"
    assert audit("annualreport.reopen") == [
        ("annualreport.reopen", agency.pk, "head1", {"status": "published", "revision": 1},
         {"status": "draft", "correction_reason": "漏登一件12月30日的答复"})]
    # The published revision stays public while the correction is prepared.
    assert selectors.published_revision(agency, 2025).number == 1
    second = actions.report_sign(ready, actor=head)
    assert (second.number, second.correction_reason) == (2, "漏登一件12月30日的答复")
    assert second.snapshot["cells"]["apply.carried_forward.total"] == 0
    assert ReportRevision.objects.get(number=1).snapshot["cells"]["apply.carried_forward.total"] == 1
    release.report_publish(ready, actor=head)
    assert selectors.published_revision(agency, 2025).number == 2


def test_publish_requires_a_signature_and_audits(agency, officer, head, ready):
    with pytest.raises(DomainError, match="尚未签发"):
        release.report_publish(ready, actor=head)
    actions.report_sign(ready, actor=head)
    with pytest.raises(DomainError, match="只有本机关的公开工作机构负责人可以公开"):
        release.report_publish(ready, actor=officer)
    revision = release.report_publish(ready, actor=head)
    assert revision.published_at is not None
    assert audit("annualreport.publish") == [
        ("annualreport.publish", agency.pk, "head1", {"status": "signed"},
         {"status": "published", "revision": 1, "page": None,
          "url": f"/annual-reports/{agency.credit_code}/2025/", "auto_confirmed": []})]
    with pytest.raises(DomainError, match="已经公开"):
        release.report_publish(ready, actor=head)


def test_previous_upload_refuses_bad_files_and_keeps_the_old_one(agency, officer, fixed_today):
    fixed_today(date(2026, 1, 20))
    good = _previous_file(agency, carried_forward=2)
    actions.previous_upload(agency, 2024, good, "2024.html", actor=officer)
    for data, name, year, message in ((b"", "a.pdf", 2024, "空的"), (b"%PDF-1.4 broken", "a.pdf", 2024, "无法读取"),
                                      ("无关的文字".encode(), "a.txt", 2024, "不是可识别的年度报告"),
                                      (good, "2024.html", 2023, "与填写的 2023 年不一致"),
                                      (good, "a.html", 2026, "应在 2019 至 2025 之间")):
        with pytest.raises(DomainError, match=message):
            actions.previous_upload(agency, year, data, name, actor=officer)
    row = PreviousYearReport.objects.get()
    assert row.parsed["cells"]["apply.carried_forward.total"] == 2 and row.file_name == "2024.html"
    assert [r[4]["file_name"] for r in audit("annualreport.previous_upload")] == ["2024.html"]


def test_reminder_once_a_day_to_office_heads(agency, officer, head, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = actions.reminder_send(agency, 2025, on=date(2026, 1, 5))
    assert actions.reminder_send(agency, 2025, on=date(2026, 1, 5)) is None
    assert row.recipients == ["head1@example.invalid"]
    assert len(mailoutbox) == 1 and "距公开期限（2026年01月31日）还有 26 天" in mailoutbox[0].body
    assert audit("annualreport.reminder_send") == [
        ("annualreport.reminder_send", agency.pk, "", None,
         {"year": 2025, "state": "尚未建立", "deadline": "2026-01-31", "recipients": 1})]


def test_start_quotes_the_years_messages_and_tickets(agency, officer, fixed_today):
    from gongkai.interaction import actions as msg_actions

    fixed_today(date(2026, 1, 20))
    for channel, on in (("police_110", date(2025, 3, 1)), ("website", date(2025, 4, 1)),
                        ("website", date(2025, 5, 1)), ("website", date(2024, 5, 1))):
        msg_actions.message_register(agency, actor=None, check_role=False, category="consult", channel=channel,
                                     title="咨询", content="请问优待证如何办理？", received_on=on)
    report = actions.report_start(agency, 2025, actor=officer)
    assert "本年度受理110联动受理单1件，百姓呼声2件，共3件；已答复0件，正在办理3件。" in report.section1
