from __future__ import annotations

import pytest

from gongkai.agencies.roles import Role


@pytest.fixture
def officer(agency, staff_factory):
    return staff_factory(agency, Role.APPLICATION_OFFICER, "officer1")


@pytest.fixture
def head(agency, staff_factory):
    user = staff_factory(agency, Role.OFFICE_HEAD, "head1")
    user.email = "head1@example.invalid"
    user.save(update_fields=["email"])
    return user
