"""Totals are computed from their parts, once (`totals.with_totals`), and the rules agree with it."""

from __future__ import annotations

import random

import pytest

from gongkai.law.reportformat import ReportDocument, check, sample, spec
from gongkai.law.reportformat.totals import with_totals


@pytest.mark.parametrize("fid", [spec.GOV2021, spec.GOV2019])
def test_totals_of_tables_three_and_four(fid):
    fmt = spec.get_format(fid)
    parts = {"apply.new.natural_person": 3, "apply.new.commercial": 2, "apply.result.granted.natural_person": 1,
             "apply.result.partial.natural_person": 2, "apply.carried_forward.commercial": 2,
             "review.maintained": 1, "review.pending": 2, "litigation.direct.corrected": 4,
             "apply.result.total.natural_person": 99, "review.total": 99}  # stale totals are recomputed
    cells = with_totals(fmt, parts)
    assert cells["apply.new.total"] == 5
    assert cells["apply.result.total.natural_person"] == 3 and cells["apply.result.total.total"] == 3
    assert cells["apply.carried_forward.total"] == 2 and cells["apply.carried_over.total"] == 0
    assert (cells["review.total"], cells["litigation.direct.total"], cells["litigation.after_review.total"]) == (3, 4, 0)
    assert set(fmt.section3_keys + fmt.section4_keys) <= set(cells)
    assert list(cells) == [k for k in fmt.all_keys if k in cells]  # print order
    assert not check(ReportDocument(format=fid, cells=cells))  # R1 holds for these parts, R2–R4 always


def test_the_2019_result_total_sums_the_single_other_row():
    fmt = spec.get_format(spec.GOV2019)
    cells = with_totals(fmt, {"apply.result.other.research": 2, "apply.result.granted.research": 1})
    assert cells["apply.result.total.research"] == 3


@pytest.mark.parametrize("seed", range(20))
def test_sample_reports_use_the_same_totals(seed):
    doc = sample.sample_document(random.Random(seed))
    assert doc.cells == with_totals(doc.report_format, doc.cells)
