import pytest

from gongkai.agencies import actions
from gongkai.agencies.roles import Role
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_office_head_sees_only_own_agency_events(client):
    mine, theirs = make_agency("本局"), make_agency("他局")
    head = make_user("head", agency=mine, role=Role.OFFICE_HEAD)
    actions.agency_update(mine, actor=None, short_name="本局简称")
    actions.agency_update(theirs, actor=None, short_name="他局简称")
    client.force_login(head)
    body = client.get("/admin/audit/").content.decode()
    assert "本局简称" in body and "他局简称" not in body
    editor = make_user("ed", agency=mine, role=Role.EDITOR)
    client.force_login(editor)
    response = client.get("/admin/audit/")
    assert response.status_code in (302, 403) and "本局简称" not in response.content.decode()
