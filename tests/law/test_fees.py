"""信息处理费 (国办函〔2020〕109号): 按件 and 按量, from the bundled table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.law.fees import (
    FeeTableError,
    compute_fee_by_count,
    compute_fee_by_pages,
    compute_month_total_by_count,
    load_fee_table,
    parse_fee_table,
)


@pytest.mark.parametrize(("n", "yuan"), [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300),
    (51, 400), (60, 400), (61, 500), (91, 800), (100, 800), (101, 900),
])
def test_by_count_rate_of_the_nth_application(n, yuan):
    result = compute_fee_by_count(n)
    assert result.amount_yuan == Decimal(yuan)
    assert result.method == "by_count"
    assert result.free is (yuan == 0)
    assert "国办函〔2020〕109号" in result.explanation[0].article


def test_by_count_month_total():
    # 35 applications in a month: 10 free + 20 × 100 + 5 × 200 = 2 000 + 1 000 = 3 000 元.
    # (regulation.md §2.2 prints "= 2 500 元" for the same sum: an arithmetic slip there.)
    assert compute_month_total_by_count(35) == Decimal(3000)
    assert compute_month_total_by_count(10) == Decimal(0)
    assert compute_month_total_by_count(30) == Decimal(2000)


def test_by_count_explanation():
    text = compute_fee_by_count(31).explanation[0].text
    assert "当月第 31 件" in text and "第 31–40 件" in text and "200 元" in text
    assert "免收费用" in compute_fee_by_count(3).explanation[0].text


@pytest.mark.parametrize(("pages", "yuan"), [
    (0, 0), (1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700), (200, 2700),
    (201, 2740), (250, 4700),
])
def test_by_pages_cumulative_tiers(pages, yuan):
    # 150 pages: 70 × 10 + 50 × 20 = 1 700 (regulation.md §2.3);
    # 250 pages: 700 + 100 × 20 + 50 × 40 = 4 700.
    result = compute_fee_by_pages(pages)
    assert result.amount_yuan == Decimal(yuan)
    assert result.method == "by_pages"
    assert result.free is (yuan == 0)


def test_by_pages_explanation_lists_each_band():
    line = compute_fee_by_pages(150).explanation[0]
    assert line.article.endswith("第五条")
    assert "第 31–100 页共 70 页 × 10 元 = 700 元" in line.text
    assert "第 101–150 页共 50 页 × 20 元 = 1,000 元" in line.text
    assert "合计 1,700 元" in line.text


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", True])
def test_bad_counts(bad):
    with pytest.raises(ValueError):
        compute_fee_by_count(bad)


def test_negative_pages():
    with pytest.raises(ValueError, match="负数"):
        compute_fee_by_pages(-5)


def test_table_is_data():
    table = load_fee_table()
    assert table.document == "国办函〔2020〕109号"
    assert str(table.effective) == "2021-01-01"
    cheaper = parse_fee_table("""
id: test
document: 测试〔2030〕1号
title: 测试办法
by_count:
  bands: [{first: 1, last: 5, yuan: 0}, {first: 6, last: null, yuan: 50}]
by_pages:
  bands: [{first: 1, last: null, yuan: 0.5}]
""")
    assert compute_fee_by_count(6, cheaper).amount_yuan == Decimal(50)
    assert compute_fee_by_count(600, cheaper).amount_yuan == Decimal(50)
    assert compute_fee_by_pages(3, cheaper).amount_yuan == Decimal("1.5")


@pytest.mark.parametrize(("text", "message"), [
    ("id: x\n", "缺少 document"),
    ("id: [", "不是有效的 YAML"),
    ("id: x\ndocument: d\ntitle: t\nby_count: {bands: [{first: 2, last: 5, yuan: 0}]}\nby_pages: {bands: []}\n",
     "应从 1 开始"),
    ("id: x\ndocument: d\ntitle: t\nby_count: {bands: [{first: 1, last: 5, yuan: 0}]}\n"
     "by_pages: {bands: [{first: 1, last: null, yuan: 1}]}\n", "beyond"),
])
def test_bad_tables(text, message):
    with pytest.raises(FeeTableError, match=message):
        parse_fee_table(text)
