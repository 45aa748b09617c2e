"""Small factories for tests: agencies with valid credit codes, staff with roles."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from gongkai.agencies import actions
from gongkai.agencies.models import Agency, Kind, Level
from gongkai.law.identifiers import credit_code_check_char

_seq = itertools.count(1)
PASSWORD = "test-pass-2026x"


def make_agency(name: str | None = None, supervisor: Agency | None = None, **extra) -> Agency:
    n = next(_seq)
    first17 = f"1141030000{n:07d}"
    fields = {
        "name": name or f"测试机关{n}",
        "credit_code": first17 + credit_code_check_char(first17),
        "level": Level.CITY,
        "kind": Kind.DEPARTMENT,
        "supervisor": supervisor,
    }
    fields.update(extra)
    return actions.agency_create(actor=None, **fields)


def make_user(username: str | None = None, *, agency: Agency | None = None, role: str | None = None, **extra):
    User = get_user_model()
    user = User.objects.create_user(username or f"user{next(_seq)}", password=PASSWORD, **extra)
    if agency is not None and role is not None:
        actions.membership_grant(user, agency, role, actor=None)
    return user
