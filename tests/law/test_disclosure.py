"""《条例》第二十六条: 主动公开 within 20 working days of forming, with real holiday years."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.calendar import Calendar, default_calendar, provisional_year_data
from gongkai.law.disclosure import ART26, PUBLISH_WITHIN_DAYS, publication_timeliness

D = date.fromisoformat


@pytest.mark.parametrize(("formed", "published", "due", "late_days"), [
    # 2025 Spring Festival: 28 Jan – 4 Feb rest, Sundays 26 Jan and Saturday 8 Feb work.
    # Working days after Mon 20 Jan: 21–24, 26, 27 Jan (6), 5–8 Feb (10), 10–14 (15), 17–21 (20).
    ("2025-01-20", "2025-02-17", "2025-02-21", 0),  # 20 weekdays would end on 17 Feb: on time here
    ("2025-01-20", "2025-02-21", "2025-02-21", 0),  # the 20th working day itself
    ("2025-01-20", "2025-02-22", "2025-02-21", 0),  # a Saturday after it is not a working day
    ("2025-01-20", "2025-02-24", "2025-02-21", 1),
    ("2025-01-20", "2025-02-28", "2025-02-21", 5),
    # 2026 Spring Festival: 15–23 Feb rest, Saturdays 14 and 28 Feb work.
    ("2026-02-02", "2026-03-06", "2026-03-06", 0),
    ("2026-02-02", "2026-03-09", "2026-03-06", 1),
    ("2026-02-09", "2026-03-16", "2026-03-13", 1),
    # 2020: the Spring Festival holiday extended to 2 February (国办发明电〔2020〕1号).
    ("2019-12-27", "2020-02-03", "2020-02-03", 0),
    ("2019-12-27", "2020-02-04", "2020-02-03", 1),
    # Published on the day it was formed.
    ("2025-03-03", "2025-03-03", "2025-03-31", 0),
])
def test_article_26_across_spring_festivals(formed, published, due, late_days):
    t = publication_timeliness(D(formed), D(published), default_calendar())
    assert t.due_on == D(due)
    assert t.late_days == late_days
    assert t.late is (late_days > 0)
    assert not t.provisional


def test_the_explanation_cites_the_article_and_says_how_late():
    late = publication_timeliness(D("2025-01-20"), D("2025-02-24"))
    assert ART26 in late.explanation and f"{PUBLISH_WITHIN_DAYS}个工作日" in late.explanation
    assert "2025年2月21日前公开" in late.explanation and "超期1个工作日" in late.explanation
    on_time = publication_timeliness(D("2025-01-20"), D("2025-02-17"))
    assert "按期公开" in on_time.explanation and "超期" not in on_time.explanation


def test_a_year_without_a_published_holiday_notice_is_provisional():
    calendar = Calendar({2030: provisional_year_data(2030)}, builtin=False)
    t = publication_timeliness(D("2030-03-01"), D("2030-03-05"), calendar)
    assert t.provisional and "尚未公布" in t.explanation
