"""Prove that staff of agency A can neither see nor change a record of agency B.

Use it for every model that belongs to an agency:

    def test_isolation(client):
        assert_agency_isolation(client, model=Application, make=lambda agency: make_application(agency),
                                admin_prefix="/admin/snippets/applications/application/")

It creates two agencies with a staff member each, makes one record per agency with
`make(agency)`, then checks (1) `Model.objects.visible_to(user)` and
`changeable_by(user)` hide B's record from A's staff; (2) when `admin_prefix` is
given, A's staff do not find B's record in the admin list, get 404 (or 403) for its
edit / inspect / history / delete URLs, and a POST to its edit and delete URLs
changes nothing; (3) the same staff do reach their own record (so the test cannot
pass by refusing everything).
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms.models import model_to_dict

from gongkai.agencies.models import Agency
from gongkai.agencies.roles import Role
from tests.factories import make_agency, make_user

OBJECT_VIEWS = ("edit", "inspect", "history", "delete", "usage")


def _snapshot(obj):
    obj.refresh_from_db()
    return model_to_dict(obj)


def assert_agency_isolation(
    client,
    *,
    model,
    make: Callable[[Agency], object],
    admin_prefix: str | None = None,
    role: str = Role.APPLICATION_OFFICER,
    label: Callable[[object], str] = str,
    post_data: dict | None = None,
    own_view: str = "edit",
) -> None:
    agency_a = make_agency("隔离测试甲局")
    agency_b = make_agency("隔离测试乙局")
    user_a = make_user("isolation_a", agency=agency_a, role=role)
    own = make(agency_a)
    other = make(agency_b)

    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        visible = set(manager.visible_to(user_a).values_list("pk", flat=True))
        assert own.pk in visible, "staff must see their own agency's record"
        assert other.pk not in visible, "staff must not see another agency's record"
    if hasattr(manager, "changeable_by"):
        changeable = set(manager.changeable_by(user_a).values_list("pk", flat=True))
        assert own.pk in changeable and other.pk not in changeable

    if admin_prefix is None:
        return
    client.force_login(user_a)
    listing = client.get(admin_prefix)
    assert listing.status_code == 200, listing.status_code
    body = listing.content.decode()
    assert label(own) in body, "own record must be listed"
    assert label(other) not in body, "another agency's record must not be listed"

    own_page = client.get(f"{admin_prefix}{own_view}/{own.pk}/")
    assert own_page.status_code == 200, f"own record {own_view} page: {own_page.status_code}"

    before = _snapshot(other)
    for view in OBJECT_VIEWS:
        response = client.get(f"{admin_prefix}{view}/{other.pk}/")
        assert response.status_code in (403, 404), f"{view} of another agency's record: {response.status_code}"
    for view in ("edit", "delete"):
        response = client.post(f"{admin_prefix}{view}/{other.pk}/", post_data or {})
        assert response.status_code in (403, 404), f"POST {view}: {response.status_code}"
    assert model._default_manager.filter(pk=other.pk).exists(), "another agency's record was deleted"
    assert _snapshot(other) == before, "another agency's record was changed"
    client.logout()
