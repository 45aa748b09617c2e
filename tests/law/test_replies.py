"""The reply types of 依申请公开: one table in the law, its codes and labels those of the report format."""

from __future__ import annotations

from gongkai.law.replies import (
    APPLICANT_KINDS, DECISION_REPLY_TYPES, PART_REASONS, PETITION, REPLY_TYPES, SHORT_LABELS,
)
from gongkai.law.reportformat import spec

RESULT_ROWS = [r for r in spec.get_format(spec.GOV2021).rows if r.key.startswith("result.") and r.key != "result.total"]


def test_the_codes_are_the_result_rows_of_table_three_in_order():
    assert list(REPLY_TYPES) == [r.key for r in RESULT_ROWS]
    assert all(key == info.key for key, info in REPLY_TYPES.items())


def test_labels_come_from_spec_yaml():
    for row in RESULT_ROWS:
        info = REPLY_TYPES[row.key]
        assert info.row_label == row.label  # the official label as printed
        if row.key not in SHORT_LABELS:  # the short label is the row without its numbering
            body = info.label.split("：")[-1]
            assert body in row.label and not body[0].isdigit()
    assert REPLY_TYPES["result.granted"].label == "予以公开"
    assert REPLY_TYPES["result.partial"].label == "部分公开"  # the bracketed note is dropped
    assert REPLY_TYPES["result.denied.state_secret"].label == "不予公开：属于国家秘密"
    assert REPLY_TYPES["result.unable.not_held"].label == "无法提供：本机关不掌握相关政府信息"
    assert set(SHORT_LABELS) <= set(REPLY_TYPES)


def test_articles_letters_and_who_decides():
    assert all(info.article.startswith("《") and info.letter_title and info.basis for info in REPLY_TYPES.values())
    closing = {k for k, info in REPLY_TYPES.items() if info.closes_without_reply}
    assert closing == {"result.other.no_correction", "result.other.fee_unpaid"}
    assert DECISION_REPLY_TYPES == [k for k in REPLY_TYPES if k not in closing]
    assert PART_REASONS == [k for k in REPLY_TYPES if k.startswith(("result.denied.", "result.unable."))]
    assert PETITION in DECISION_REPLY_TYPES and "第三十九条第一款" in REPLY_TYPES[PETITION].article


def test_applicant_kinds_are_the_columns_of_table_three():
    assert APPLICANT_KINDS == [c for c in spec.get_format(spec.GOV2021).columns if c != "total"]
    assert APPLICANT_KINDS[0] == "natural_person"
