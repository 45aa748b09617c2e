"""Run the self-inspection: the facts of a site on a day, judged by the rules in force, kept per day.

`rules_in_force()` reads ``settings.GONGKAI_INSPECTION_RULES`` (a province's 考核细则 file in the
format of ``gongkai/law/inspection_rules/national-2019.json``; empty = the national rules).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from gongkai.law import inspection as rules
from gongkai.portal.models.sites import PortalSite

from . import actions
from .facts import site_facts


def rules_in_force() -> rules.RuleSet:
    path = getattr(settings, "GONGKAI_INSPECTION_RULES", "")
    return rules.load_rules(path) if path else rules.default_rules()


def inspect(site: PortalSite, on: date, ruleset: rules.RuleSet | None = None) -> rules.Inspection:
    ruleset = ruleset or rules_in_force()
    return rules.inspect_site(site_facts(site, on, ruleset), ruleset)


def inspect_and_keep(site: PortalSite, on: date, *, actor=None) -> tuple[rules.Inspection, object]:
    result = inspect(site, on)
    return result, actions.inspection_record(site, result, actor=actor)


def sites_of(agency_ids) -> list[PortalSite]:
    return list(PortalSite.objects.filter(agency_id__in=agency_ids).select_related("agency", "site")
                .order_by("agency__name"))
