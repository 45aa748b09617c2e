"""Art. 39: an application that is really a petition or complaint goes on as a message.

The step lives with the messages (interaction): its own staff page, offered on the
application's case page through the `applications_case_actions` hook.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.interaction.models import Message
from tests.applications.helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(agency, staff_factory):
    return staff_factory(agency, Role.APPLICATION_OFFICER, "officer1")


def _decide(client, app, outcome):
    return client.post(reverse("applications_admin:action", args=[app.pk, "decide"]), {
        "on": "2026-03-02", "outcome": outcome, "basis": "《条例》第三十九条第一款",
        "parts-TOTAL_FORMS": "0", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0", "parts-MAX_NUM_FORMS": "20",
    })


def test_petition_application_becomes_a_message_once(client, agency, officer, fixed_today):
    app = register(agency, officer, received=date(2026, 3, 2), description="投诉某单位拖欠我的安置补助，请查处。")
    client.force_login(officer)
    url = reverse("interaction_admin:from_application", args=[app.pk])
    case_url = reverse("applications_admin:case", args=[app.pk])
    assert client.get(url).status_code == 302, "not offered before the （五）1 decision"
    assert url not in client.get(case_url).content.decode()
    assert _decide(client, app, "result.not_processed.petition").status_code == 302
    case = client.get(case_url).content.decode()
    assert "转为留言办理" in case and url in case, "the case page offers the step (hook from interaction)"
    form = client.get(url).content.decode()
    assert "第三十九条" in form  # the legal reason is pre-filled
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "请写明理由" in refused.content.decode()
    assert not Message.objects.exists()
    done = client.post(url, {"reason": "实为投诉，依《条例》第三十九条第一款转留言办理。"})
    assert done.status_code == 302
    message = Message.objects.get()
    assert message.source_application == app and message.agency == agency
    assert message.content == app.description and message.writer_name == app.applicant.name
    app.refresh_from_db()
    assert app.outcome == "result.not_processed.petition", "the report still counts it under （五）1"
    events = AuditEvent.objects.filter(action="interaction.message_from_application")
    assert events.count() == 1 and events.get().actor == officer
    assert client.get(url).status_code == 302, "no second conversion offered"
    assert url not in client.get(case_url).content.decode()


def test_other_outcomes_cannot_be_converted(agency, officer, fixed_today):
    from gongkai.applications import actions as app_actions
    from gongkai.interaction import actions

    app = register(agency, officer, received=date(2026, 3, 2))
    app_actions.application_decide(app, actor=officer, on=date(2026, 3, 2), outcome="result.granted",
                                   basis="第二十七条")
    with pytest.raises(DomainError, match="信访举报投诉类"):
        actions.message_create_from_application(app, actor=officer, reason="x")
    assert not Message.objects.exists()


def test_another_agencys_application_is_not_found(client, agency, other_agency, officer, staff_factory,
                                                  fixed_today):
    from gongkai.applications import actions as app_actions

    app = register(agency, officer, received=date(2026, 3, 2))
    app_actions.application_decide(app, actor=officer, on=date(2026, 3, 2), basis="第三十九条",
                                   outcome="result.not_processed.petition")
    client.force_login(staff_factory(other_agency, Role.APPLICATION_OFFICER, "outsider"))
    url = reverse("interaction_admin:from_application", args=[app.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "第三十九条"}).status_code == 404
    assert not Message.objects.exists()
