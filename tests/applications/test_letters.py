"""Letters: every kind renders with its article, templates are editable and checked, edits are audited."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications import actions, letters, printing
from gongkai.applications.actions import letter_template_update
from gongkai.law.replies import DECISION_REPLY_TYPES, REPLY_TYPES
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError

from tests.helpers.documents import assert_office_fonts

from .helpers import register

pytestmark = pytest.mark.django_db

# The letters' Word styles and the East Asian font each names (GB/T 9704 as on office PCs).
OFFICE_STYLES = {"Normal": "仿宋_GB2312", "Title": "宋体", letters.REDHEAD_STYLE: "宋体", letters.BASIS_STYLE: "仿宋_GB2312"}


@pytest.mark.parametrize("outcome", DECISION_REPLY_TYPES)
def test_reply_letter_for_every_reply_type(agency, officer, fixed_today, outcome):
    app = register(agency, officer)
    parts = None
    if outcome == "result.partial":
        parts = [{"description": "表一", "disclosed": True},
                 {"description": "表二", "disclosed": False, "reason": "result.denied.third_party", "basis": "个人隐私"}]
    if outcome == "result.unable.unclear_after_correction":
        actions.application_request_correction(app, actor=officer, on=date(2026, 3, 2), items=["写明文号"],
                                               period_end=date(2026, 3, 9))
        actions.application_record_correction(app, actor=officer, on=date(2026, 3, 2))
    app = actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome=outcome,
                               basis=REPLY_TYPES[outcome].basis, parts=parts)
    keys = [k for k, _label, _ref in letters.available_letters(app)]
    assert f"reply.{outcome}" in keys
    letter = printing.letter_for(app, f"reply.{outcome}", actor=officer, issue=True)
    assert letter.title == REPLY_TYPES[outcome].letter_title and letter.agency_name == agency.name
    assert letter.doc_number.endswith("〔2026〕1号") and "依申答" in letter.doc_number
    assert "《中华人民共和国政府信息公开条例》" in letter.article or "办法" in letter.article
    text = "\n".join(letter.paragraphs)
    assert REPLY_TYPES[outcome].basis in text and "2026年3月2日" in text
    if outcome == "result.partial":
        assert "2. 表二：不予公开。个人隐私" in text
    assert_office_fonts(letters.to_docx(letter), OFFICE_STYLES, bold={"Title", letters.REDHEAD_STYLE})


def test_process_letters_and_pdf(agency, officer, head, fixed_today):
    app = register(agency, officer)
    actions.application_request_correction(app, actor=officer, on=date(2026, 3, 2),
                                           items=["写明文件名称", "提供身份证明"], period_end=date(2026, 3, 16))
    actions.application_record_correction(app, actor=officer, on=date(2026, 3, 2))
    c = actions.application_consult(app, actor=officer, on=date(2026, 3, 2), party_kind="co_maker",
                                    party_name="洛阳市人社局", matter="联合方案")
    actions.application_extend(app, actor=head, on=date(2026, 3, 2), reason="需要调档")
    correction = letters.build_letter(app, "correction")
    assert "1. 写明文件名称\n2. 提供身份证明" in "\n".join(correction.paragraphs)
    assert "2026年3月16日" in "\n".join(correction.paragraphs) and "第三十条" in correction.article
    consult = letters.build_letter(app, "consult_co_maker", ref=str(c.pk))
    assert consult.recipient == "洛阳市人社局" and "第三十四条" in consult.article
    ext = letters.build_letter(app, "extension")
    assert "需要调档" in ext.paragraphs[0] and "20个工作日" in ext.paragraphs[0]
    pdf = letters.to_pdf(ext)
    assert pdf[:4] == b"%PDF"
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[0].extract_text()
    assert agency.name in text and "延期答复告知书" in text


def test_template_edit_is_checked_and_audited(agency, officer, fixed_today):
    template = letters.template_for("receipt")
    with pytest.raises(DomainError, match="申请人姓名"):
        letter_template_update(template, actor=officer, title="回执", body="{申请人姓名}您好", article="x")
    with pytest.raises(DomainError, match="花括号"):
        letter_template_update(template, actor=officer, title="回执", body="{申请人您好", article="x")
    letter_template_update(template, actor=officer, title="登记回执", body="{申请人}：已收到，期限 {答复期限}。",
                           article="《条例》第三十一条")
    event = AuditEvent.objects.get(action="applications.template_update")
    assert event.new == {"title": "登记回执", "body": "{申请人}：已收到，期限 {答复期限}。", "article": "《条例》第三十一条"}
    app = register(agency, officer)
    letter = letters.build_letter(app, "receipt")
    assert letter.paragraphs == ["张三：已收到，期限 2026年3月30日。"]


def test_administrator_edits_a_template_in_the_admin_and_bad_placeholders_are_refused(client, staff_factory, agency,
                                                                                      monkeypatch):
    from gongkai.agencies.roles import Role

    monkeypatch.setattr("gongkai.accounts.middleware.two_factor_required", lambda user: False)
    admin = staff_factory(agency, Role.SYSADMIN, "sysadmin1")
    template = letters.template_for("extension")
    client.force_login(admin)
    url = f"/admin/snippets/applications/lettertemplate/edit/{template.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": template.title, "body": "{延期原因}", "article": template.article})
    assert bad.status_code == 200 and "无法识别的占位符：{延期原因}" in bad.content.decode()
    template.refresh_from_db()
    assert "{延期理由}" in template.body
    ok = client.post(url, {"title": "延期答复告知书", "body": "因{延期理由}，延至{答复期限}。", "article": template.article})
    assert ok.status_code == 302
    template.refresh_from_db()
    assert template.body == "因{延期理由}，延至{答复期限}。" and template.updated_by == admin
    assert AuditEvent.objects.filter(action="applications.template_update").count() == 1


def test_every_letter_names_the_fonts_of_office_pcs_in_word_and_embeds_its_fonts_in_pdf(agency, officer, head,
                                                                                       fixed_today):
    """GB/T 9704 on a Chinese office PC: 仿宋_GB2312 body, 宋体 title and red head; no Noto in a DOCX.

    One case walks every process letter (receipt, correction, both consultations, extension,
    fee notice) to a decision; each of its letters is written as DOCX and its styles read back
    from the XML (the reply letter of every type: test_reply_letter_for_every_reply_type).
    The PDF embeds every font it uses.
    """
    from tests.helpers.documents import assert_pdf_embeds_its_fonts

    fixed_today(date(2026, 4, 30))
    app = register(agency, officer)
    actions.application_request_correction(app, actor=officer, on=date(2026, 3, 3), items=["写明文件名称"],
                                           period_end=date(2026, 3, 17))
    actions.application_record_correction(app, actor=officer, on=date(2026, 3, 5))
    for kind, name in (("third_party", "洛阳某公司"), ("co_maker", "洛阳市人社局")):
        actions.application_consult(app, actor=officer, on=date(2026, 3, 6), party_kind=kind, party_name=name,
                                    matter="合同")
    actions.application_extend(app, actor=head, on=date(2026, 3, 20), reason="需要调档")
    actions.application_fee_notice(app, actor=officer, on=date(2026, 3, 23), method="by_pages", pages=150)
    actions.application_fee_notice_received(app, actor=officer, on=date(2026, 3, 24))
    actions.application_fee_paid(app, actor=officer, on=date(2026, 3, 25), receipt_no="0001")
    app = actions.application_decide(app, actor=officer, on=date(2026, 4, 10), outcome="result.granted",
                                     basis=REPLY_TYPES["result.granted"].basis)
    made = {key: letters.build_letter(app, key, ref) for key, _label, ref in letters.available_letters(app)}
    assert set(made) == {"receipt", "correction", "consult_third_party", "consult_co_maker", "extension", "fee",
                         "reply.result.granted"}
    for key, letter in made.items():  # the reply letter of every type: test_reply_letter_for_every_reply_type
        assert_office_fonts(letters.to_docx(letter), OFFICE_STYLES, bold={"Title", letters.REDHEAD_STYLE})
    assert_pdf_embeds_its_fonts(letters.to_pdf(made["fee"]))
