"""Every staff form answers hostile input with a Chinese message, never a 5xx, and stores nothing when refused.

A logged-in staff member (依申请办理, 留言办理 and 负责人 of one agency; a verified system
administrator for the holiday calendar) posts plausible and hostile values (see fuzzgen) to
the application register and every case action, the message actions, register and ticket
import, the annual-report start, figures (entry and import), prose, previous-year upload,
explain and reopen, and the calendar load; the list, statistics and download pages get
hostile query parameters. The list of staff URLs is checked against the resolver.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from gongkai.agencies.roles import Role

from . import fuzzgen as fz

pytestmark = pytest.mark.django_db

EXAMPLES = 30
TALLY = fz.Tally()
DATES = ["2026-03-02", "2026-03-20", "2026-01-05", "2025-12-31", "0001-01-01", "9999-12-31"]


def counts() -> dict:
    from gongkai.annualreport.models import ActiveFigure, AnnualReport, PreviousYearReport
    from gongkai.applications.models import Application, Consultation, Litigation, Reconsideration
    from gongkai.audit.models import AuditEvent
    from gongkai.calendars.models import CalendarYear
    from gongkai.interaction.models import ImportBatch, Message, Reply

    models = (Application, Consultation, Reconsideration, Litigation, Message, Reply, ImportBatch, AuditEvent,
              AnnualReport, ActiveFigure, PreviousYearReport, CalendarYear)
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def world(agency, settings, tmp_path):
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    return build_world(agency)


def build_world(agency) -> dict:
    """One agency with an application, a message, a draft annual report and a staff member."""
    from gongkai.annualreport import actions as report_actions
    from gongkai.applications import actions as app_actions
    from gongkai.interaction import actions as msg_actions
    from gongkai.interaction.models import Department
    from tests.factories import make_user

    staff = make_user("fuzz_staff", agency=agency, role=Role.APPLICATION_OFFICER)
    from gongkai.agencies import actions as agency_actions

    for role in (Role.OFFICE_HEAD, Role.MESSAGE_HANDLER):
        agency_actions.membership_grant(staff, agency, role, actor=None)
    department = Department.objects.create(agency=agency, name="优抚科")
    app = app_actions.application_register(
        agency=agency, actor=staff, channel="in_person", submitted_on=date(2026, 3, 2), subject="",
        description="请公开2025年度本局退役军人优抚资金发放汇总表。",
        applicant={"kind": "natural_person", "name": "张三", "id_type": "resident_id",
                   "id_number": "11010519491231002X", "phone": "13800138000"})
    decided = app_actions.application_register(
        agency=agency, actor=staff, channel="in_person", submitted_on=date(2026, 3, 2), subject="",
        description="请公开2025年度本局退役军人安置工作文件。",
        applicant={"kind": "natural_person", "name": "李四", "id_type": "resident_id",
                   "id_number": "11010519491231002X", "phone": "13800138001"})
    app_actions.application_decide(decided, actor=staff, on=date(2026, 3, 3), outcome="result.granted", basis="依《条例》第二十七条予以公开。", parts=[])
    review = app_actions.reconsideration_record(decided, actor=staff, body="测试市人民政府", case_number="",
                                                filed_on=date(2026, 3, 4), result="pending", concluded_on=None,
                                                note="")
    message = msg_actions.message_register(
        agency, actor=None, category="consult", channel="website", title="关于优待证办理的咨询",
        content="请问退役军人优待证在哪里办理？", writer_name="张三", writer_phone="13812345678",
        writer_email="", wants_public=True, received_on=date(2026, 3, 2))
    report = report_actions.report_start(agency, 2025, actor=staff)
    admin = make_user("fuzz_admin", is_superuser=True, is_staff=True)
    import pymupdf

    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "fuzz")
        pdf = doc.tobytes()
    release = {kind: app_actions.release_add(app, actor=staff, name=f"{kind}.pdf", data=pdf, disposition=kind,
                                             reason="result.denied.third_party", basis="涉及个人隐私")
               for kind in ("full", "partial", "withheld")}
    return {"agency": agency, "staff": staff, "app": app, "review": review, "message": message,
            "department": department, "report": report, "admin": admin, "release": release}


def login(client, user, verified=False):
    client.force_login(user)
    if verified:
        from django_otp.plugins.otp_static.models import StaticDevice

        device = StaticDevice.objects.create(user=user, name="测试备用码")
        device.token_set.create(token="11112222")
        assert client.post("/accounts/2fa/", {"token": "11112222"}).status_code in (200, 302)


APPLICANT = {
    "kind": ["natural_person", "commercial"], "name": ["张三"], "id_type": ["resident_id"],
    "id_number": ["11010519491231002X"], "contact_person": [""], "phone": ["13800138000"], "email": [""],
    "address": [""], "postal_code": ["", "471000"],
}
APP_VERBS = {
    "request_correction": {"on": DATES, "items": ["请补充身份证明"], "period_end": DATES},
    "record_correction": {"on": DATES, "note": [""]},
    "correction_expired": {"on": DATES},
    "consult": {"on": DATES, "party_kind": ["third_party", "co_maker"], "party_name": ["李四"],
                "party_address": [""], "matter": ["拟公开的合同"], "window_days": ["15", "1", "60"]},
    "extend": {"on": DATES, "days": ["20", "1"], "reason": ["情况复杂"]},
    "special_deadline": {"on": DATES, "new_due": DATES, "reason": ["第三十五条"]},
    "fee_notice": {"on": DATES, "method": ["by_count", "by_pages"], "pages": ["", "120"]},
    "fee_received": {"on": DATES},
    "fee_paid": {"on": DATES, "amount_paid": ["", "100.00"], "receipt_no": [""]},
    "fee_expired": {"on": DATES},
    "decide": {"on": DATES, "outcome": ["result.granted", "result.partial", "result.denied.state_secret"], "basis": [""],
               "parts-TOTAL_FORMS": ["1", "3"], "parts-INITIAL_FORMS": ["0"], "parts-0-description": ["文件"],
               "parts-0-disclosed": ["1", "0"], "parts-0-reason": ["", "result.denied.state_secret"], "parts-0-basis": [""]},
    "deliver": {"on": DATES, "method": ["邮寄", "当面领取", "电子邮件"], "tracking_number": ["", "XA123456789CN"],
                "signed_on": ["", *DATES]},
    "withdraw": {"on": DATES, "note": [""]},
    "change_kind": {"kind": ["research", "natural_person"], "reason": ["登记时选错"]},
    "note": {"note": ["已电话联系"]},
    "review": {"body": ["测试市人民政府"], "case_number": [""], "filed_on": DATES, "result": ["pending", "maintained"],
               "concluded_on": ["", *DATES], "note": [""]},
    "litigation": {"route": ["direct", "after_review"], "court": ["测试市中级人民法院"], "case_number": [""],
                   "filed_on": DATES, "result": ["pending"], "concluded_on": [""], "note": [""]},
}
MSG_VERBS = {
    "triage": {"category": ["consult", "complaint"], "department": [], "note": [""]},
    "route": {"department": [], "note": ["转办"]},
    "draft": {"text": ["您好，优待证在区退役军人服务站办理。"]},
    "submit": {},
    "approve": {"note": [""]},
    "return": {"note": ["请修改"]},
    "publish": {"public_title": ["咨询"], "public_content": ["内容"], "public_reply": ["答复"]},
    "unpublish": {"reason": ["撤回"]},
    "invalid": {"reason": ["重复"]},
    "convert": {"kind": ["natural_person"], "id_type": ["resident_id"], "id_number": ["11010519491231002X"],
                "address": [""], "confirmed_on": DATES, "reason": ["转为申请"]},
}
TICKET_HEADER = "工单编号,来源,受理时间,诉求人,联系电话,诉求内容,办理部门\n"


def _ticket_file(cells) -> bytes:
    """A ticket CSV whose cells are hostile values (the import must answer row by row)."""
    rows = []
    for i, cell in enumerate(cells):
        text = cell.decode("utf-8", "replace") if isinstance(cell, bytes) else str(cell)
        text = text.replace('"', '""')
        rows.append(f'T{i},12345,"{text}",张三,13812345678,"诉求内容{i}",优抚科')
    return (TICKET_HEADER + "\n".join(rows) + "\n").encode("utf-8")


TICKET_CELLS = st.lists(st.one_of(st.sampled_from(["12345", "45000", "2026-03-01 09:30", "2026年3月1日", "0001-01-01",
                                                   "9999-12-31", "1e309", "-1", ""]), fz.hostile_text),
                        min_size=1, max_size=4)
FILES = st.one_of(
    st.binary(max_size=200), TICKET_CELLS.map(_ticket_file),
    st.sampled_from([b"", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "指标,数值\n".encode("gbk"),
                     "key,value,source\napply.new.natural_person,9999999999999999999999,x\n".encode()]),
)


def _ctx(world):
    return {"agency": [str(world["agency"].pk)], "department": [str(world["department"].pk)],
            "figure": ["1", "0"]}


def _app_action(verb):
    return (lambda w: f"/admin/applications/{w['app'].pk}/do/{verb}/", APP_VERBS[verb], False, True)


def _msg_action(verb):
    return (lambda w: f"/admin/interaction/messages/edit/{w['message'].pk}/", {"action": [verb], **MSG_VERBS[verb]},
            False, True)


# name -> (path(world), plausible fields, sends a file, is a POST)
ENDPOINTS = {
    "applications_admin:list": (lambda w: "/admin/applications/", {"status": ["", "processing"], "q": [""], "p": ["1"]}, False, False),
    "applications_admin:board": (lambda w: "/admin/applications/board/", {}, False, False),
    "applications_admin:case": (lambda w: f"/admin/applications/{w['app'].pk}/", {}, False, False),
    "applications_admin:register": (lambda w: "/admin/applications/new/", {
        **APPLICANT, "channel": ["in_person", "online", "registered_mail"], "submitted_on": DATES,
        "signed_for_on": ["", *DATES], "confirmed_on": ["", *DATES], "subject": [""],
        "description": ["请公开2025年度优抚资金发放汇总表。"], "document_number": [""],
        "form_wanted": ["either"], "delivery_wanted": ["post"]}, False, True),
    **{f"applications_admin:action {verb}": _app_action(verb) for verb in APP_VERBS},
    "applications_admin:sub": (lambda w: f"/admin/applications/record/review/{w['review'].pk}/",
                               {"result": ["maintained", "corrected"], "concluded_on": DATES}, False, True),
    "applications_admin:letter": (lambda w: f"/admin/applications/{w['app'].pk}/letter/receipt.docx",
                                  {"ref": ["", "2026-0001"]}, False, False),
    "applications_admin:same_info": (lambda w: "/admin/applications/same-info/", {"agency": []}, False, False),
    "applications_admin:same_info_dismiss": (lambda w: f"/admin/applications/same-info/{w['app'].pk}/dismiss/",
                                             {"reason": ["", "申请的不是同一信息"]}, False, True),
    "applications_admin:release_add": (lambda w: f"/admin/applications/{w['app'].pk}/release/add/", {
        "disposition": ["full", "partial", "withheld", "x"], "reason": ["", "result.denied.third_party"],
        "basis": ["", "涉及个人隐私"]}, True, True),
    "applications_admin:release_redact": (lambda w: f"/admin/applications/release/{w['release']['partial'].pk}/redact/", {
        "texts": ["王五", "", "王"], "text_basis": ["privacy", "x"], "patterns": ["id_number", "mobile", "x"],
        "pattern_basis": ["privacy", ""]}, False, True),
    "applications_admin:release_confirm": (lambda w: f"/admin/applications/release/{w['release']['partial'].pk}/confirm/",
                                           {}, False, True),
    "applications_admin:release_original": (lambda w: f"/admin/applications/release/{w['release']['full'].pk}/original/",
                                            {"view": ["1", ""]}, False, False),
    "applications_admin:release_released": (lambda w: f"/admin/applications/release/{w['release']['full'].pk}/released/",
                                            {"view": ["1", ""]}, False, False),
    "applications_admin:release_job": (lambda w: f"/admin/applications/release/{w['release']['partial'].pk}/job/", {},
                                       False, False),
    "applications_admin:release_remove": (lambda w: f"/admin/applications/release/{w['release']['withheld'].pk}/remove/",
                                          {}, False, True),
    "interaction_admin:list": (lambda w: "/admin/interaction/messages/", {
        "status": ["", "open"], "category": [""], "channel": [""], "q": [""], "state": [""], "p": ["1"]}, False, False),
    **{f"interaction_admin:case {verb}": _msg_action(verb) for verb in MSG_VERBS},
    "interaction_admin:attachment": (lambda w: f"/admin/interaction/messages/attachment/{w['message'].pk}/", {},
                                     False, False),
    "interaction_admin:register": (lambda w: "/admin/interaction/messages/new/", {
        "agency": [], "channel": ["other", "police_110", "hotline_12345", "website"], "category": ["consult"],
        "ticket_number": ["", "T1"], "received_on": DATES, "title": [""], "content": ["来信内容"],
        "writer_name": [""], "writer_phone": ["", "13812345678"], "writer_email": [""], "wants_public": [""]},
        False, True),
    "interaction_admin:import": (lambda w: "/admin/interaction/import/", {"agency": [], "dry_run": ["on", ""]},
                                 True, True),
    "interaction_admin:stats": (lambda w: "/admin/interaction/stats/", {"agency": [], "start": DATES, "end": DATES},
                                False, False),
    "interaction_admin:board": (lambda w: "/admin/interaction/board/", {}, False, False),
    "interaction_admin:from_application": (lambda w: f"/admin/interaction/from-application/{w['app'].pk}/",
                                           {"reason": ["第三十九条", ""]}, False, True),
    "annualreport_admin:index": (lambda w: "/admin/annual-reports/", {"agency": [], "year": ["2025", "2024", "2019"]},
                                 False, True),
    "annualreport_admin:report": (lambda w: f"/admin/annual-reports/{w['report'].pk}/", {
        "do": ["explain", "reopen"], "finding": ["", "x"], "reason": ["理由"]}, False, True),
    "annualreport_admin:prose": (lambda w: f"/admin/annual-reports/{w['report'].pk}/prose/", {
        "section1": ["总体情况"], "section5": [""], "section6": [""]}, False, True),
    "annualreport_admin:figures": (lambda w: f"/admin/annual-reports/{w['report'].pk}/figures/", {
        "do": ["", "delete"], "key": ["fees.administrative.amount", "permits.granted"], "value": ["12", "1.5", ""],
        "source": [""], "figure": []}, False, True),
    "annualreport_admin:figures import": (lambda w: f"/admin/annual-reports/{w['report'].pk}/figures/",
                                          {"do": ["import"]}, True, True),
    "annualreport_admin:figures_template": (lambda w: f"/admin/annual-reports/{w['report'].pk}/figures/template.csv",
                                            {}, False, False),
    "annualreport_admin:previous": (lambda w: f"/admin/annual-reports/{w['report'].pk}/previous/",
                                    {"year": ["2024", "2019"]}, True, True),
    "annualreport_admin:cell": (lambda w: f"/admin/annual-reports/{w['report'].pk}/cell/apply.new.total/", {}, False, False),
    "annualreport_admin:download": (lambda w: f"/admin/annual-reports/{w['report'].pk}/download.json",
                                    {"revision": ["", "1"], "inline": ["", "1"]}, False, False),
    "annualreport_admin:supervision": (lambda w: "/admin/annual-reports/supervision/", {"year": ["2025"]}, False, False),
    "calendars:add": (lambda w: "/admin/snippets/calendars/calendaryear/add/", {
        "yaml_text": ["year: 2031\nnotice: 国办发明电〔2030〕1号\nnotice_date: 2030-11-01\nrest_days:\n  - 2031-01-01\n"
                      "working_days: []\n"]}, False, True),
}


@pytest.fixture(scope="module", autouse=True)
def _report_tally(request):
    yield
    print(f"\nstaff fuzz: {TALLY.summary()}")  # shown with -s


def _freeze_today(monkeypatch, day: date) -> None:
    """The one clock seam where it exists (gongkai.core.clock), else the apps' own `today`."""
    import importlib

    try:
        monkeypatch.setattr(importlib.import_module("gongkai.core.clock"), "today", lambda: day)
    except ImportError:
        for module in ("gongkai.applications.caseclock", "gongkai.annualreport.selectors"):
            monkeypatch.setattr(importlib.import_module(module), "today", lambda: day, raising=False)


GROUPS = ("applications_admin:action", "applications_admin", "interaction_admin", "annualreport_admin", "calendars")


def _group(name: str) -> str:
    return next(g for g in GROUPS if name.startswith(g))


@pytest.mark.parametrize("group", GROUPS)
def test_staff_forms_survive_hostile_input(group, world, client, monkeypatch):
    """One world per group (its setup is the slow part), one Hypothesis run per endpoint."""
    _freeze_today(monkeypatch, date(2026, 3, 20))
    names = sorted(n for n in ENDPOINTS if _group(n) == group)
    assert names
    login(client, world["admin"] if group == "calendars" else world["staff"], verified=group == "calendars")
    for name in names:
        fuzz_endpoint(name, world, client, settings(max_examples=EXAMPLES, derandomize=True))


def fuzz_endpoint(name, world, client, budget, seed_value: int | None = None) -> None:
    """Run Hypothesis on one endpoint; `budget` is a hypothesis.settings, `seed_value` for fuzz/fuzz_forms.py."""
    path, plausible, sends_file, is_post = ENDPOINTS[name]
    ctx = _ctx(world)
    form = fz.Form({k: v or ctx.get(k, []) for k, v in plausible.items()})
    url = path(world)

    @settings(budget, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=fz.form_data(form), encoding=st.sampled_from(fz.ENCODINGS), upload=FILES,
           filename=st.sampled_from(["tickets.csv", "figures.csv", "report.txt", "a.xlsx", "\x00.csv", "中文.csv"]))
    def run(data, encoding, upload, filename):
        cache.clear()
        if not is_post:
            response = fz.get(client, url, data)
            TALLY.add(name, response.status_code)
            fz.check_response(response, label=f"{name} {data!r:.300}", rejected=response.status_code >= 400)
            return
        before = counts()
        files = {"file": (filename, upload)} if sends_file else None
        response = fz.post(client, url, data, encoding, files=files)
        TALLY.add(name, response.status_code)
        # The ticket import shows its report on the page (200) when it succeeds.
        rejected = response.status_code >= 400 or (not 300 <= response.status_code < 400 and name != "interaction_admin:import")
        fz.check_response(response, label=f"{name} {encoding} {data!r:.300}", rejected=rejected,
                          counts_before=before, counts_after=counts())

    (seed(seed_value)(run) if seed_value is not None else run)()


def test_dates_outside_1900_2100_are_refused_with_the_range(world, client):
    """The attacker's 0001-01-01 (a 500 before): refused in Chinese, the case unchanged."""
    login(client, world["staff"])
    before = counts()
    response = client.post(f"/admin/applications/{world['app'].pk}/do/extend/",
                           {"on": "0001-01-01", "days": "20", "reason": "情况复杂"})
    assert response.status_code == 200
    assert "请填写1900年至2100年之间的日期" in response.content.decode()
    assert counts() == before
    page = client.get(f"/admin/applications/{world['app'].pk}/do/extend/").content.decode()
    assert 'min="1900-01-01"' in page and 'max="2100-12-31"' in page


def test_ticket_cell_12345_is_a_row_numbered_error_not_a_crash(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, world["staff"])
    data = (TICKET_HEADER + "T1,12345,12345,张三,13812345678,诉求,优抚科\n").encode("utf-8")
    response = client.post("/admin/interaction/import/", {
        "agency": world["agency"].pk, "dry_run": "on", "file": SimpleUploadedFile("t.csv", data)})
    assert response.status_code == 400
    assert "第2行：受理时间“12345”不是有效日期" in response.content.decode()


def test_number_like_parameters_beyond_int_parsing_are_not_found(world, client):
    """Found by fuzz/fuzz_forms.py: 100,000 digits or "²" passed `str.isdigit()` and crashed int()."""
    login(client, world["staff"])
    for value in ["9" * 100_000, "²", "١٢"]:
        response = client.get(f"/admin/annual-reports/{world['report'].pk}/download.json", {"revision": value})
        assert response.status_code == 404
    for value in ["9" * 5000, "²"]:
        response = client.get(f"/admin/applications/{world['app'].pk}/letter/consult_third_party.docx", {"ref": value})
        assert response.status_code < 500


def test_search_boxes_take_100000_characters(world, client):
    """Found by fuzz/fuzz_forms.py: SQLite refuses LIKE patterns over 50,000 bytes (a 500 before)."""
    login(client, world["staff"])
    for path in ("/admin/interaction/messages/", "/admin/applications/"):
        assert client.get(path, {"q": "中" * 100_000}).status_code == 200


def test_every_staff_url_is_fuzzed():
    """A new staff URL of these apps must be added to ENDPOINTS."""
    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    ours = {n.split(":", 1)[1] if n.count(":") > 1 else n for n in names
            if n.split(":")[-2:-1] and n.split(":")[-2] in ("applications_admin", "interaction_admin", "annualreport_admin")}
    ours = {n.split(":")[-2] + ":" + n.split(":")[-1] for n in ours}
    fuzzed = {name.split(" ")[0] for name in ENDPOINTS}
    assert len(ours) > 20
    assert ours <= fuzzed, f"staff URLs not fuzzed: {sorted(ours - fuzzed)}"
