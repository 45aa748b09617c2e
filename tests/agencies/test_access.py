import pytest

from gongkai.agencies.access import can_change, can_view, visible_agency_ids
from gongkai.agencies.models import Agency, Membership
from gongkai.agencies.roles import Role
from tests.factories import make_agency, make_user
from tests.helpers.isolation import assert_agency_isolation

pytestmark = pytest.mark.django_db


def test_supervising_office_reads_down_the_tree_but_changes_nothing():
    office = make_agency("市政府办公室")
    bureau = make_agency("市某局", supervisor=office)
    township = make_agency("某镇", supervisor=bureau)
    unrelated = make_agency("外市某局")
    inspector = make_user("inspector", agency=office, role=Role.SUPERVISOR)
    assert visible_agency_ids(inspector) == {office.pk, bureau.pk, township.pk}
    assert can_view(inspector, township) and not can_view(inspector, unrelated)
    assert can_change(inspector, office) and not can_change(inspector, bureau)


def test_staff_see_only_their_agency_and_sysadmin_sees_all():
    a, b = make_agency(), make_agency()
    staff = make_user(agency=a, role=Role.EDITOR)
    admin = make_user(agency=a, role=Role.SYSADMIN)
    assert visible_agency_ids(staff) == {a.pk}
    assert visible_agency_ids(admin) == set(Agency.objects.values_list("pk", flat=True))


def test_agency_admin_isolation(client):
    assert_agency_isolation(
        client, model=Agency, make=lambda agency: agency,
        admin_prefix="/admin/snippets/agencies/agency/", role=Role.OFFICE_HEAD,
        label=lambda agency: agency.name, own_view="inspect",
    )


def test_membership_admin_isolation(client):
    def make(agency):
        return Membership.objects.create(user=make_user(f"m_{agency.pk}"), agency=agency, role=Role.EDITOR)

    assert_agency_isolation(
        client, model=Membership, make=make, admin_prefix="/admin/snippets/agencies/membership/",
        role=Role.OFFICE_HEAD, label=lambda m: m.user.username, own_view="inspect",
    )
