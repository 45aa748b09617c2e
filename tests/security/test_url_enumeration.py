"""Every staff URL, filled with another agency's ids, leaks nothing and never fails.

The URL resolver is walked (`get_resolver()`, recursively): every pattern under /admin/
and /accounts/ — Wagtail's own, the snippet viewsets and their choosers, the apps'
`urls_admin.py`, whatever is registered next — is requested as staff of 甲局 in each
role, as staff of 甲局 holding no permission, and as an unrelated supervising office,
with its parameters filled from the records of 乙局 (a foreign agency in another
supervision tree; every record's text carries `MARKER`). No response may be a 5xx, and
no 200 response may contain the marker. A pattern that the filler cannot fill and that
is not in `NOT_REQUESTED` fails the test, so a new view is covered without anyone
adding a line here.
"""

from __future__ import annotations

import sys

import pytest
from django.test import Client

from gongkai.agencies.scope import is_agency_owned
from tests.factories import make_user
from tests.helpers.foreign import ATTACKER_ROLES, MARKER, build_world, login
from tests.helpers.urlwalk import NOT_REQUESTED, Probe, snapshot, walk

pytestmark = pytest.mark.django_db

# Each staff role of 甲局 probes on its own: a leak can hide in a branch that only a role
# with fewer permissions takes (an account holding every role missed Wagtail's workflow
# message that 编辑 and an account without permissions were shown).
ACCOUNTS = [str(r.value) for r in ATTACKER_ROLES] + ["supervisor_unrelated", "no_permissions"]
# Accounts probed with GET and POST; the others with GET (their POSTs meet the same guard).
POSTING = ("office_head", "supervisor_unrelated", "no_permissions")


@pytest.mark.heavy
@pytest.mark.parametrize("attacker", [a if a in POSTING else pytest.param(a, marks=pytest.mark.first_pass_only)
                                      for a in ACCOUNTS])
def test_every_staff_url_with_foreign_ids(settings, attacker):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    world = build_world()
    before = snapshot(world.objects)
    probe = Probe([MARKER])
    methods = ("GET", "POST") if attacker in POSTING else ("GET",)
    patterns, requested, unfillable = walk(lambda: Client(raise_request_exception=False),
                                           {attacker: world.attackers[attacker]}, world.objects + world.own_objects, probe,
                                           methods=methods)
    model_names = {type(obj)._meta.label for obj in world.objects}
    print(f"\nURL enumeration as {attacker}: {len(patterns)} staff patterns ({len(requested)} requested, "
          f"{len(NOT_REQUESTED)} allow-listed) x {len(model_names)} foreign models "
          f"({len(world.objects)} records) x {'/'.join(methods)}: "
          f"{probe.combos} pattern-record-method fillings, {probe.requests} requests", file=sys.stderr)
    assert not unfillable, f"patterns neither requested nor allow-listed: {sorted(unfillable)}"
    assert not probe.problems, "\n".join(probe.problems[:80]) + f"\n({len(probe.problems)} problems)"
    assert snapshot(world.objects) == before, "a foreign record was changed or deleted"


def test_every_agency_model_has_a_foreign_record(settings):
    """The enumeration fills URLs from one record of every agency-owned model that has an admin."""
    from wagtail.snippets.models import get_snippet_models

    world = build_world()
    have = {type(obj) for obj in world.objects}
    missing = [m._meta.label for m in get_snippet_models() if is_agency_owned(m) and m not in have]
    assert not missing, f"add a foreign record of {missing} to tests/helpers/foreign.py"


LISTINGS = [
    "/admin/snippets/choose/applications/applicant/results/",
    "/admin/snippets/choose/interaction/department/results/",
    "/admin/snippets/choose/agencies/membership/results/",
    "/admin/snippets/choose/applications/reconsideration/results/",
    "/admin/choose-page/",
    "/admin/documents/chooser/results/",
]


def test_unscoped_listings_hide_foreign_records_but_show_own(client):
    """Chooser results and lists show one's own records (so the check can fail) and never a foreign one."""
    world = build_world()
    officer_a = world.attackers["office_head"]
    login(client, officer_a)
    for url in LISTINGS:
        for query in ({}, {"q": MARKER[:-1]}):
            response = client.get(url, query)
            assert response.status_code in (200, 403), (url, response.status_code)
            assert MARKER not in response.content.decode(), url
    # The foreign agency's own officer does see the applicant in the same chooser.
    login(client, world.foreign_users["officer"])
    response = client.get("/admin/snippets/choose/applications/applicant/results/")
    assert response.status_code == 200 and MARKER in response.content.decode()


def test_role_without_permission_gets_403_not_data(client):
    world = build_world()
    login(client, world.attackers["no_permissions"])
    for url in ("/admin/snippets/choose/applications/applicant/", "/admin/snippets/choose/applications/applicant/results/",
                "/admin/users/", "/admin/reports/site-history/", "/admin/workflows/list/"):
        response = client.get(url)
        assert response.status_code == 403, (url, response.status_code)
    login(client, world.attackers["editor"])
    response = client.get("/admin/snippets/choose/applications/applicant/results/")
    assert response.status_code == 403


def test_chooser_create_and_bad_ids_are_refused_not_500(client):
    world = build_world()
    login(client, world.foreign_users["officer"])
    assert client.get("/admin/snippets/choose/applications/applicant/create/").status_code == 403
    assert client.post("/admin/snippets/choose/applications/applicant/create/", {}).status_code == 403
    assert client.get("/admin/snippets/choose/applications/applicant/chosen/abc/").status_code == 404
    root = make_user("enum_superuser", is_superuser=True, is_staff=True)
    login(client, root)
    for model in ("applications/lettertemplate", "calendars/calendaryear", "applications/applicant"):
        assert client.post(f"/admin/snippets/choose/{model}/create/", {}).status_code == 403, model
        assert client.get(f"/admin/snippets/choose/{model}/chosen/abc/").status_code == 404, model
    login(client, world.foreign_users["officer"])
    own = world.objects[1]  # the foreign agency's applicant is its own officer's record
    response = client.get(f"/admin/snippets/choose/applications/applicant/chosen/{own.pk}/")
    assert response.status_code == 200 and MARKER in response.content.decode()


def test_bulk_delete_of_foreign_records_is_refused(client):
    world = build_world()
    login(client, world.attackers["office_head"])
    department = next(o for o in world.objects if type(o).__name__ == "Department")
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"/admin/bulk/interaction/department/delete/?id={department.pk}&next=/admin/")
        assert response.status_code in (403, 404)
    assert type(department).objects.filter(pk=department.pk).exists()


def test_page_explorer_filters_offer_no_foreign_site_or_user(client):
    """The explorer's site/owner/editor filters listed every agency's sites and users (found on PostgreSQL)."""
    from wagtail.models import Page

    world = build_world()
    for label in ("office_head", "editor"):
        login(client, world.attackers[label])
        for page in Page.objects.all():
            for url in (f"/admin/pages/{page.pk}/", f"/admin/pages/{page.pk}/results/"):
                response = client.get(url)
                assert response.status_code < 500, url
                assert not (response.status_code == 200 and MARKER in response.content.decode()), (label, url)
        response = client.get(f"/admin/pages/{world.own_objects[1].pk}/")
        assert response.status_code == 200 and "甲局首页" in response.content.decode()
