"""The daily duty: windows that ended with nothing recorded move their cases on by themselves.

Finds the open cases with an unanswered consultation or an unpaid fee, asks the law core
(`gongkai.law.lapses`) which windows have lapsed, and runs `actions.application_apply_lapses`
on each such case, one transaction per case (a refused case does not stop the others).
Idempotent: a lapse once recorded is no longer open, so a second run finds nothing.
Run by the scheduler every day (`gongkai.core.schedule`, “征求意见、缴费期限届满处理”) and by
`manage.py lapse_windows [--dry-run]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from gongkai.calendars.services import current_calendar
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError
from gongkai.law.lapses import Lapse, LapseCheck, lapsed_windows

from . import actions, caseclock
from .models import OPEN_STATUSES, Application, CaseNotice, Status


@dataclass
class CaseRun:
    application: Application
    lapses: list[Lapse]
    error: str = ""


@dataclass
class Run:
    today: date
    dry_run: bool
    cases: list[CaseRun] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(len(c.lapses) for c in self.cases if not c.error)


def candidates(agency_ids=None):
    """Open cases with a consultation still unanswered or a fee still unpaid."""
    qs = Application.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(status=Status.AWAITING_FEE) | Q(consultations__answered_on__isnull=True, consultations__isnull=False))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs.distinct().select_related("agency").order_by("agency_id", "id")


def check(app: Application, today: date | None = None) -> LapseCheck:
    """What has lapsed on the case, what will lapse when, and what cannot lapse by itself (why)."""
    if app.status not in OPEN_STATUSES:
        return LapseCheck((), ())
    return lapsed_windows(caseclock.case_events(app), current_calendar(), today=today or system_clock.today())


def run(*, dry_run: bool = False, agency_ids=None) -> Run:
    today = system_clock.today()
    result = Run(today, dry_run)
    for app in candidates(agency_ids):
        lapses = list(check(app, today).lapses)
        if not lapses:
            continue
        case = CaseRun(app, lapses)
        if not dry_run:
            try:
                case.lapses = actions.application_apply_lapses(app, actor=None)
            except DomainError as exc:
                case.error = str(exc)
        if case.lapses or case.error:
            result.cases.append(case)
    return result


def unseen_notices(*, agency_ids):
    """What the system did by itself on the cases of these agencies that no handler has read yet."""
    return (CaseNotice.objects.filter(agency_id__in=agency_ids, seen_at__isnull=True)
            .select_related("application", "agency").order_by("on", "id"))
