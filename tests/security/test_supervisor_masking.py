"""The supervising office reads a subordinate agency's applicant, but never the full ID number or phone.

The 政务公开办 role reads down the supervision tree (条例 supervision duty) but holds no
case: under 《个人信息保护法》 it must see personal data only masked. The test opens the
applicant's inspect page (positive control: it is readable, masked) and then every staff
page the supervisor can reach, filled with the subordinate agency's ids, and looks for
the full ID number and phone in each.
"""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.agencies.roles import Role
from tests.factories import make_user
from tests.helpers.foreign import ID_NUMBER, PHONE, build_world, login
from tests.helpers.urlwalk import Probe, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_and_supervisor(db):
    world = build_world()
    supervisor = make_user("subordinate_supervisor", agency=world.foreign_supervisor, role=Role.SUPERVISOR)
    return world, supervisor


def _applicant(world):
    return next(obj for obj in world.objects if type(obj).__name__ == "Applicant")


def test_supervisor_reads_applicant_masked(client, world_and_supervisor):
    world, supervisor = world_and_supervisor
    applicant = _applicant(world)
    login(client, supervisor)
    response = client.get(f"/admin/snippets/applications/applicant/inspect/{applicant.pk}/")
    assert response.status_code == 200, "the supervising office reads down the tree"
    body = response.content.decode()
    assert applicant.name in body
    assert ID_NUMBER not in body and PHONE not in body
    assert ID_NUMBER[:4] in body and "*" in body, "the ID number is shown masked, not left out"


def test_case_staff_still_read_their_own_applicant(client, world_and_supervisor):
    """The masking depends on the reader: the agency's own officer is not masked by supervision rules."""
    world, _ = world_and_supervisor
    from gongkai.agencies.admin_scoping import is_supervised_read

    applicant = _applicant(world)
    assert not is_supervised_read(world.foreign_users["officer"], applicant)
    login(client, world.foreign_users["officer"])
    response = client.get(f"/admin/snippets/applications/applicant/inspect/{applicant.pk}/")
    assert response.status_code == 200


@pytest.mark.heavy
def test_no_page_the_supervisor_opens_shows_full_id_or_phone(settings, world_and_supervisor):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    world, supervisor = world_and_supervisor
    probe = Probe([ID_NUMBER, PHONE])
    patterns, requested, _ = walk(lambda: Client(raise_request_exception=False), {"supervisor": supervisor},
                                  world.objects, probe, methods=("GET",))
    print(f"\nsupervisor masking: {len(requested)} patterns, {probe.requests} GET requests")
    assert not probe.problems, "\n".join(probe.problems[:40])
