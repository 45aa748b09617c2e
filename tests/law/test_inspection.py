"""The national inspection indicators for government websites (国办秘函〔2019〕19号), `gongkai.law.inspection`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from gongkai.law.inspection import (
    AccessibilityFacts, ChannelFacts, ColumnFacts, DisclosureColumnFacts, LinkFacts, MessageFacts, NewMediaFacts,
    PageFacts, ProbeFacts, STATE_FAIL, STATE_PASS, STATE_RISK, SiteFacts, add_months, default_rules,
    inspect_site, load_rules,
)

ON = date(2026, 3, 16)
RULES = default_rules()


def days_ago(n: int) -> date:
    return ON - timedelta(days=n)


def probes(per_day: int = 24, *, failures: int = 0, slow: int = 0, seconds: float = 1.2, days: int = 7,
           on: date = ON) -> list[ProbeFacts]:
    """``per_day`` visits on each of the ``days`` days before ``on``; the first ``failures`` visits
    fail, the next ``slow`` load but take ``seconds`` (the rest take 1.2 s)."""
    out = []
    for d in range(days, 0, -1):
        day = on - timedelta(days=d)
        for k in range(per_day):
            out.append(ProbeFacts(datetime(day.year, day.month, day.day, k % 24, 0), True, 1.2))
    for i in range(failures):
        out[i] = replace(out[i], ok=False, seconds=15.0)
    for i in range(failures, failures + slow):
        out[i] = replace(out[i], seconds=seconds)
    return out


def clean_site(**changes) -> SiteFacts:
    """A site that passes every check, with full data."""
    site = SiteFacts(
        name="洛阳市退役军人事务局",
        on=ON,
        home_items=[days_ago(1), days_ago(3), days_ago(5)],
        columns=[
            ColumnFacts("c-news", "工作动态", "news", 1, days_ago(2), 120),
            ColumnFacts("c-news2", "要闻", "news", 2, days_ago(6), 40),
            ColumnFacts("c-notice", "通知公告", "notice", 1, days_ago(20), 30),
            ColumnFacts("c-policy", "政策文件", "policy", 1, days_ago(40), 25),
            ColumnFacts("c-policy2", "部门文件", "policy", 2, days_ago(300), 5),  # second level: no 6-month rule
            ColumnFacts("c-reg", "专题专栏", "regular", 1, days_ago(60), 12),
            ColumnFacts("c-static", "机构概况", "static", 1, date(2020, 1, 1), 3),  # no update duty
        ],
        messages=[MessageFacts("m-1", "咨询优待证办理", days_ago(20), days_ago(17), True, 3),
                  MessageFacts("m-2", "网上信访件", days_ago(200), None, False, None)],
        channels=[ChannelFacts("ch-1", "政务咨询", "consultation", True),
                  ChannelFacts("ch-2", "网上信访", "petition", True)],
        probes=probes(),
        links=[LinkFacts("p-1", "关于优抚对象抚恤补助标准的通知", "https://www.example.gov.cn/a.pdf", "ok")],
        pages=[
            PageFacts("p-1", "关于优抚对象抚恤补助标准的通知", "policy", days_ago(30), days_ago(35),
                      "11410300MB1234567X/2026-00001", has_interpretation=True, days_to_publish=4),
            PageFacts("p-2", "《抚恤补助标准》解读", "interpretation", days_ago(30), days_ago(30),
                      "11410300MB1234567X/2026-00002", interpretation_of="p-1", days_to_publish=0),
            PageFacts("p-3", "优待证申领办事指南", "guide", days_ago(90), days_ago(95),
                      "11410300MB1234567X/2025-00100", days_to_publish=3),
            PageFacts("p-4", "局领导调研双拥工作", "article", days_ago(2)),
        ],
        disclosure_column=DisclosureColumnFacts(True, True, 15, date(2026, 1, 20)),
        accessibility=[AccessibilityFacts("首页", 0), AccessibilityFacts("文章页", 0)],
        elderly_mode=True,
        reply_limit_days=5,
        new_media=[NewMediaFacts("nm-1", "洛阳退役军人", "微信公众号", days_ago(1), True)],
    )
    return replace(site, **changes)


def codes(insp) -> list[str]:
    return [f.code for f in insp.findings]


def only(insp):
    assert len(insp.findings) == 1, [(f.code, f.level, f.detail) for f in insp.findings]
    return insp.findings[0]


# --------------------------------------------------------------------------- the clean site


def test_a_clean_site_with_full_data_has_no_finding_and_scores_100():
    insp = inspect_site(clean_site(), RULES)
    assert insp.findings == []
    assert insp.state == STATE_PASS and insp.score == 100 and insp.deduction_score == 100
    assert insp.unchecked == [] and insp.new_media_state == STATE_PASS and insp.bonus_considered


def test_default_rules_are_the_national_file():
    assert inspect_site(clean_site()).rules == "national-2019"


# --------------------------------------------------------------------------- one fault, one finding


def _column(ref, **kw):
    return lambda s: replace(s, columns=[replace(c, **kw) if c.ref == ref else c for c in s.columns])


def _page(ref, **kw):
    return lambda s: replace(s, pages=[replace(p, **kw) if p.ref == ref else p for p in s.pages])


def _add_page(**kw):
    return lambda s: replace(s, pages=[*s.pages, PageFacts(**kw)])


FAULTS = [
    # (id, mutation, expected codes, expected level)
    ("unreachable", lambda s: replace(s, probes=probes(failures=20)), ["veto.unreachable"], "veto"),
    ("unreachable-slow", lambda s: replace(s, probes=probes(slow=20, seconds=16)), ["veto.unreachable"], "veto"),
    ("home-stale", lambda s: replace(s, home_items=[days_ago(20)]), ["veto.home_not_updated"], "veto"),
    ("home-undated", lambda s: replace(s, home_items=[None, None]), ["veto.home_not_updated"], "veto"),
    ("home-due", lambda s: replace(s, home_items=[days_ago(10)]), ["veto.home_not_updated"], "warn"),
    ("news-stale", _column("c-news", last_item=days_ago(20)), ["veto.columns_not_updated"], "warn"),
    ("news-due", _column("c-news", last_item=days_ago(10)), ["veto.columns_not_updated"], "warn"),
    ("notice-6-months", _column("c-notice", last_item=add_months(ON, -7)), ["veto.columns_not_updated"], "warn"),
    # a column none of whose items is dated has not been updated for any length of time: both rules
    ("news-undated", _column("c-news", last_item=None), ["veto.columns_not_updated", "veto.long_stale_columns"],
     None),
    ("long-stale", _column("c-reg", last_item=days_ago(400)), ["veto.long_stale_columns"], "warn"),
    ("empty", _column("c-reg", item_count=0, last_item=None), ["veto.empty_columns"], "warn"),
    ("no-interaction", lambda s: replace(s, channels=[replace(s.channels[0], has_working_form=False),
                                                      s.channels[1]]), ["veto.no_interaction"], "veto"),
    ("only-petition-channel", lambda s: replace(s, channels=[s.channels[1]]), ["veto.no_interaction"], "veto"),
    ("unanswered", lambda s: replace(s, messages=[MessageFacts("m-9", "问补贴", add_months(ON, -4))]),
     ["veto.unanswered_message"], "veto"),
    # an old unanswered message with its waiting time known is also a slow reply: two findings
    ("unanswered-and-slow", lambda s: replace(s, messages=[MessageFacts("m-9", "问补贴", add_months(ON, -4),
                                                                        working_days_to_reply=80)]),
     ["veto.unanswered_message", "deduct.slow_replies"], None),
    ("unanswered-2-months", lambda s: replace(s, messages=[MessageFacts("m-9", "问补贴", add_months(ON, -2))]),
     ["veto.unanswered_message"], "risk"),
    ("newmedia-stale", lambda s: replace(s, new_media=[replace(s.new_media[0], last_update=days_ago(30))]),
     ["newmedia.not_updated"], "veto"),
    ("newmedia-due", lambda s: replace(s, new_media=[replace(s.new_media[0], last_update=days_ago(11))]),
     ["newmedia.not_updated"], "warn"),
    ("newmedia-no-interaction", lambda s: replace(s, new_media=[replace(s.new_media[0], has_interaction=False)]),
     ["newmedia.no_interaction"], "veto"),
    ("dead-link", lambda s: replace(s, links=[*s.links, LinkFacts("p-4", "调研", "https://x.gov.cn/gone", "dead",
                                                                 "404")]),
     ["deduct.dead_links"], "deduct"),
    ("undated-page", _page("p-4", published=None), ["deduct.undated_pages"], "deduct"),
    ("no-interpretation", _page("p-1", has_interpretation=False), ["deduct.policy_without_interpretation"], "deduct"),
    ("interpretation-unlinked", _page("p-2", interpretation_of=None), ["deduct.interpretation_unlinked"], "deduct"),
    ("late", _page("p-1", days_to_publish=21), ["deduct.late_publication"], "deduct"),
    ("no-guide", lambda s: replace(s, disclosure_column=replace(s.disclosure_column, has_guide=False)),
     ["deduct.disclosure_column_incomplete"], "deduct"),
    ("categories", lambda s: replace(s, disclosure_column=replace(s.disclosure_column,
                                                                  statutory_categories_present=13)),
     ["deduct.disclosure_column_incomplete"], "deduct"),
    ("annual-report-late", lambda s: replace(s, disclosure_column=replace(s.disclosure_column,
                                                                          annual_report_published=date(2026, 2, 3))),
     ["deduct.disclosure_column_incomplete"], "deduct"),
    ("annual-report-missing", lambda s: replace(s, disclosure_column=replace(s.disclosure_column,
                                                                             annual_report_published=None)),
     ["deduct.disclosure_column_incomplete"], "deduct"),
    ("guide", _page("p-3", guide_missing=("办理地点", "联系电话")), ["deduct.guide_incomplete"], "deduct"),
    ("slow-reply", lambda s: replace(s, messages=[replace(s.messages[0], working_days_to_reply=6)]),
     ["deduct.slow_replies"], "deduct"),
    ("repeal", _add_page(ref="p-5", title="旧办法", kind="policy", published=days_ago(900), made=days_ago(905),
                         index_number="x/2023-00001", has_interpretation=True, repealed=True, days_to_publish=3),
     ["deduct.repeal_unmarked"], "deduct"),
    ("index-number", _page("p-1", index_number=None), ["deduct.catalogue_metadata"], "deduct"),
    ("metadata", _page("p-3", required_missing=("生成日期",)), ["deduct.catalogue_metadata"], "deduct"),
    ("accessibility", lambda s: replace(s, accessibility=[AccessibilityFacts("首页", 2)]),
     ["deduct.accessibility"], "deduct"),
    ("elderly", lambda s: replace(s, elderly_mode=False), ["deduct.elderly_mode"], "deduct"),
]


@pytest.mark.parametrize("mutate,expected,level", [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_each_planted_fault_gives_exactly_its_finding(mutate, expected, level):
    insp = inspect_site(mutate(clean_site()), RULES)
    assert sorted(codes(insp)) == sorted(expected), [(f.code, f.level, f.detail) for f in insp.findings]
    if level is not None:
        f = only(insp)
        assert f.level == level
        assert f.title and f.detail and f.fix and f.items
        assert (f.points > 0) == (level == "deduct")


def test_a_finding_names_what_is_wrong_with_figures():
    f = only(inspect_site(_column("c-news", last_item=days_ago(10))(clean_site()), RULES))
    assert f.items[0].ref == "c-news" and f.items[0].title == "工作动态" and f.items[0].on == days_ago(10)
    assert "还有 4 天将计为不更新栏目" in f.items[0].note


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize("age,level", [(9, None), (10, "warn"), (13, "warn"), (14, "veto"), (15, "veto")])
def test_home_page_14_days(age, level):
    insp = inspect_site(clean_site(home_items=[days_ago(age), None]), RULES)
    assert [f.level for f in insp.findings] == ([level] if level else [])
    assert insp.state == (STATE_FAIL if level == "veto" else STATE_PASS)


@pytest.mark.parametrize("age,stale", [(13, False), (14, True), (15, True)])
def test_news_column_14_days(age, stale):
    f = only(inspect_site(_column("c-news", last_item=days_ago(age))(clean_site()), RULES))
    assert f.code == "veto.columns_not_updated" and f.level == "warn"
    assert ("还有" in f.items[0].note) is not stale
    assert f"已 {age} 天未更新" in f.items[0].note


def _stale_news(n: int) -> SiteFacts:
    extra = [ColumnFacts(f"n{i}", f"动态{i}", "news", 2, days_ago(15), 9) for i in range(n)]
    site = clean_site()
    return replace(site, columns=[*site.columns, *extra])


@pytest.mark.parametrize("n,level,state", [(3, "warn", STATE_PASS), (4, "risk", STATE_RISK), (5, "veto", STATE_FAIL)])
def test_stale_column_count(n, level, state):
    insp = inspect_site(_stale_news(n), RULES)
    f = only(insp)
    assert (f.code, f.level, len(f.items)) == ("veto.columns_not_updated", level, n)
    assert insp.state == state
    assert insp.score == (None if level == "veto" else 100)
    assert insp.deduction_score == 100


def test_news_and_first_level_notice_columns_add_up_but_second_level_policy_does_not():
    site = clean_site()
    cols = [ColumnFacts(f"n{i}", f"动态{i}", "news", 1, days_ago(30), 9) for i in range(3)]
    cols += [ColumnFacts("nt", "通知公告2", "notice", 1, days_ago(200), 9),
             ColumnFacts("pl", "政策文件2", "policy", 2, days_ago(200), 9)]
    insp = inspect_site(replace(site, columns=[*site.columns, *cols]), RULES)
    f = only(insp)
    assert f.level == "risk" and {i.ref for i in f.items} == {"n0", "n1", "n2", "nt"}


@pytest.mark.parametrize("last,on,stale", [
    (date(2025, 9, 16), date(2026, 3, 16), True),
    (date(2025, 9, 17), date(2026, 3, 16), False),
    (date(2025, 8, 31), date(2026, 2, 28), True),   # no 31 February: the month's last day
    (date(2025, 8, 31), date(2026, 2, 27), False),
])
def test_first_level_policy_column_6_calendar_months(last, on, stale):
    site = clean_site(on=on, probes=probes(on=on), home_items=[on], new_media=[],
                      messages=[], columns=[ColumnFacts("pl", "政策文件", "policy", 1, last, 9)])
    f = only(inspect_site(site, RULES))
    assert f.code == "veto.columns_not_updated"
    assert ("还有" in f.items[0].note) is not stale  # not stale yet: a warning 30 days ahead


def test_ten_long_stale_columns_veto_nine_are_a_risk_and_static_columns_never_count():
    site = clean_site()
    old = [ColumnFacts(f"r{i}", f"专栏{i}", "regular", 2, days_ago(365), 4) for i in range(9)]
    static = [ColumnFacts(f"s{i}", f"概况{i}", "static", 2, days_ago(900), 4) for i in range(5)]
    insp = inspect_site(replace(site, columns=[*site.columns, *old, *static]), RULES)
    assert only(insp).level == "risk" and insp.state == STATE_RISK
    one_more = replace(site, columns=[*site.columns, *old, *static,
                                      ColumnFacts("r9", "专栏9", "regular", 2, days_ago(366), 4)])
    insp = inspect_site(one_more, RULES)
    assert (only(insp).code, only(insp).level, insp.state) == ("veto.long_stale_columns", "veto", STATE_FAIL)
    just_under = replace(site, columns=[*site.columns,
                                        *[replace(c, last_item=days_ago(364)) for c in old]])
    assert inspect_site(just_under, RULES).findings == []


@pytest.mark.parametrize("n,level", [(4, "risk"), (5, "veto")])
def test_empty_columns(n, level):
    site = clean_site()
    empty = [ColumnFacts(f"e{i}", f"空栏目{i}", "news", 2, None, 0) for i in range(n)]
    f = only(inspect_site(replace(site, columns=[*site.columns, *empty]), RULES))
    assert (f.code, f.level) == ("veto.empty_columns", level)  # empty, not also "not updated"


@pytest.mark.parametrize("received,answered,level", [
    (date(2025, 12, 16), None, "risk"),                 # exactly 3 months on 2026-03-16: not yet more than
    (date(2025, 12, 15), None, "veto"),
    (date(2026, 1, 16), None, "risk"),                  # 2 months
    (date(2026, 1, 17), None, None),
    (date(2025, 5, 1), date(2025, 8, 2), "veto"),       # answered too late, within the last year
    (date(2025, 5, 1), date(2025, 8, 1), None),         # answered on the last day
    (date(2024, 10, 1), date(2025, 2, 1), None),        # answered too late, but more than a year ago
    (date(2024, 10, 1), None, "veto"),                  # unanswered since long ago
])
def test_unanswered_message_3_calendar_months(received, answered, level):
    insp = inspect_site(clean_site(messages=[MessageFacts("m", "问政策", received, answered)]), RULES)
    assert [(f.code, f.level) for f in insp.findings] == ([("veto.unanswered_message", level)] if level else [])
    assert insp.state == {None: STATE_PASS, "risk": STATE_RISK, "veto": STATE_FAIL}[level]


def test_messages_that_do_not_count_are_ignored():
    msg = MessageFacts("m", "信访件", date(2025, 6, 1), None, counts=False, working_days_to_reply=150)
    assert inspect_site(clean_site(messages=[msg]), RULES).findings == []


@pytest.mark.parametrize("failures,level", [(7, "veto"), (6, "risk"), (4, None)])
def test_unreachable_failure_rate_over_a_week_of_20_visits_a_day(failures, level):
    # 140 visits: 7 failures = 5 %, 6 = 4.3 %, 4 = 2.9 %
    insp = inspect_site(clean_site(probes=probes(20, failures=failures)), RULES)
    assert [(f.code, f.level) for f in insp.findings] == ([("veto.unreachable", level)] if level else [])


@pytest.mark.parametrize("seconds,fails", [(15.0, False), (15.1, True)])
def test_a_visit_slower_than_15_seconds_is_a_failure(seconds, fails):
    insp = inspect_site(clean_site(probes=probes(20, slow=7, seconds=seconds)), RULES)
    assert bool(insp.vetoes) is fails


def test_probes_outside_the_week_before_the_check_are_ignored():
    bad_old = [ProbeFacts(datetime(2026, 3, 1, h), False, 30.0) for h in range(24)]
    bad_today = [ProbeFacts(datetime(2026, 3, 16, h), False, 30.0) for h in range(24)]
    assert inspect_site(clean_site(probes=probes() + bad_old + bad_today), RULES).findings == []


# --------------------------------------------------------------------------- scoring


def test_a_veto_means_no_score_but_the_deduction_score_is_still_computed():
    site = clean_site(home_items=[days_ago(30)], elderly_mode=False)
    insp = inspect_site(site, RULES)
    assert insp.state == STATE_FAIL and insp.score is None and insp.deduction_score == 98
    assert not insp.bonus_considered
    assert [f.code for f in insp.vetoes] == ["veto.home_not_updated"]


def test_deductions_are_capped_at_the_indicator_points():
    dead = [LinkFacts("p-4", "调研", f"https://x.gov.cn/{i}", "dead") for i in range(30)]
    insp = inspect_site(clean_site(links=dead), RULES)
    f = only(insp)
    assert f.points == 10 and insp.score == 90 and len(f.items) == 30 and "最多扣 10 分" in f.detail


def test_half_points_per_item():
    pages = [PageFacts(f"q{i}", f"文件{i}", "guide", days_ago(5), index_number=None) for i in range(3)]
    site = clean_site()
    insp = inspect_site(replace(site, pages=[*site.pages, *pages]), RULES)
    assert only(insp).points == 1.5 and insp.score == 98.5


def _many_faults(n_groups: int) -> SiteFacts:
    """Each group takes exactly 10 points."""
    site = clean_site()
    groups = [
        lambda s: replace(s, links=[LinkFacts("p", "t", f"u{i}", "dead") for i in range(10)]),
        lambda s: replace(s, pages=[*s.pages, *[PageFacts(f"np{i}", f"政策{i}", "policy", days_ago(9),
                                                          index_number="x/2026-1", days_to_publish=1)
                                                for i in range(5)]]),
        lambda s: replace(s, pages=[*s.pages, *[PageFacts(f"lp{i}", f"文章{i}", "article", days_ago(9),
                                                          days_ago(60), days_to_publish=30) for i in range(10)]]),
        lambda s: replace(s, messages=[MessageFacts(f"sm{i}", "问", days_ago(20), days_ago(5), True, 9)
                                       for i in range(10)]),
        lambda s: replace(s, pages=[*s.pages, *[PageFacts(f"g{i}", f"指南{i}", "guide", days_ago(9),
                                                          index_number="x/2026-2", guide_missing=("办理时间",))
                                                for i in range(10)]]),
    ]
    for g in groups[:n_groups]:
        site = g(site)
    return site


@pytest.mark.parametrize("groups,score,state,bonus", [
    (1, 90, STATE_PASS, True), (2, 80, STATE_PASS, False), (4, 60, STATE_PASS, False), (5, 50, STATE_FAIL, False),
])
def test_score_pass_mark_and_bonus_threshold(groups, score, state, bonus):
    insp = inspect_site(_many_faults(groups), RULES)
    assert insp.score == score and insp.state == state and insp.bonus_considered is bonus
    assert all(f.points == 10 for f in insp.findings)


def test_new_media_veto_fails_the_account_not_the_website():
    site = clean_site(new_media=[NewMediaFacts("nm", "旧号", "微博", days_ago(40), True)])
    insp = inspect_site(site, RULES)
    assert insp.new_media_state == STATE_FAIL and insp.state == STATE_PASS and insp.score == 100
    assert inspect_site(clean_site(new_media=[]), RULES).new_media_state is None


# --------------------------------------------------------------------------- unchecked


UNCHECKED = [
    ("probes-none", dict(probes=None), "veto.unreachable"),
    ("probes-short-day", dict(probes=probes(20)[:-1]), "veto.unreachable"),
    ("links-none", dict(links=None), "deduct.dead_links"),
    ("link-unchecked", dict(links=[LinkFacts("p-1", "t", "https://a.gov.cn", "unchecked")]), "deduct.dead_links"),
    ("accessibility-none", dict(accessibility=None), "deduct.accessibility"),
    ("elderly-none", dict(elderly_mode=None), "deduct.elderly_mode"),
    ("disclosure-none", dict(disclosure_column=None), "deduct.disclosure_column_incomplete"),
    ("channel-untested", dict(channels=[ChannelFacts("ch", "政务咨询", "consultation", None)]), "veto.no_interaction"),
    ("newmedia-untested", dict(new_media=[NewMediaFacts("nm", "号", "抖音", days_ago(1), None)]),
     "newmedia.no_interaction"),
]


@pytest.mark.parametrize("changes,code", [u[1:] for u in UNCHECKED], ids=[u[0] for u in UNCHECKED])
def test_absent_data_is_unchecked_never_passed(changes, code):
    insp = inspect_site(clean_site(**changes), RULES)
    f = only(insp)
    assert (f.code, f.level, f.points) == (code, "unchecked", 0)
    assert f.detail.startswith("未能检查") and insp.unchecked == [f]
    assert insp.state == STATE_PASS and insp.score == 100  # the CLI shows `unchecked` beside the state


def test_late_publication_without_computed_days_is_unchecked():
    insp = inspect_site(_page("p-1", days_to_publish=None)(clean_site()), RULES)
    assert [(f.code, f.level) for f in insp.findings] == [("deduct.late_publication", "unchecked")]


def test_short_probe_data_still_reports_what_was_seen():
    f = only(inspect_site(clean_site(probes=probes(20, failures=30, days=3)), RULES))
    assert f.level == "unchecked" and "4 天访问不足 20 次" in f.detail and "失败" in f.detail


def test_annual_report_in_january_is_a_reminder_not_a_deduction():
    on = date(2026, 1, 20)
    site = clean_site(on=on, probes=probes(on=on), home_items=[on], messages=[], new_media=[],
                      columns=[ColumnFacts("c", "动态", "news", 1, on, 3)], pages=[],
                      disclosure_column=DisclosureColumnFacts(True, True, 15, None))
    f = only(inspect_site(site, RULES))
    assert (f.code, f.level, f.points) == ("deduct.disclosure_column_incomplete", "warn", 0)
    assert "还有 12 天" in f.detail


# --------------------------------------------------------------------------- rules as data


def test_the_national_file_holds_the_source_thresholds_and_says_what_is_unverified():
    v = RULES.veto
    assert (v["unreachable"]["days"], v["unreachable"]["min_visits_per_day"], v["unreachable"]["timeout_seconds"],
            v["unreachable"]["failure_rate"]) == (7, 20, 15, 0.05)
    assert v["home_not_updated"]["days"] == v["news_columns"]["days"] == v["new_media_not_updated"]["days"] == 14
    assert v["first_level_columns"]["months"] == 6 and v["columns_not_updated"]["count"] == 5
    assert (v["long_stale_columns"]["count"], v["long_stale_columns"]["days"]) == (10, 365)
    assert v["empty_columns"]["count"] == 5 and v["unanswered_message"]["months"] == 3
    assert dict(RULES.totals) == {"deduction_part": 100, "bonus_part": 30, "pass_mark": 60, "bonus_above": 80}
    assert "UNVERIFIED" in RULES.note and "国办秘函〔2019〕19号" in RULES.source
    assert RULES.late_publication_days == 20


def _national_raw() -> dict:
    from importlib.resources import files
    return json.loads((files("gongkai.law") / "inspection_rules" / "national-2019.json").read_text(encoding="utf-8"))


def _write(tmp_path, raw) -> str:
    path = tmp_path / "rules.json"
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _without(raw, section, rule, key):
    del raw[section][rule][key]
    return raw


def _set(raw, section, rule, key, value):
    raw[section][rule][key] = value
    return raw


BAD_FILES = [
    ("missing", lambda r: _without(r, "veto", "home_not_updated", "days"), "veto.home_not_updated.days", "缺少"),
    ("string", lambda r: _set(r, "veto", "news_columns", "days", "14"), "veto.news_columns.days", "应为整数"),
    ("float-count", lambda r: _set(r, "veto", "empty_columns", "count", 4.5), "veto.empty_columns.count", "应为整数"),
    ("bool", lambda r: _set(r, "deductions", "dead_links", "points", True), "deductions.dead_links.points", "应为数值"),
    ("negative", lambda r: _set(r, "deductions", "dead_links", "per_item", -1), "deductions.dead_links.per_item",
     "负数"),
    ("rate", lambda r: _set(r, "veto", "unreachable", "failure_rate", 5), "veto.unreachable.failure_rate", "比例"),
    ("unknown", lambda r: _set(r, "veto", "home_not_updated", "dayz", 14), "veto.home_not_updated.dayz", "未知"),
    ("kinds", lambda r: {**r, "catalogue_kinds": ["policy", "news"]}, "catalogue_kinds", "页面类型"),
]


@pytest.mark.parametrize("breaks,key,words", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_a_bad_rules_file_gives_a_chinese_error_naming_the_key(tmp_path, breaks, key, words):
    path = _write(tmp_path, breaks(_national_raw()))
    with pytest.raises(ValueError) as e:
        load_rules(path)
    assert key in str(e.value) and words in str(e.value) and "检查指标文件" in str(e.value)


def test_a_file_that_is_not_json_gives_a_chinese_error(tmp_path):
    with pytest.raises(ValueError, match="不是有效的 JSON"):
        load_rules(_write(tmp_path, "{veto: 1"))
    with pytest.raises(ValueError, match="无法读取"):
        load_rules(tmp_path / "missing.json")


def test_a_full_copy_of_the_national_file_loads_to_the_same_rules(tmp_path):
    assert load_rules(_write(tmp_path, _national_raw())) == RULES


def test_a_province_file_overriding_one_threshold_changes_the_outcome(tmp_path):
    site = _column("c-news", last_item=days_ago(8))(clean_site())
    assert inspect_site(site, RULES).findings == []
    province = load_rules(_write(tmp_path, {"extends": "national-2019", "id": "henan-2024", "title": "河南省检查指标",
                                            "veto": {"news_columns": {"days": 7}}}))
    assert province.id == "henan-2024" and province.v("news_columns", "days") == 7
    assert province.v("home_not_updated", "days") == 14  # the rest inherited
    f = only(inspect_site(site, province))
    assert f.code == "veto.columns_not_updated" and "已 8 天未更新" in f.items[0].note


def test_a_province_full_file_with_other_weights(tmp_path):
    raw = _set(_national_raw(), "deductions", "elderly_mode", "points", 5)
    raw["deductions"]["elderly_mode"]["per_item"] = 5
    insp = inspect_site(clean_site(elderly_mode=False), load_rules(_write(tmp_path, raw)))
    assert insp.score == 95
    assert inspect_site(clean_site(elderly_mode=False), RULES).score == 98


def test_an_override_with_a_bad_value_is_still_checked(tmp_path):
    with pytest.raises(ValueError, match="veto.news_columns.days"):
        load_rules(_write(tmp_path, {"extends": "national-2019", "veto": {"news_columns": {"days": "七"}}}))
    with pytest.raises(ValueError, match="没有名为"):
        load_rules(_write(tmp_path, {"extends": "nowhere"}))


# --------------------------------------------------------------------------- facts and output


def test_unknown_kinds_in_facts_are_refused():
    with pytest.raises(ValueError, match="栏目类型"):
        ColumnFacts("c", "t", "blog")
    with pytest.raises(ValueError, match="办事指南要素"):
        PageFacts("p", "t", "guide", guide_missing=("收费标准",))


def test_to_dict_is_json():
    site = clean_site(home_items=[days_ago(20)], links=None, elderly_mode=False)
    out = json.loads(json.dumps(inspect_site(site, RULES).to_dict(), ensure_ascii=False))
    assert out["state"] == "不合格" and out["score"] is None and out["deduction_score"] == 98
    assert out["on"] == "2026-03-16" and out["unchecked"] == ["deduct.dead_links"]
    home = next(f for f in out["findings"] if f["code"] == "veto.home_not_updated")
    assert home["level"] == "veto" and home["items"][0]["on"] == days_ago(20).isoformat()


def test_add_months():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 16), -12) == date(2025, 3, 16)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
