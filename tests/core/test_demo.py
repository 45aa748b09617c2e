import pytest
from django.apps import apps
from django.core.management import call_command

from gongkai.agencies.models import Agency, Membership
from gongkai.agencies.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "contenttypes", "auth", "audit", "wagtailsearch"}
    }


def test_demo_loads_once_with_one_user_per_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo2026gongkai" in out
    agency = Agency.objects.get(name="洛阳市退役军人事务局")
    assert agency.is_demo and agency.supervisor.name == "洛阳市人民政府办公室"
    assert set(Membership.objects.values_list("role", flat=True)) == {r.value for r in Role}
    first = _counts()
    call_command("load_demo")
    assert _counts() == first, "a second run must not duplicate anything"
