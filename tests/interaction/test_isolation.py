"""Staff of one agency can neither see nor change another agency's interaction records."""

from __future__ import annotations

import pytest

from gongkai.agencies.roles import Role
from gongkai.interaction import actions
from gongkai.interaction.models import Department, ImportBatch, Message, MessageSettings, Reply, Routing
from tests.helpers.isolation import assert_agency_isolation

from .conftest import make_message

pytestmark = pytest.mark.django_db


def test_message_isolation(client):
    assert_agency_isolation(
        client, model=Message, make=lambda agency: make_message(agency, title=f"留言标题{agency.pk}号"),
        admin_prefix="/admin/interaction/messages/", role=Role.MESSAGE_HANDLER, label=lambda m: m.title,
        post_data={"action": "invalid", "reason": "越权测试"},
    )


def test_department_isolation(client):
    assert_agency_isolation(
        client, model=Department, make=lambda agency: Department.objects.create(agency=agency, name=f"部门{agency.pk}号"),
        admin_prefix="/admin/snippets/interaction/department/", role=Role.MESSAGE_HANDLER, label=lambda d: d.name,
        post_data={"name": "改名", "is_active": "on"},
    )


def test_settings_isolation(client):
    assert_agency_isolation(
        client, model=MessageSettings,
        make=lambda agency: actions.message_settings_update(agency, actor=None, consult_days=4),
        admin_prefix="/admin/snippets/interaction/messagesettings/", role=Role.OFFICE_HEAD,
        label=lambda s: s.agency.name, post_data={"consult_days": "9"},
    )


def _routing(agency):
    a = Department.objects.create(agency=agency, name="甲科")
    b = Department.objects.create(agency=agency, name="乙科")
    m = make_message(agency)
    actions.message_triage(m, actor=None, category="consult", department=a)
    return actions.message_route(m, actor=None, department=b, note="转办")


def _reply(agency):
    m = make_message(agency)
    actions.message_triage(m, actor=None, category="consult",
                           department=Department.objects.create(agency=agency, name="甲科"))
    return actions.reply_draft(m, actor=None, text="答复")


def test_routing_reply_and_batch_querysets_are_isolated(client):
    assert_agency_isolation(client, model=Routing, make=_routing, role=Role.MESSAGE_HANDLER)


def test_reply_isolation(client):
    assert_agency_isolation(client, model=Reply, make=_reply, role=Role.MESSAGE_HANDLER)


def test_import_batch_isolation(client):
    assert_agency_isolation(
        client, model=ImportBatch, role=Role.MESSAGE_HANDLER,
        make=lambda agency: ImportBatch.objects.create(agency=agency, filename="a.csv", sha256="0" * 64, row_count=0),
    )
