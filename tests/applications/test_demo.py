"""The demo applications load through the actions, once, with the cases the annual reports need."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications.models import Application, Reconsideration

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_2024_cases_2025_outcomes_carry_over_and_review():
    from gongkai.agencies import demo as agencies_demo
    from gongkai.applications import demo

    context: dict = {}
    agencies_demo.load(context)
    demo.load(context)
    agency = context["agency"]
    count = Application.objects.count()
    assert demo.load(context) == ["依申请公开演示数据已存在，未重复创建。"] and Application.objects.count() == count
    apps = Application.objects.filter(agency=agency)
    in_2024 = apps.filter(received_on__year=2024)  # the demo's published 2024 annual report counts them
    assert in_2024.count() == 4 and all(a.decided_on.year == 2024 and a.delivered_on for a in in_2024)
    assert {a.outcome for a in in_2024} == {"result.granted", "result.unable.not_held"}
    decided_2025 = apps.filter(decided_on__year=2025)
    assert {a.outcome for a in decided_2025} >= {
        "result.granted", "result.partial", "result.unable.not_held", "result.other.no_correction",
        "result.denied.process_info", "result.not_processed.petition", "result.other.other"}
    assert {a.applicant_kind for a in apps.filter(received_on__year=2025)} >= {
        "natural_person", "commercial", "legal_service", "research", "social_welfare"}
    carried = apps.get(received_on__year=2025, decided_on__year=2026)
    assert carried.outcome == "result.granted"
    assert Reconsideration.objects.filter(agency=agency, result="maintained").count() == 1
    assert apps.filter(repeat_of__isnull=False).count() == 1
    assert apps.filter(status__in=["processing", "awaiting_correction", "awaiting_fee"]).count() == 5
    assert Application.objects.filter(agency=context["other"]).count() == 1
    assert all(a.received_on <= date.today() for a in apps)
