import pytest
from django.core.exceptions import ValidationError

from gongkai.agencies import actions
from gongkai.agencies.models import Kind, Level, Membership
from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_agency_create_writes_one_audit_event():
    admin = make_user("root", is_superuser=True)
    agency = actions.agency_create(
        actor=admin, name="洛阳市退役军人事务局", credit_code="11410300MB1795630N",
        level=Level.CITY, kind=Kind.DEPARTMENT,
    )
    events = list(AuditEvent.objects.filter(action="agencies.create"))
    assert len(events) == 1
    event = events[0]
    assert event.actor == admin and event.agency == agency
    assert event.subject_type == "agencies.agency" and event.subject_id == str(agency.pk)
    assert event.new["credit_code"] == "11410300MB1795630N"


def test_agency_create_refuses_bad_credit_code_and_stores_nothing():
    with pytest.raises(ValidationError) as exc:
        actions.agency_create(actor=None, name="错误代码局", credit_code="11410300MB1795630A",
                              level=Level.CITY, kind=Kind.DEPARTMENT)
    assert "校验位" in str(exc.value)
    assert not AuditEvent.objects.exists()


def test_agency_update_audits_only_the_changed_fields():
    agency = make_agency("甲局")
    actions.agency_update(agency, actor=None, short_name="甲")
    event = AuditEvent.objects.get(action="agencies.update")
    assert event.old == {"short_name": ""} and event.new == {"short_name": "甲"}
    actions.agency_update(agency, actor=None, short_name="甲")  # no change, no event
    assert AuditEvent.objects.filter(action="agencies.update").count() == 1


def test_role_grant_and_revoke_are_audited_and_sync_groups():
    agency = make_agency()
    user = make_user("editor1")
    membership = actions.membership_grant(user, agency, Role.EDITOR, actor=None)
    assert user.groups.filter(name="编辑").exists()
    assert user.has_perm("wagtailadmin.access_admin")
    grant = AuditEvent.objects.get(action="agencies.role_grant")
    assert grant.new == {"user": "editor1", "role": "editor"} and grant.agency == agency
    with pytest.raises(DomainError, match="无需重复授予"):
        actions.membership_grant(user, agency, Role.EDITOR, actor=None)
    actions.membership_revoke(membership, actor=None)
    assert not Membership.objects.filter(user=user).exists()
    assert not user.groups.filter(name="编辑").exists()
    revoke = AuditEvent.objects.get(action="agencies.role_revoke")
    assert revoke.old == {"user": "editor1", "role": "editor"}


def test_audit_events_cannot_be_changed_or_deleted():
    make_agency()
    event = AuditEvent.objects.first()
    from gongkai.audit.models import AuditImmutableError

    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.update(action="x")
