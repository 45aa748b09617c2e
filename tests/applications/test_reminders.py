from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.agencies.roles import Role

from .helpers import register

pytestmark = pytest.mark.django_db


def test_reminders_go_to_the_agency_handlers_only(agency, other_agency, staff_factory, fixed_today):
    officer = staff_factory(agency, Role.APPLICATION_OFFICER, "off_a")
    officer.email = "off_a@example.invalid"
    officer.save()
    other = staff_factory(other_agency, Role.APPLICATION_OFFICER, "off_b")
    other.email = "off_b@example.invalid"
    other.save()
    overdue = register(agency, officer, received=date(2026, 1, 5), description="甲文件")
    register(agency, officer, received=date(2026, 3, 2), description="乙文件的通知")  # not due yet
    call_command("send_deadline_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["off_a@example.invalid"]
    assert overdue.number in message.body and "已逾期" in message.body and "乙文件" not in message.body
    assert "13800138000" not in message.body  # no applicant contact data in mail
