"""Keep one day's inspection result of one site (re-running the same day replaces it)."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import action
from gongkai.law.inspection import Inspection

from ..models import SiteInspection


@action("inspection.record")
def inspection_record(site, result: Inspection, *, actor=None) -> SiteInspection:
    previous = SiteInspection.objects.filter(site=site, on=result.on).first()
    row, _ = SiteInspection.objects.update_or_create(
        site=site, on=result.on,
        defaults={"agency_id": site.agency_id, "rules": result.rules, "state": result.state, "score": result.score,
                  "deduction_score": result.deduction_score, "result": result.to_dict()})
    record("inspection.record", actor=actor, agency=site.agency, subject=row,
           old=None if previous is None else {"state": previous.state, "score": previous.score},
           new={"on": result.on.isoformat(), "state": result.state, "score": result.score,
                "findings": len(result.findings)})
    return row
