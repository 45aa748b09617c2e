"""Reads of the self-inspection results: an agency's own sites, a supervising office's subordinate sites."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.agencies.access import member_agency_ids, supervised_agency_ids
from gongkai.agencies.roles import Role
from gongkai.portal.models.sites import PortalSite

from .models import SiteInspection

LEVEL_LABELS = {"veto": "单项否决", "risk": "否决风险", "deduct": "扣分", "warn": "提醒", "unchecked": "未能检查"}
LEVEL_ORDER = {"veto": 0, "risk": 1, "deduct": 2, "warn": 3, "unchecked": 4}
STATE_CLASS = {"合格": "ok", "存在单项否决风险": "warn", "不合格": "bad"}
TREND_DAYS = 30


def item_url(ref: str) -> str:
    """The staff screen of what a finding names (`page:N`, `message:N`, as `facts` writes them), or ''."""
    from django.urls import reverse

    kind, _, pk = (ref or "").partition(":")
    if not pk.isdigit():
        return ""
    if kind == "page":
        return reverse("wagtailadmin_pages:edit", args=[int(pk)])
    if kind == "message":
        return reverse("interaction_admin:case", args=[int(pk)])
    return ""


def own_site_ids(user) -> set[int]:
    """Sites of the agencies the user works in (any role)."""
    return set(PortalSite.objects.filter(agency_id__in=member_agency_ids(user)).values_list("pk", flat=True))


def supervised_site_ids(user) -> set[int]:
    own = member_agency_ids(user, roles={Role.SUPERVISOR})
    return set(PortalSite.objects.filter(agency_id__in=supervised_agency_ids(own)).values_list("pk", flat=True))


def visible_site_ids(user) -> set[int]:
    return own_site_ids(user) | supervised_site_ids(user)


@dataclass
class SiteRow:
    site: PortalSite
    latest: SiteInspection | None
    history: list[SiteInspection] = field(default_factory=list)  # oldest first, at most TREND_DAYS

    @property
    def findings(self) -> list[dict]:
        """The latest findings, most serious first; each item with the admin ``url`` of what it names."""
        found = (self.latest.result.get("findings", []) if self.latest else [])
        for finding in found:
            for item in finding["items"]:
                item["url"] = item_url(item["ref"])
        return sorted(found, key=lambda f: LEVEL_ORDER.get(f["level"], 9))

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f["level"] == level)

    @property
    def counts(self) -> dict[str, int]:
        return {level: self.count(level) for level in LEVEL_LABELS}

    @property
    def codes(self) -> set[str]:
        return {f["code"] for f in self.findings if f["level"] != "unchecked"}

    @property
    def state_class(self) -> str:
        return STATE_CLASS.get(self.latest.state, "") if self.latest else ""

    @property
    def trend(self) -> list[float]:
        """The daily scores, oldest first (a day with a single veto counts as 0)."""
        return [h.score if h.score is not None else 0.0 for h in self.history]

    @property
    def sparkline(self) -> str:
        """SVG polyline points of the trend in a 120 × 28 box (score 0 at the bottom, 100 at the top)."""
        values = self.trend
        if len(values) < 2:
            return ""
        step = 120 / (len(values) - 1)
        return " ".join(f"{i * step:.1f},{28 - min(max(v, 0), 100) * 0.26 - 1:.1f}" for i, v in enumerate(values))


def site_rows(site_ids, *, days: int = TREND_DAYS) -> list[SiteRow]:
    sites = list(PortalSite.objects.filter(pk__in=site_ids).select_related("agency", "site").order_by("agency__name"))
    history: dict[int, list[SiteInspection]] = {s.pk: [] for s in sites}
    for row in SiteInspection.objects.filter(site_id__in=[s.pk for s in sites]).order_by("site_id", "-on"):
        if len(history[row.site_id]) < days:
            history[row.site_id].append(row)
    return [SiteRow(site=s, latest=(history[s.pk][0] if history[s.pk] else None),
                    history=list(reversed(history[s.pk]))) for s in sites]


def finding_choices(rows: list[SiteRow]) -> list[tuple[str, str]]:
    """(code, title) of every finding present in the rows, for the filter."""
    seen: dict[str, str] = {}
    for row in rows:
        for f in row.findings:
            if f["level"] != "unchecked":
                seen.setdefault(f["code"], f["title"])
    return sorted(seen.items())
