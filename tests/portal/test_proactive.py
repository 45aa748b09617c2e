"""依申请转主动 (《条例》第四十四条) and 已主动公开 (第三十六条第（一）项): board, conversion, intake suggestions, reply.

Real database, real portal pages and search index; the applications app reaches the portal only
through its hooks (`gongkai.applications.published`).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import Page

from gongkai.agencies.roles import Role
from gongkai.applications import actions, selectors
from gongkai.applications.models import Application, SameInfoGroup
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.portal.actions.proactive import same_info_group_convert
from tests.applications.conftest import officer  # noqa: F401  (the agency's disclosure officer)
from tests.applications.helpers import person, register

from .conftest import make_policy

pytestmark = pytest.mark.django_db

def _id(i):
    from gongkai.law.identifiers import id_number_check_char

    first17 = f"41030219800101{i:03d}"
    return first17 + id_number_check_char(first17)


def applicant(i, name="王五"):
    return person(name=name, id_number=_id(i), phone=f"1380013{i:04d}")


@pytest.fixture
def xxgk(home):
    from gongkai.portal.models.disclosure_pages import DisclosureIndexPage

    index = DisclosureIndexPage(title="政府信息公开", slug="xxgk")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def stranger(other_agency, staff_factory):
    return staff_factory(other_agency, Role.APPLICATION_OFFICER, "officer2")


def three_asking_for_the_same(agency, officer, number="洛退役发〔2026〕3号"):
    return [
        register(agency, officer, applicant=applicant(1, "王五"), received=date(2026, 1, 5),
                 subject="优待证通知", description="请公开优待证申领通知", document_number=number),
        register(agency, officer, applicant=applicant(2, "赵六"), received=date(2026, 2, 3),
                 subject="优待证申领", description="要一份关于优待证申领的文件", document_number=number.replace("〔", "[").replace("〕", "]")),
        register(agency, officer, applicant=applicant(3, "孙七"), received=date(2026, 3, 2),
                 subject="申领文件", description="优待证申领工作文件", document_number=number.replace("〔", "（").replace("〕", "）")),
    ]


def test_groups_are_per_agency_and_need_three_distinct_applicants(agency, other_agency, officer, fixed_today):
    cases = three_asking_for_the_same(agency, officer)
    register(other_agency, None, applicant=applicant(4), subject="优待证", description="x", document_number="洛退役发〔2026〕3号")
    register(agency, officer, applicant=applicant(5), subject="部门预算", description="请公开本局2026年部门预算")
    groups = selectors.same_info_groups(agency=agency)
    assert [[c.pk for c in g.cases] for g in groups] == [[c.pk for c in cases]]
    assert groups[0].applicants == 3 and groups[0].doc_numbers == ["洛退役发〔2026〕3号"]
    assert selectors.same_info_groups(agency=other_agency) == []
    assert selectors.same_info_groups(agency=agency, min_applicants=4) == []


def test_one_applicant_three_times_is_one_applicant(agency, officer, fixed_today):
    for _ in range(3):
        register(agency, officer, applicant=applicant(1), description="请公开优待证申领通知", document_number="洛退役发〔2026〕3号")
    register(agency, officer, applicant=applicant(2), description="请公开优待证申领通知", document_number="洛退役发〔2026〕3号")
    assert selectors.same_info_groups(agency=agency) == []
    assert selectors.same_info_groups(agency=agency, min_applicants=2)[0].applicants == 2


def test_board_lists_groups_masked_and_another_agency_s_staff_get_404(client, agency, other_agency, officer, stranger,
                                                                      fixed_today):
    three_asking_for_the_same(agency, officer)
    client.force_login(officer)
    html = client.get(reverse("applications_admin:same_info")).content.decode()
    assert "优待证" in html and "3 个申请人" in html and "王某" in html and "王五" not in html
    assert "2026-0001" in html and reverse("portal_same_info_convert", args=[Application.objects.order_by("pk").first().pk]) in html
    client.force_login(stranger)
    own = client.get(reverse("applications_admin:same_info")).content.decode()
    assert "2026-0001" not in own and "共 0 组" in own
    assert client.get(reverse("applications_admin:same_info") + f"?agency={agency.pk}").status_code == 404
    first = Application.objects.filter(agency=agency).first()
    assert client.post(reverse("portal_same_info_convert", args=[first.pk])).status_code == 404
    assert client.post(reverse("applications_admin:same_info_dismiss", args=[first.pk]), {"reason": "x"}).status_code == 404
    assert not SameInfoGroup.objects.exists() and not Page.objects.filter(title__contains="优待证").exists()


def test_conversion_makes_one_draft_in_the_review_workflow_and_is_recorded(client, agency, officer, xxgk, fixed_today):
    from gongkai.portal.models.pages import ContentPage

    cases = three_asking_for_the_same(agency, officer)
    client.force_login(officer)
    html = client.get(reverse("applications_admin:same_info")).content.decode()
    convert = reverse("portal_same_info_convert", args=[cases[0].pk])
    assert convert in html
    done = client.post(convert, follow=True).content.decode()
    assert "已生成主动公开草稿" in done, done[done.find("messages"):][:600]
    client.post(reverse("portal_same_info_convert", args=[cases[2].pk]))  # clicked twice (any case of the group)
    page = ContentPage.objects.get()
    assert not page.live and page.get_parent().pk == xxgk.pk and page.agency_id == agency.pk
    assert page.doc_number == "洛退役发〔2026〕3号" and page.statutory_category == "15"
    assert "第四十四条" in page.body and "2026-0001" in page.body
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name.startswith("信息发布审核")
    state = workflow.start(page, officer)
    assert state.current_task_state.task.name.startswith("初审") and not Page.objects.get(pk=page.pk).live
    row = SameInfoGroup.objects.get()
    assert row.status == "converted" and row.page_id == page.pk and row.decided_by == officer
    assert set(row.applications.values_list("pk", flat=True)) == {c.pk for c in cases}
    events = AuditEvent.objects.filter(action="portal.same_info_convert")
    assert events.count() == 1 and events.get().new["cases"] == [c.number for c in cases]
    html = client.get(reverse("applications_admin:same_info")).content.decode()
    assert "已转为主动公开" in html and reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    assert convert not in html  # not offered again
    # a fourth applicant later: the group keeps its decision
    register(agency, officer, applicant=applicant(4), description="优待证", document_number="洛退役发〔2026〕3号")
    group = selectors.same_info_groups(agency=agency)[0]
    assert len(group.cases) == 4 and group.decision == row


def test_conversion_attaches_the_released_copies_once_and_never_an_unchecked_file(
        agency, officer, xxgk, fixed_today, django_capture_on_commit_callbacks):
    from gongkai.applications import tasks
    from gongkai.portal.models.pages import ContentPage
    from tests.applications.releasefiles import ID_NUMBER, KEPT, THIRD_PARTY, pdf_text, report_pdf

    cases = three_asking_for_the_same(agency, officer)
    pdf = report_pdf()
    marks = [{"kind": "text", "value": THIRD_PARTY, "basis": "privacy"},
             {"kind": "pattern", "value": "id_number", "basis": "privacy"}]
    for case in cases[:2]:  # the same file, redacted alike, given to two applicants
        f = actions.release_add(case, actor=officer, name="发放汇总表.pdf", data=pdf, disposition="partial",
                                reason="result.denied.third_party", basis="涉及个人隐私")
        with django_capture_on_commit_callbacks(execute=True):
            tasks.submit_redaction(f, actor=officer, marks=marks)
    # a file still waiting for its redaction is never attached
    actions.release_add(cases[2], actor=officer, name="未遮盖名单.pdf", data=pdf, disposition="partial",
                        reason="result.denied.third_party", basis="涉及个人隐私")
    same_info_group_convert(cases[0], actor=officer)
    draft = ContentPage.objects.get().get_latest_revision_as_object()
    assert [a.display_title for a in draft.attachments.all()] == ["发放汇总表"]
    document = draft.attachments.first().document
    text = pdf_text(document.file.read())
    assert KEPT in text and THIRD_PARTY not in text and ID_NUMBER not in text
    assert document.collection.name == "未公开附件"  # public only with the page


def test_dismissal_needs_a_reason_and_is_audited(agency, officer, xxgk, fixed_today):
    cases = three_asking_for_the_same(agency, officer)
    with pytest.raises(DomainError, match="理由"):
        actions.same_info_group_dismiss(cases[1], actor=officer, reason=" ")
    row = actions.same_info_group_dismiss(cases[1], actor=officer, reason="涉及第三方商业秘密")
    assert row.status == "dismissed" and row.reason == "涉及第三方商业秘密"
    assert AuditEvent.objects.filter(action="applications.same_info_dismiss").count() == 1
    with pytest.raises(DomainError, match="不转为主动公开"):
        same_info_group_convert(cases[0], actor=officer)
    assert selectors.same_info_groups(agency=agency)[0].decision == row


def test_only_handlers_of_the_agency_may_decide(agency, officer, xxgk, staff_factory, stranger, fixed_today):
    cases = three_asking_for_the_same(agency, officer)
    editor = staff_factory(agency, Role.EDITOR, "editor1")
    for who in (editor, stranger):
        with pytest.raises(DomainError, match="只有本机关"):
            same_info_group_convert(cases[0], actor=who)
    assert not SameInfoGroup.objects.exists()


# ---------------------------------------------------------------------------------------------------------
# already published: intake suggestions and the reply


@pytest.fixture
def public_agency(agency):
    from tests.factories import make_agency

    agency.supervisor = make_agency("测试市政府办公室")
    agency.save()
    return agency


@pytest.fixture
def published(column, public_agency):
    from datetime import datetime

    from django.utils import timezone

    page = make_policy(column, title="2025年度退役军人优抚资金发放汇总表", body="<p>全市优抚资金发放情况汇总。</p>",
                       publish=True)
    type(page).objects.filter(pk=page.pk).update(first_published_at=timezone.make_aware(datetime(2026, 1, 5, 9)))
    page.refresh_from_db()
    return page


def test_intake_json_lists_live_pages_of_the_chosen_agency_only(client, column, public_agency, published, other_agency,
                                                                settings):
    from gongkai.portal.setup import ensure_agency_portal
    from gongkai.portal.models.pages import ColumnPage

    draft = make_policy(column, title="2025年度退役军人优抚资金发放明细（草稿）", body="<p>优抚资金发放明细</p>")
    other_agency.supervisor = public_agency.supervisor
    other_agency.save()
    other_home = ensure_agency_portal(other_agency, hostname="other.testserver")
    other_column = ColumnPage(title="政策", slug="zc", kind="policy")
    other_home.add_child(instance=other_column)
    other_column.save_revision().publish()
    foreign = make_policy(other_column, title="2025年度退役军人优抚资金发放汇总表", body="<p>另一机关</p>", publish=True)
    url = reverse("applications_public:published")
    q = "我想申请公开2025年退役军人优抚资金发放的汇总表"
    data = client.get(url, {"agency": public_agency.pk, "q": q}).json()
    assert [i["title"] for i in data["items"]] == [published.title]
    assert data["items"][0]["url"].startswith("http://testserver/") and data["items"][0]["date"]
    assert draft.title not in json.dumps(data, ensure_ascii=False) and foreign.pk != published.pk
    theirs = client.get(url, {"agency": other_agency.pk, "q": q}).json()["items"]
    assert [i["url"] for i in theirs] == [foreign.get_full_url()]
    assert client.get(url, {"agency": public_agency.pk, "q": "本局部门预算"}).json()["items"] == []
    assert client.get(url, {"agency": "abc", "q": q}).status_code == 404
    published.unpublish()
    assert client.get(url, {"agency": public_agency.pk, "q": q}).json()["items"] == []


def test_intake_json_is_rate_limited(client, column, public_agency, published, settings, monkeypatch):
    from types import SimpleNamespace

    from gongkai.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))  # one window throughout
    settings.APPLY_PUBLISHED_RATE_LIMIT = 3
    url = reverse("applications_public:published")

    def ask(address="198.51.100.7"):
        return client.get(url, {"agency": public_agency.pk, "q": "优抚资金发放汇总表"}, REMOTE_ADDR=address)

    assert [ask().status_code for _ in range(5)] == [200, 200, 200, 429, 429]
    assert "仍可以直接提交" in ask().json()["error"]
    assert ask("198.51.100.8").status_code == 200


def test_without_javascript_the_lookup_button_shows_matches_and_keeps_what_was_typed(client, column, public_agency,
                                                                                   published):
    data = {"agency": str(public_agency.pk), "name": "刘洋", "subject": "优抚资金发放汇总表",
            "description": "请公开2025年退役军人优抚资金发放汇总表", "lookup": "1"}
    html = client.post(reverse("applications_public:apply"), data).content.decode()
    assert "这些信息已经公开" in html and published.title in html and published.get_full_url() in html
    assert 'value="刘洋"' in html and "请公开2025年退役军人优抚资金发放汇总表</textarea>" in html
    assert "请填写" not in html and not Application.objects.exists()
    html = client.get(reverse("applications_public:apply")).content.decode()
    assert "applications/published.js" in html and 'id="published-matches"' in html


def test_reply_already_published_carries_title_and_full_url_in_the_letter(client, column, public_agency, published,
                                                                         staff_factory, fixed_today):
    from gongkai.applications import letters

    officer = staff_factory(public_agency, Role.APPLICATION_OFFICER, "officer3")
    app = register(public_agency, officer, description="请公开2025年度退役军人优抚资金发放汇总表")
    client.force_login(officer)
    decide = reverse("applications_admin:action", args=[app.pk, "decide"])
    html = client.get(decide, {"pq": "优抚资金"}).content.decode()
    assert published.title in html and f'value="{published.pk}"' in html and "第三十六条第（一）项" in html
    response = client.post(decide, {"on": "2026-03-02", "outcome": "result.denied.state_secret", "basis": "x",
                                    "published_page": published.pk, "pq": "优抚资金", **_no_parts()})
    assert "只有“予以公开”" in response.content.decode()
    response = client.post(decide, {"on": "2026-03-02", "outcome": "result.granted", "basis": "依第三十六条第（一）项告知。",
                                    "published_page": published.pk, "pq": "优抚资金", **_no_parts()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.outcome == "result.granted"
    stored = app.events.get(kind="decided").data["published"]
    assert stored["page_id"] == published.pk and stored["url"] == published.get_full_url()
    letter = letters.build_letter(app, "reply.result.granted")
    text = "\n".join(letter.paragraphs)
    assert f"《{published.title}》" in text and published.get_full_url() in text and "已于2026年1月5日" in text
    assert AuditEvent.objects.get(action="applications.decide").new["published"]["title"] == published.title
    import io
    import os
    from pathlib import Path

    import pdfplumber

    pdf = letters.to_pdf(letter)
    shots = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots")) / "applications"
    shots.mkdir(parents=True, exist_ok=True)
    (shots / "reply-already-published.pdf").write_bytes(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        printed = "".join((p.extract_text() or "") for p in document.pages).replace("\n", "")
    assert published.get_full_url() in printed and published.title in printed


def test_reply_refuses_a_draft_or_another_agency_s_page(column, public_agency, staff_factory, fixed_today):
    officer = staff_factory(public_agency, Role.APPLICATION_OFFICER, "officer4")
    draft = make_policy(column, title="草稿页面")
    app = register(public_agency, officer)
    with pytest.raises(DomainError, match="不是本机关网站上已发布的页面"):
        actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.granted", basis="x",
                                   published_page=draft.pk)
    later = make_policy(column, title="答复之后才发布的页面", publish=True)  # published today (real time), after 2 March
    with pytest.raises(DomainError, match="晚于答复日期"):
        actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.granted", basis="x",
                                   published_page=later.pk)
    assert Application.objects.get(pk=app.pk).status == "processing"


def _no_parts():
    return {"parts-TOTAL_FORMS": "0", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0",
            "parts-MAX_NUM_FORMS": "20"}
