"""Statistics match the records: recomputed here by brute force from the stored facts."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from gongkai.calendars.services import current_calendar
from gongkai.interaction import actions
from gongkai.interaction.models import Category, Channel, Message
from gongkai.interaction.stats import interaction_summary, message_statistics

from .conftest import make_message

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 26)


def nth_working_day_after(d: date, n: int) -> date:
    cal = current_calendar()
    while n:
        d += timedelta(days=1)
        n -= cal.is_working_day(d)
    return d


def working_days_between(a: date, b: date) -> int:
    cal = current_calendar()
    return sum(cal.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def test_statistics_match_the_records(agency, handler, head, department):
    rng = random.Random(2025)
    expected = {"received": 0, "replied": 0, "on_time": 0, "late": 0, "open": 0, "open_overdue": 0, "invalid": 0,
                "days": 0}
    by_channel = {c: 0 for c in Channel.values}
    outside = make_message(agency, received_on=date(2024, 12, 31))  # before the period: not counted
    for i in range(40):
        received = date(2025, 1, 1) + timedelta(days=rng.randint(0, 330))
        category = rng.choice(Category.values)
        channel = rng.choice(Channel.values)
        m = make_message(agency, category=category, channel=channel, received_on=received,
                         ticket_number=f"T{i}" if channel in ("police_110", "hotline_12345") else "",
                         content=f"第{i}件留言的内容，请尽快办理。")
        limit = {"consult": 5}.get(category, 15)
        fate = rng.choice(["on_time", "late", "open", "invalid"])
        if fate == "invalid":
            actions.message_mark_invalid(m, actor=handler, reason="重复留言")
            expected["invalid"] += 1
            continue
        expected["received"] += 1
        by_channel[channel] += 1
        if fate == "open":
            expected["open"] += 1
            expected["open_overdue"] += nth_working_day_after(received, limit) < AS_OF
            continue
        actions.message_triage(m, actor=handler, category=category, department=department)
        reply = actions.reply_submit(actions.reply_draft(m, actor=handler, text="答复"), actor=handler)
        offset = rng.randint(1, limit) if fate == "on_time" else limit + rng.randint(1, 10)
        replied = nth_working_day_after(received, offset)
        actions.reply_approve(reply, actor=head, on=replied)
        expected["replied"] += 1
        expected[fate] += 1
        expected["days"] += working_days_between(received, replied)

    stats = message_statistics(agency, date(2025, 1, 1), date(2025, 12, 31), on=AS_OF)
    t = stats.total
    assert (t.received, t.replied, t.on_time, t.late, t.open, t.open_overdue, t.invalid) == (
        expected["received"], expected["replied"], expected["on_time"], expected["late"], expected["open"],
        expected["open_overdue"], expected["invalid"])
    assert t.average_working_days == round(expected["days"] / expected["replied"], 1)
    assert {k: b.received for k, b in stats.by_channel.items()} == by_channel
    assert sum(b.received for b in stats.by_category.values()) == t.received
    assert sum(stats.matrix.values()) == t.received
    assert Message.objects.filter(pk=outside.pk).exists()


def test_summary_sentence_for_the_annual_report(agency):
    for i in range(82):
        make_message(agency, channel="police_110", ticket_number=f"LY110-{i}", received_on=date(2025, 3, 1),
                     category="complaint")
    for i in range(271):
        make_message(agency, received_on=date(2025, 6, 1) + timedelta(days=i % 150))
    make_message(agency, received_on=date(2026, 1, 1))  # next year: not counted
    summary = interaction_summary(agency, date(2025, 1, 1), date(2025, 12, 31), on=AS_OF)
    assert summary["sentence"] == "110联动受理单82件，百姓呼声271件"
    assert summary["police_110"] == 82 and summary["citizen_messages"] == 271 and summary["received"] == 353
    assert summary["by_channel"]["police_110"]["received"] == 82
    assert summary["by_category"]["complaint"]["received"] == 82
    assert summary["replied"] == 0 and summary["average_working_days"] is None
    make_message(agency, channel="hotline_12345", ticket_number="H1", received_on=date(2025, 5, 5))
    assert interaction_summary(agency, date(2025, 1, 1), date(2025, 12, 31))["sentence"] == (
        "110联动受理单82件，百姓呼声271件，12345热线工单1件")


def test_stats_page_shows_table_chart_and_refuses_bad_periods(client, agency, handler):
    make_message(agency, received_on=date(2026, 2, 3))
    client.force_login(handler)
    page = client.get("/admin/interaction/stats/", {"agency": agency.pk, "start": "2026-01-01", "end": "2026-11-26"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "百姓呼声1件" in html and "<svg" in html and 'role="img"' in html and "<script" not in html.split("stats-table")[1]
    bad = client.get("/admin/interaction/stats/", {"agency": agency.pk, "start": "2026-12-01", "end": "2026-01-01"})
    assert bad.status_code == 400 and "截止日期不能早于起始日期" in bad.content.decode()
    assert 'value="2026-12-01"' in bad.content.decode()
    garbage = client.get("/admin/interaction/stats/", {"agency": agency.pk, "start": "明天", "end": "2026-01-01"})
    assert garbage.status_code == 400 and "起始日期格式应为 YYYY-MM-DD" in garbage.content.decode()
