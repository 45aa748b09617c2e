"""Editors' redirects work on the public site and never inside the admin."""

from __future__ import annotations

import pytest
from wagtail.contrib.redirects.models import Redirect

from tests.factories import make_user
from tests.helpers.foreign import login


@pytest.mark.django_db
def test_public_redirect_works_and_admin_addresses_are_never_redirected(client):
    Redirect.objects.create(old_path=Redirect.normalise_path("/jiu-lanmu/"), redirect_link="/xin-lanmu/")
    Redirect.objects.create(old_path=Redirect.normalise_path("/admin/jiu/"), redirect_link="https://example.com/")
    response = client.get("/jiu-lanmu/")
    assert response.status_code in (301, 302) and response["Location"].endswith("/xin-lanmu/")
    login(client, make_user("redirect_admin", is_superuser=True, is_staff=True))
    response = client.get("/admin/jiu/")
    assert response.status_code == 404 and "Location" not in response
