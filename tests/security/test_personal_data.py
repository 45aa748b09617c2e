"""Personal data (PIPL): encrypted at rest, found by keyed hash, masked, full views audited;
public forms never change a stored person nor reveal whether one is known."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.checks import Error
from django.db import connection
from django.urls import reverse

from gongkai.agencies.roles import Role
from gongkai.applications import actions, selectors
from gongkai.applications.models import Applicant, Application
from gongkai.audit.models import AuditEvent
from gongkai.core import crypto
from gongkai.core.domain import DomainError
from gongkai.core.fields import phone_hash
from gongkai.interaction.models import Message
from tests.applications.helpers import person, register
from tests.applications.test_public import solve
from tests.factories import make_agency, make_user
from tests.interaction.conftest import make_message
from tests.interaction.test_public import form_data as message_form

pytestmark = pytest.mark.django_db

VICTIM = {"kind": "natural_person", "name": "王秀英", "id_type": "resident_id", "id_number": "410302199001011235",
          "phone": "13612345678", "email": "wxy@example.invalid", "address": "洛阳市西工区唐宫中路18号3栋201室"}


@pytest.fixture(autouse=True)
def _clear_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_agency(agency):
    agency.supervisor = make_agency("测试市政府办公室")
    agency.save()
    return agency


def raw_row(table: str, columns: tuple[str, ...], pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])
        return dict(zip(columns, cursor.fetchone()))


def apply_online(client, agency, applicant: dict, description: str = "请公开2026年优抚对象抚恤补助标准调整文件"):
    url = reverse("applications_public:apply")
    page = client.get(url).content.decode()
    data = {"agency": str(agency.pk), **applicant, "subject": "优抚政策", "description": description,
            "form_wanted": "electronic", "delivery_wanted": "email", "consent": "on", **solve(page)}
    return client.post(url, data)


def status_lookup(client, query_code: str, last4: str) -> str:
    url = reverse("applications_public:status")
    page = client.get(url).content.decode()
    return client.post(url, {"query_code": query_code, "phone_last4": last4, **solve(page)}).content.decode()


# ---------------------------------------------------------------------------------------
# at rest


def test_raw_columns_hold_no_clear_id_number_phone_email_or_address(agency):
    app = register(agency, None, applicant=dict(VICTIM))
    row = raw_row("applications_applicant", ("id_number", "phone", "email", "address", "identity_hash", "phone_hash"),
                  app.applicant_id)
    for column, clear in (("id_number", VICTIM["id_number"]), ("phone", VICTIM["phone"]), ("email", VICTIM["email"]),
                          ("address", VICTIM["address"])):
        assert row[column].startswith(crypto.PREFIX) and clear not in row[column], column
    assert VICTIM["id_number"] not in row["identity_hash"] and VICTIM["phone"] not in row["phone_hash"]
    # Two rows with the same value differ on disk (fresh nonce) but share the keyed hash.
    twin = register(agency, None, applicant=dict(VICTIM), description="另一件申请")
    twin_row = raw_row("applications_applicant", ("id_number", "identity_hash"), twin.applicant_id)
    assert twin_row["id_number"] != row["id_number"] and twin_row["identity_hash"] == row["identity_hash"]
    # Python sees clear text.
    assert Applicant.objects.get(pk=app.applicant_id).id_number == VICTIM["id_number"]

    message = make_message(agency, writer_phone="13912345678", writer_email="writer@example.invalid")
    mrow = raw_row("interaction_message", ("writer_phone", "writer_email"), message.pk)
    assert "13912345678" not in mrow["writer_phone"] and "writer@example.invalid" not in mrow["writer_email"]
    assert Message.objects.get(pk=message.pk).writer_phone == "13912345678"


def test_lookups_by_keyed_hash(agency):
    app = register(agency, None, applicant=dict(VICTIM))
    other = register(agency, None, applicant=person(), description="另一申请人的申请")
    ids = {agency.pk}
    assert list(selectors.case_list(agency_ids=ids, q=VICTIM["id_number"])) == [app]
    assert list(selectors.case_list(agency_ids=ids, q="136 1234 5678")) == [app]
    assert list(selectors.case_list(agency_ids=ids, q=person()["id_number"].lower())) == [other]
    assert list(selectors.case_list(agency_ids=ids, q="13700000000")) == []
    message = make_message(agency, writer_phone="13912345678")
    assert list(Message.objects.filter(writer_phone_hash=phone_hash("139-1234-5678"))) == [message]
    from gongkai.interaction.selectors import message_list

    assert list(message_list(agency_ids=ids, q="139 1234 5678")) == [message]
    assert list(message_list(agency_ids=ids, q="13900000000")) == []
    with pytest.raises(Exception, match="只能按是否为空查询"):
        list(Applicant.objects.filter(phone=VICTIM["phone"]))


def test_wrong_or_missing_key_is_a_clear_chinese_error(agency, settings):
    app = register(agency, None, applicant=dict(VICTIM))
    from gongkai.core.crypto import FieldDecryptError

    settings.GONGKAI_FIELD_KEY = crypto.generate_key()
    with pytest.raises(FieldDecryptError, match="GONGKAI_FIELD_KEY 与加密时使用的密钥不一致"):
        Applicant.objects.get(pk=app.applicant_id)
    from django.core.checks import run_checks

    settings.GONGKAI_FIELD_KEY = ""
    problems = [e for e in run_checks() if e.id == "gongkai.E010"]
    assert len(problems) == 1 and isinstance(problems[0], Error) and "未配置个人信息加密密钥" in problems[0].msg
    settings.GONGKAI_FIELD_KEY = "not-base64-!!"
    assert "Base64" in [e for e in run_checks() if e.id == "gongkai.E010"][0].msg
    settings.GONGKAI_FIELD_KEY = crypto.generate_key()
    assert not [e for e in run_checks() if e.id == "gongkai.E010"]


# ---------------------------------------------------------------------------------------
# public forms


def test_public_form_cannot_overwrite_a_stored_applicant(client, public_agency):
    victim_app = register(public_agency, None, applicant=dict(VICTIM))
    before = raw_row("applications_applicant", ("name", "id_number", "phone", "email", "address"),
                     victim_app.applicant_id)
    attacker = {**VICTIM, "phone": "13900009999", "email": "evil@example.invalid", "address": "别处"}
    assert apply_online(client, public_agency, attacker).status_code == 302
    # The victim's stored record is byte for byte what it was.
    assert raw_row("applications_applicant", ("name", "id_number", "phone", "email", "address"),
                   victim_app.applicant_id) == before
    victim = Applicant.objects.get(pk=victim_app.applicant_id)
    assert (victim.phone, victim.email, victim.address) == (VICTIM["phone"], VICTIM["email"], VICTIM["address"])
    # The victim's lookup still works; the attacker's phone does not open the victim's case.
    assert "办理中" in status_lookup(client, victim_app.query_code, "5678")
    refused = status_lookup(client, victim_app.query_code, "9999")
    assert "没有找到" in refused and "办理中" not in refused
    # The attacker's own application has its own applicant row, and staff are warned only if names differ.
    attack_app = Application.objects.exclude(pk=victim_app.pk).get()
    assert attack_app.applicant_id != victim_app.applicant_id and attack_app.applicant.phone == "13900009999"
    assert "办理中" in status_lookup(client, attack_app.query_code, "9999")


def test_public_form_is_no_oracle_for_known_id_numbers(client, public_agency):
    register(public_agency, None, applicant=dict(VICTIM))
    known = apply_online(client, public_agency, {**VICTIM, "name": "冒名者", "phone": "13900001111"})
    unknown = apply_online(client, public_agency, {**VICTIM, "name": "冒名者", "id_number": "11010519491231002X",
                                                    "phone": "13900002222"}, description="另一件：请公开优待证办理指南")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("applications_public:receipt")
    assert Application.objects.count() == 3
    # Only staff learn that the document number was given with another name before.
    flagged = Application.objects.get(applicant__phone_hash=phone_hash("13900001111"))
    assert "王秀英" in flagged.events.get(kind="note").note
    assert not Application.objects.get(applicant__phone_hash=phone_hash("13900002222")).events.filter(
        kind="note").exists()


def test_message_form_never_changes_a_stored_message(client, agency):
    stored = make_message(agency, writer_phone="13912345678", writer_email="first@example.invalid")
    before = raw_row("interaction_message", ("writer_name", "writer_phone", "writer_email", "content"), stored.pk)
    data = message_form(client, agency, title="同一人的另一个问题", content=stored.content,
                        writer_name=stored.writer_name, writer_phone="13700001111",
                        writer_email="other@example.invalid")
    response = client.post("/hudong/xie/", data)
    body = response.content.decode()
    # A stranger repeating someone's text learns neither the date nor anything of the writer.
    assert f"{stored.received_on:%Y年%-m月%-d日}" not in body and "13912345678" not in body
    assert raw_row("interaction_message", ("writer_name", "writer_phone", "writer_email", "content"),
                   stored.pk) == before


# ---------------------------------------------------------------------------------------
# staff pages: masked by default, full view audited, supervising office masked only


def test_case_page_masks_and_audits_each_full_view(client, agency, staff_factory):
    app = register(agency, None, applicant=dict(VICTIM))
    officer = staff_factory(agency, Role.APPLICATION_OFFICER, "pii_officer")
    client.force_login(officer)
    url = reverse("applications_admin:case", args=[app.pk])
    page = client.get(url).content.decode()
    assert VICTIM["id_number"] not in page and VICTIM["phone"] not in page and "唐宫中路18号" not in page
    assert "4103**********1235" in page and "136****5678" in page and 'name="reveal"' in page
    assert not AuditEvent.objects.filter(action="applications.applicant_reveal").exists()
    full = client.post(url, {"reveal": "1"})
    body = full.content.decode()
    assert full.status_code == 200 and "no-store" in full["Cache-Control"]
    assert VICTIM["id_number"] in body and VICTIM["phone"] in body and VICTIM["address"] in body
    event = AuditEvent.objects.get(action="applications.applicant_reveal")
    assert (event.actor_id, event.agency_id, event.subject_id) == (officer.pk, agency.pk, str(app.pk))
    assert VICTIM["id_number"] not in str(event.new) and VICTIM["phone"] not in str(event.new)
    client.post(url, {"reveal": "1"})
    assert AuditEvent.objects.filter(action="applications.applicant_reveal").count() == 2
    # The applicant snippet shows masked values too.
    inspect = client.get(f"/admin/snippets/applications/applicant/inspect/{app.applicant_id}/").content.decode()
    assert VICTIM["id_number"] not in inspect and "4103**********1235" in inspect


def test_supervising_office_sees_masked_values_only(client, agency, staff_factory, monkeypatch):
    app = register(agency, None, applicant=dict(VICTIM))
    office = make_agency("测试市政府办公室（督查）")
    agency.supervisor = office
    agency.save()
    inspector = staff_factory(office, Role.SUPERVISOR, "pii_inspector")
    monkeypatch.setattr("gongkai.accounts.middleware.two_factor_required", lambda user: False)
    client.force_login(inspector)
    url = reverse("applications_admin:case", args=[app.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert VICTIM["id_number"] not in body and VICTIM["phone"] not in body and "4103**********1235" in body
    assert 'name="reveal"' not in body
    refused = client.post(url, {"reveal": "1"})
    assert refused.status_code in (302, 403) and VICTIM["id_number"] not in refused.content.decode()
    assert not AuditEvent.objects.filter(action="applications.applicant_reveal").exists()
    with pytest.raises(DomainError):
        actions.application_reveal_applicant(app, actor=inspector)

    message = make_message(agency, writer_phone="13912345678", writer_email="writer@example.invalid")
    case = reverse("interaction_admin:case", args=[message.pk])
    body = client.get(case).content.decode()
    assert "13912345678" not in body and "writer@example.invalid" not in body
    refused = client.post(case, {"action": "reveal"})
    assert refused.status_code in (302, 403) and "13912345678" not in refused.content.decode()
    assert not AuditEvent.objects.filter(action="interaction.writer_reveal").exists()


def test_message_handler_sees_masked_contacts_and_full_view_is_audited(client, agency):
    handler = make_user("pii_handler", agency=agency, role=Role.MESSAGE_HANDLER)
    message = make_message(agency, writer_phone="13912345678", writer_email="writer@example.invalid")
    client.force_login(handler)
    case = reverse("interaction_admin:case", args=[message.pk])
    body = client.get(case).content.decode()
    assert "13912345678" not in body and "139****5678" in body and "w***@example.invalid" in body
    full = client.post(case, {"action": "reveal"})
    assert full.status_code == 200 and "no-store" in full["Cache-Control"]
    assert "13912345678" in full.content.decode() and "writer@example.invalid" in full.content.decode()
    event = AuditEvent.objects.get(action="interaction.writer_reveal")
    assert (event.actor_id, event.subject_id) == (handler.pk, str(message.pk)) and "13912345678" not in str(event.new)
