"""Section 三 and 四 computed from cases: the rows a case lands in, year boundaries, kind changes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annualreport.compute import application_rows, compute, compute_many, compute_report
from gongkai.annualreport.drilldown import drilldown
from gongkai.applications import actions as app_actions
from gongkai.law.replies import APPLICANT_KINDS, REPLY_TYPES
from gongkai.law.reportformat import check, spec
from tests.factories import make_agency

from .helpers import bulk_applications, decide, register

pytestmark = pytest.mark.django_db

COLS = APPLICANT_KINDS + ["total"]


def nonzero(cells, prefix="apply."):
    return {k: v for k, v in cells.items() if k.startswith(prefix) and v}


@pytest.fixture
def scenario(agency, officer, fixed_today):
    """Cases around 2025 (today is frozen; each step happens on a plausible day)."""
    fixed_today(date(2026, 3, 2))
    a = register(agency, officer, date(2024, 12, 20))                    # last year's, decided in January
    decide(a, officer, date(2025, 1, 10), "result.granted")
    b = register(agency, officer, date(2025, 3, 3), kind="commercial")   # partial
    decide(b, officer, date(2025, 3, 20), "result.partial")
    c = register(agency, officer, date(2025, 12, 22))                    # open at year end
    d = register(agency, officer, date(2025, 5, 6))                      # withdrawn
    app_actions.application_withdraw(d, actor=officer, on=date(2025, 5, 10))
    e = register(agency, officer, date(2025, 6, 2))                      # kind corrected during the year
    fixed_today(date(2025, 7, 1))
    app_actions.application_change_applicant_kind(e, actor=officer, kind="research", reason="登记时选错")
    fixed_today(date(2026, 3, 2))
    decide(e, officer, date(2025, 7, 10), "result.unable.not_held")
    f = register(agency, officer, date(2025, 12, 1))                     # open; kind corrected after the year
    fixed_today(date(2026, 1, 15))
    app_actions.application_change_applicant_kind(f, actor=officer, kind="legal_service", reason="律师事务所代理")
    fixed_today(date(2026, 3, 2))
    g = register(agency, officer, date(2023, 5, 5))                      # decided before 2025: not counted
    decide(g, officer, date(2024, 1, 5), "result.granted")
    app_actions.reconsideration_record(b, actor=officer, body="洛阳市人民政府", filed_on=date(2025, 4, 1))
    app_actions.litigation_record(a, actor=officer, route="direct", court="洛阳市西工区人民法院",
                                  filed_on=date(2025, 2, 1), result="corrected", concluded_on=date(2025, 6, 1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def test_section3_every_case_in_its_rows_and_columns(agency, scenario):
    cells = compute(agency, 2025).cells
    assert nonzero(cells) == {
        # 一 new: b (commercial), c, d, f (natural person, f's kind changed only in 2026), e (research)
        "apply.new.natural_person": 3, "apply.new.commercial": 1, "apply.new.research": 1, "apply.new.total": 5,
        # 二 carried over: a, received 2024-12-20 and decided in January 2025
        "apply.carried_over.natural_person": 1, "apply.carried_over.total": 1,
        "apply.result.granted.natural_person": 1, "apply.result.granted.total": 1,
        "apply.result.partial.commercial": 1, "apply.result.partial.total": 1,
        "apply.result.unable.not_held.research": 1, "apply.result.unable.not_held.total": 1,
        "apply.result.other.other.natural_person": 1, "apply.result.other.other.total": 1,   # withdrawn (§12)
        "apply.result.total.natural_person": 2, "apply.result.total.commercial": 1,
        "apply.result.total.research": 1, "apply.result.total.total": 4,
        # 四 carried forward: c and f, still open on 31 Dec — never dropped
        "apply.carried_forward.natural_person": 2, "apply.carried_forward.total": 2,
    }
    assert cells["apply.new.legal_service"] == 0  # f counts as it was on 31 Dec 2025


def test_section4_reviews_and_lawsuits(agency, scenario):
    cells = compute(agency, 2025).cells
    assert nonzero(cells, "review") == {"review.pending": 1, "review.total": 1}
    assert nonzero(cells, "litigation") == {"litigation.direct.corrected": 1, "litigation.direct.total": 1}
    # The review concluded in 2026 counts again in 2026, under its result.
    app_actions.reconsideration_conclude(scenario["b"].reconsiderations.get(), actor=None, result="maintained",
                                         concluded_on=date(2026, 2, 1))
    assert nonzero(compute(agency, 2026).cells, "review") == {"review.maintained": 1, "review.total": 1}
    assert nonzero(compute(agency, 2025).cells, "review") == {"review.pending": 1, "review.total": 1}


def test_january_decision_counts_in_the_year_it_was_decided(agency, scenario):
    c2024 = compute(agency, 2024).cells
    assert c2024["apply.new.natural_person"] == 1 and c2024["apply.carried_forward.natural_person"] == 1
    assert c2024["apply.result.granted.total"] == 1  # g, decided 2024-01-05; a is not yet decided in 2024
    assert c2024["apply.carried_over.total"] == 1    # g, received 2023
    c2025 = compute(agency, 2025).cells
    assert c2025["apply.carried_over.natural_person"] == 1 and c2025["apply.result.granted.natural_person"] == 1


def test_open_case_is_carried_forward_until_decided(agency, officer, scenario, fixed_today):
    c = scenario["c"]
    assert compute(agency, 2025).cells["apply.carried_forward.total"] == 2
    assert compute(agency, 2026).cells["apply.carried_over.total"] == 2
    decide(c, officer, date(2026, 1, 8), "result.granted")
    assert compute(agency, 2025).cells["apply.carried_forward.total"] == 2  # 2025 unchanged
    c2026 = compute(agency, 2026).cells
    assert c2026["apply.carried_over.natural_person"] == 1 and c2026["apply.carried_over.legal_service"] == 1
    assert c2026["apply.result.granted.natural_person"] == 1
    assert c2026["apply.carried_forward.legal_service"] == 1


def test_kind_change_after_year_end_moves_the_case_visibly_between_years(agency, scenario):
    f = scenario["f"]
    # 2025 (kind on 31 Dec 2025 was natural person), 2026 (kind is legal service).
    assert compute(agency, 2026).cells["apply.carried_over.legal_service"] == 1
    refs, records = drilldown(agency, 2025)
    ref = f"app:{f.pk}"
    assert ref in refs["apply.new.natural_person"] and ref in refs["apply.carried_forward.natural_person"]
    assert records[ref]["moved"] == ["2026-01-15 更正申请人类型：自然人 → 法律服务机构（年度结束后更正，本年度仍按原类型统计）"]
    # The 2026 report's carried-over row no longer matches 2025's carried-forward row: R7 says so.
    prev = compute_report(agency, 2025)
    findings = [x for x in check(compute_report(agency, 2026), prev) if x.rule == "R7_carry_over_continuity"]
    assert {x.where["column"] for x in findings} == {"natural_person", "legal_service"}


def test_kind_change_during_the_year_counts_under_the_new_kind_with_its_history(agency, scenario):
    e = scenario["e"]
    refs, records = drilldown(agency, 2025)
    ref = f"app:{e.pk}"
    assert refs["apply.result.unable.not_held.research"] == [ref]
    assert ref in refs["apply.new.research"] and ref not in refs["apply.new.natural_person"]
    assert records[ref]["moved"] == ["2025-07-01 更正申请人类型：自然人 → 科研机构"]
    from gongkai.audit.models import AuditEvent

    assert list(AuditEvent.objects.filter(action="applications.change_applicant_kind", subject_id=str(e.pk))
                .values_list("old", "new")) == [({"applicant_kind": "natural_person"},
                                                 {"applicant_kind": "research", "reason": "登记时选错"})]


def test_drilldown_lists_exactly_the_records_of_every_cell(agency, scenario):
    cells = compute(agency, 2025).cells
    refs, records = drilldown(agency, 2025)
    for key in spec.get_format(spec.GOV2021).section3_keys + spec.get_format(spec.GOV2021).section4_keys:
        assert len(refs[key]) == cells[key], key
    assert refs["apply.carried_over.total"] == [f"app:{scenario['a'].pk}"]
    assert f"app:{scenario['g'].pk}" not in records
    assert refs["litigation.direct.corrected"] == [f"lit:{scenario['a'].litigations.get().pk}"]


def test_tables_balance_and_only_blank_figures_are_missing(agency, scenario):
    comp = compute(agency, 2025)
    assert [f.rule for f in check(compute_report(agency, 2025))] == []
    assert comp.missing_figures == ["active.art20_5.licensing.decisions", "active.art20_6.penalty.decisions",
                                    "active.art20_6.coercion.decisions", "active.art20_8.admin_fee.amount_wan"]


def test_2020_uses_the_2019_trial_format_with_one_other_row(agency, officer, fixed_today):
    fixed_today(date(2021, 3, 1))
    d = register(agency, officer, date(2020, 5, 6))
    app_actions.application_withdraw(d, actor=officer, on=date(2020, 5, 10))
    comp = compute(agency, 2020)
    assert comp.format == spec.GOV2019
    assert comp.cells["apply.result.other.natural_person"] == 1 and comp.cells["apply.result.total.total"] == 1
    assert "apply.result.other.other.natural_person" not in comp.cells
    assert set(comp.cells) == set(spec.get_format(spec.GOV2019).section3_keys
                                  + spec.get_format(spec.GOV2019).section4_keys
                                  + tuple(k for k in spec.get_format(spec.GOV2019).section2_keys
                                          if k.startswith("active.art20_1.")))
    assert compute(agency, 2021).format == spec.GOV2021


def test_other_agencies_cases_are_not_counted(agency, officer, other_agency, fixed_today):
    fixed_today(date(2026, 3, 2))
    bulk_applications(other_agency, [("natural_person", date(2025, 3, 1), None, "")])
    assert compute(agency, 2025).cells["apply.new.total"] == 0
    assert compute(other_agency, 2025).cells["apply.new.total"] == 1


DAYS = st.dates(min_value=date(2023, 11, 1), max_value=date(2026, 2, 28))
OUTCOME_KEYS = sorted(REPLY_TYPES)


@st.composite
def case_specs(draw):
    received = draw(DAYS)
    decided = draw(st.one_of(st.none(), st.dates(min_value=received, max_value=date(2026, 2, 28))))
    return (draw(st.sampled_from(APPLICANT_KINDS)), received, decided,
            draw(st.sampled_from(OUTCOME_KEYS)) if decided else "")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(case_specs(), min_size=0, max_size=25), year=st.sampled_from([2020, 2024, 2025]))
def test_aggregate_queries_agree_with_counting_each_case(specs, year):
    agency = make_agency()
    bulk_applications(agency, specs)
    fmt_id = spec.GOV2019 if year <= 2020 else spec.GOV2021
    expected: dict[str, int] = {}
    for kind, received, decided, outcome in specs:
        for row in application_rows(received, decided, outcome, year, fmt_id):
            rows = [row, "result.total"] if row.startswith("result.") else [row]
            for r in rows:
                for col in (kind, "total"):
                    expected[f"apply.{r}.{col}"] = expected.get(f"apply.{r}.{col}", 0) + 1
    cells = compute_many([agency.pk], year)[agency.pk].cells
    assert nonzero(cells) == expected
    assert not [f for f in check(compute_report(agency, year)) if f.severity == "error"]
