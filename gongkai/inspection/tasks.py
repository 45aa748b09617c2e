"""Background jobs of the self-inspection, through Django's Tasks API: the link crawl and the availability probes.

The schedule (gongkai.core.schedule) runs the management commands ``inspection_crawl`` (daily)
and ``inspection_probe``; these jobs let other code ask for a crawl or a round of probes
without waiting for it. A crawl or a probe records its own failure (``LinkCheckRun.error``,
a failed `AvailabilityProbe`), so the jobs themselves do not fail on a site that is down.
"""

from __future__ import annotations

import logging

from django_tasks import task

from gongkai.portal.models.sites import PortalSite

from .crawl import crawl_site
from .probe import probe_site

log = logging.getLogger(__name__)


@task()
def crawl_site_task(site_id: int) -> str:
    """Crawl one site (a `PortalSite` id); returns a one-line summary."""
    site = PortalSite.objects.select_related("site").filter(pk=site_id).first()
    if site is None:
        return "skipped"
    run = crawl_site(site)
    if run.error:
        return f"failed: {run.error}"
    return f"done: {run.pages} pages, {run.links} links, {len(run.problems)} problems"


@task()
def probe_sites_task() -> str:
    """Probe every site once; returns how many visits succeeded."""
    ok = total = 0
    for site in PortalSite.objects.select_related("site").order_by("pk"):
        try:
            probe = probe_site(site)
        except Exception:  # noqa: BLE001 — one site's trouble (e.g. its database row) does not stop the others
            log.exception("availability probe of %s failed", site)
            continue
        total += 1
        ok += probe.ok
    return f"{ok}/{total} ok"


def probe_when_due() -> bool:
    """Beat duty (core.schedule.BEAT_DUTIES): a round of probes when the last one is older than the interval.

    ``GONGKAI_PROBE_EVERY_MINUTES`` (default 30: 48 visits a day, above the 20 the 检查指标 ask
    for; 0 turns probing off). Two workers may both queue a round in the same minute: one
    more visit is harmless.
    """
    from datetime import timedelta

    from django.conf import settings

    from gongkai.core import clock

    from .models import AvailabilityProbe

    minutes = int(getattr(settings, "GONGKAI_PROBE_EVERY_MINUTES", 30) or 0)
    if minutes <= 0 or not PortalSite.objects.exists():
        return False
    if AvailabilityProbe.objects.filter(at__gte=clock.now() - timedelta(minutes=minutes)).exists():
        return False
    probe_sites_task.enqueue()
    return True
