"""Staff of one agency cannot edit another agency's pages, settings or keywords."""

from __future__ import annotations

import pytest

from gongkai.agencies.roles import Role
from gongkai.portal.review import ScanKeyword
from gongkai.portal.setup import ensure_agency_portal
from gongkai.portal.models.sites import PortalSite
from tests.helpers.isolation import assert_agency_isolation

from .conftest import make_policy

pytestmark = pytest.mark.django_db


def test_editor_cannot_edit_other_agencies_pages(client, agency, other_agency, column, staff_factory):
    from gongkai.portal.models.pages import ColumnPage

    other_home = ensure_agency_portal(other_agency, hostname="other.testserver")
    other_column = ColumnPage(title="工作动态", slug="gzdt")
    other_home.add_child(instance=other_column)
    theirs = make_policy(other_column, title="他局文件")
    ours = make_policy(column, title="本局文件")
    assert theirs.agency_id == other_agency.pk and ours.agency_id == agency.pk

    editor = staff_factory(agency, role=Role.EDITOR, username="scoped_editor")
    client.force_login(editor)
    assert client.get(f"/admin/pages/{ours.pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{theirs.pk}/edit/")
    assert response.status_code in (302, 403)
    before = theirs.title
    client.post(f"/admin/pages/{theirs.pk}/edit/", {"title": "篡改", "slug": theirs.slug})
    theirs.refresh_from_db()
    assert theirs.title == before
    assert client.get(f"/admin/pages/add/portal/articlepage/{other_column.pk}/").status_code in (302, 403)
    assert not ours.permissions_for_user(editor).can_publish()  # editors go through the workflow
    from gongkai.portal.models.page_base import DisclosablePage

    visible = set(DisclosablePage.objects.visible_to(editor).values_list("pk", flat=True))
    assert ours.pk in visible and theirs.pk not in visible


def test_portal_site_isolation(client, db):
    from wagtail.models import Site

    def make(agency):
        home = ensure_agency_portal(agency, hostname=f"h{agency.pk}.example")
        return PortalSite.objects.get(agency=agency, site=Site.objects.get(root_page=home))

    assert_agency_isolation(client, model=PortalSite, make=make, role=Role.OFFICE_HEAD,
                            admin_prefix="/admin/snippets/portal/portalsite/")


def test_scan_keyword_isolation(client, db):
    assert_agency_isolation(client, model=ScanKeyword,
                            make=lambda agency: ScanKeyword.objects.create(agency=agency, word=f"词{agency.pk}"),
                            role=Role.CONFIDENTIALITY_REVIEWER, admin_prefix="/admin/snippets/portal/scankeyword/")
