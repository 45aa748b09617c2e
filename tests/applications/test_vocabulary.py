"""The app's vocabularies are the law's: clock event kinds and reply types (with the report's labels)."""

from __future__ import annotations

from gongkai.applications.models import CLOCK_KINDS, OUTCOME_CHOICES, ApplicantKind, DecisionPart, EventKind
from gongkai.law.clock import EVENT_KINDS, EVENT_LABELS
from gongkai.law.replies import APPLICANT_KINDS, PART_REASONS, REPLY_TYPES

HISTORY_ONLY = ["note", "due_changed", "applicant_kind_changed", "repeat_flagged", "review", "litigation"]


def test_event_kind_choices_are_the_clock_kinds_of_the_law_then_the_history_only_kinds():
    values = [k.value for k in EventKind]
    assert values[:len(EVENT_KINDS)] == list(EVENT_KINDS)
    assert values[len(EVENT_KINDS):] == HISTORY_ONLY
    assert CLOCK_KINDS == set(EVENT_KINDS)
    assert {k.value: k.label for k in EventKind if k.value in CLOCK_KINDS} == EVENT_LABELS  # the law names them
    assert all(str(k.label) for k in EventKind)  # every kind has a Chinese label
    assert EventKind.RECEIVED == "received" and EventKind("litigation").label == "行政诉讼"


def test_reply_type_choices_are_the_law_table():
    assert OUTCOME_CHOICES == [(key, info.label) for key, info in REPLY_TYPES.items()]
    assert dict(OUTCOME_CHOICES)["result.unable.not_held"] == "无法提供：本机关不掌握相关政府信息"
    part = DecisionPart._meta.get_field("reason")
    assert [k for k, _ in part.choices] == PART_REASONS


def test_applicant_kinds_are_the_columns_of_table_three():
    assert list(ApplicantKind.values) == APPLICANT_KINDS
