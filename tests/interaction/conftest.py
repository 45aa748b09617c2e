from __future__ import annotations

import itertools
from datetime import date

import pytest

from gongkai.agencies.roles import Role
from tests.factories import make_user

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def handler(agency):
    return make_user("handler", agency=agency, role=Role.MESSAGE_HANDLER, email="handler@example.invalid")


@pytest.fixture
def head(agency):
    return make_user("head", agency=agency, role=Role.OFFICE_HEAD, email="head@example.invalid")


@pytest.fixture
def department(agency):
    from gongkai.interaction.models import Department

    return Department.objects.create(agency=agency, name="优抚科")


@pytest.fixture
def department2(agency):
    from gongkai.interaction.models import Department

    return Department.objects.create(agency=agency, name="安置科")


def make_message(agency, **fields):
    """A registered message (no audit assertions here: tests of actions use the action)."""
    from gongkai.interaction import actions

    n = next(_seq)
    values = dict(
        actor=None, category="consult", channel="website", title=f"关于优待证办理的咨询{n}",
        content=f"请问退役军人优待证在哪里办理，需要带什么材料？编号{n}", writer_name="张三",
        writer_phone="13812345678", writer_email="zhangsan@example.invalid", wants_public=True,
        received_on=date(2026, 3, 2),
    )
    values.update(fields)
    return actions.message_register(agency, **values)
