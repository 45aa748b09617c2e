"""收到申请之日 by channel (《条例》第三十一条): which date counts, and errors that name the fact to fix."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.receipt import CHANNELS, RECEIPT_FACT, ReceiptError, receipt_date

TODAY = date(2025, 3, 10)
SUBMITTED, SIGNED, CONFIRMED = date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 6)


@pytest.mark.parametrize("channel, expected", [
    ("in_person", SUBMITTED),  # 第一项: 提交之日
    ("registered_mail", SIGNED),  # 第二项: 签收之日
    ("ordinary_mail", CONFIRMED),  # 第二项: 平信, 确认之日
    ("online", CONFIRMED),  # 第三项: 双方确认之日
    ("fax", CONFIRMED),
    ("other", CONFIRMED),  # not named by the article: confirmed if known
])
def test_the_date_that_counts_per_channel(channel, expected):
    assert receipt_date(channel, SUBMITTED, SIGNED, CONFIRMED, TODAY) == expected


def test_another_channel_without_confirmation_counts_from_submission():
    assert receipt_date("other", SUBMITTED, None, None, TODAY) == SUBMITTED
    assert receipt_date("in_person", SUBMITTED, None, None, TODAY) == SUBMITTED


@pytest.mark.parametrize("channel, field, item", [
    ("registered_mail", "signed_for_on", "第二项"),
    ("ordinary_mail", "confirmed_on", "第二项"),
    ("online", "confirmed_on", "第三项"),
    ("fax", "confirmed_on", "第三项"),
])
def test_a_missing_date_names_its_field_and_the_article(channel, field, item):
    with pytest.raises(ReceiptError) as exc:
        receipt_date(channel, SUBMITTED, None, None, TODAY)
    assert exc.value.field == field
    assert f"《条例》第三十一条{item}" in str(exc.value)


@pytest.mark.parametrize("kwargs, field, words", [
    ({"submitted_on": None}, "submitted_on", "请填写提交日期"),
    ({"submitted_on": date(2025, 3, 11)}, "submitted_on", "晚于今天"),
    ({"signed_for_on": date(2025, 3, 11)}, "signed_for_on", "不能登记未来的日期"),
    ({"signed_for_on": date(2025, 3, 1)}, "signed_for_on", "早于提交日期"),
])
def test_impossible_dates_are_refused(kwargs, field, words):
    dates = {"submitted_on": SUBMITTED, "signed_for_on": SIGNED, "confirmed_on": None} | kwargs
    with pytest.raises(ReceiptError) as exc:
        receipt_date("registered_mail", dates["submitted_on"], dates["signed_for_on"], dates["confirmed_on"], TODAY)
    assert exc.value.field == field and words in str(exc.value)


def test_received_today_is_allowed_and_every_named_channel_has_a_fact():
    assert receipt_date("online", TODAY, None, TODAY, TODAY) == TODAY
    assert set(RECEIPT_FACT) == set(CHANNELS) - {"other"}
    assert set(RECEIPT_FACT.values()) == {"submitted_on", "signed_for_on", "confirmed_on"}
