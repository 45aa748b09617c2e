"""Publishing a signed annual report: the two publication actions run in order.

Not an action itself: each step is its own transaction (a refused page stays a draft).
"""

from __future__ import annotations

from .actions.publication import report_page_prepare, report_page_publish


def report_publish(report, *, actor):
    """Publish the signed revision: the portal's 年报 column page and the public downloads.

    Two actions, two transactions (`actions.publication`): the page is first saved as a
    draft revision (kept even when the portal refuses, so its 保密审查 reviewer has a page
    to review), then published through the portal's guard together with the report's
    state change. Each step writes its own audit event.
    """
    prepared = report_page_prepare(report, actor=actor)
    revision = report_page_publish(report, prepared, actor=actor)
    report.refresh_from_db()
    return revision
