"""The app's vocabularies are the law's: clock event kinds and reply types (with the report's labels)."""

from __future__ import annotations

from gongkai.applications.models import CLOCK_KINDS, OUTCOME_CHOICES, EventKind
from gongkai.applications.outcomes import APPLICANT_KINDS, OUTCOMES
from gongkai.law.clock import EVENT_KINDS, EVENT_LABELS
from gongkai.law.reportformat import spec

HISTORY_ONLY = ["note", "due_changed", "applicant_kind_changed", "repeat_flagged", "review", "litigation"]


def test_event_kind_choices_are_the_clock_kinds_of_the_law_then_the_history_only_kinds():
    values = [k.value for k in EventKind]
    assert values[:len(EVENT_KINDS)] == list(EVENT_KINDS)
    assert values[len(EVENT_KINDS):] == HISTORY_ONLY
    assert CLOCK_KINDS == set(EVENT_KINDS)
    assert {k.value: k.label for k in EventKind if k.value in CLOCK_KINDS} == EVENT_LABELS  # the law names them
    assert all(str(k.label) for k in EventKind)  # every kind has a Chinese label
    assert EventKind.RECEIVED == "received" and EventKind("litigation").label == "行政诉讼"


def test_reply_types_are_the_result_rows_of_the_2021_format_with_its_labels():
    rows = spec.get_format(spec.GOV2021).rows
    results = [r for r in rows if r.key.startswith("result.") and r.key != "result.total"]
    assert list(OUTCOMES) == [r.key for r in results]
    for r in results:
        assert OUTCOMES[r.key].row_label == r.label
    assert OUTCOMES["result.denied.state_secret"].label == "不予公开：属于国家秘密"
    assert OUTCOMES["result.partial"].label == "部分公开"
    assert dict(OUTCOME_CHOICES)["result.unable.not_held"] == "无法提供：本机关不掌握相关政府信息"


def test_applicant_kinds_are_the_columns_of_table_three():
    assert APPLICANT_KINDS == [c for c in spec.get_format(spec.GOV2021).columns if c != "total"]
