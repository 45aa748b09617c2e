"""The daily reminder from 1 January until the report is published."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.annualreport.models import ReminderSent

from .helpers import signed_report

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("annual_report_remind", *args, stdout=out)
    return out.getvalue()


def test_daily_reminders_until_published(agency, officer, head, other_agency, mailoutbox, fixed_today,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--date", "2026-01-02")
    assert f"已提醒 {agency.name}（1 人）：2025年度报告尚未公开，公开期限 2026-01-31" in out
    assert "共发送 1 封提醒" in out  # the other agency has no office head with an e-mail
    assert mailoutbox[0].to == ["head1@example.invalid"] and "尚未建立" in mailoutbox[0].body
    assert "共发送 0 封" in run("--date", "2026-01-02")  # once a day
    with django_capture_on_commit_callbacks(execute=True):
        run("--date", "2026-02-03")
    assert "已超过公开期限（2026年01月31日）3 天" in mailoutbox[1].body
    fixed_today(date(2026, 2, 4))
    signed_report(agency, officer, head, publish=True)
    assert "共发送 0 封" in run("--date", "2026-02-05")
    assert ReminderSent.objects.count() == 2 and len(mailoutbox) == 2


def test_bad_arguments_are_explained():
    with pytest.raises(CommandError, match="日期“2026-13-01”无效"):
        run("--date", "2026-13-01")
    with pytest.raises(CommandError, match="找不到机关“无此局”"):
        run("--agency", "无此局")


def test_deadlines_of_article_49(agency, settings):
    from gongkai.annualreport.selectors import deadline
    from tests.factories import make_agency

    government = make_agency("测试县人民政府", kind="government")
    assert deadline(agency, 2025) == date(2026, 1, 31)      # departments: 31 January
    assert deadline(government, 2025) == date(2026, 3, 31)  # the government's own report: 31 March
    settings.GONGKAI_ANNUAL_REPORT_DEADLINES = {"department": (1, 28)}  # a stricter local rule
    assert deadline(agency, 2025) == date(2026, 1, 28)
