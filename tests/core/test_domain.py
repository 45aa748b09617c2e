"""gongkai.core.domain: the action decorator, lock, require_status and DomainError, on real rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.audit.models import AuditEvent
from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, require_status, unchanged

pytestmark = pytest.mark.django_db


def _department(agency, name):
    from gongkai.interaction.models import Department

    return Department.objects.create(agency=agency, name=name)


def _exists(name) -> bool:
    from gongkai.interaction.models import Department

    return Department.objects.filter(name=name).exists()


@action("interaction.department_create")
def create_audited(agency, name):
    """Create a department and record it."""
    row = _department(agency, name)
    record("interaction.department_create", agency=agency, subject=row, new={"name": name})
    return row


@action("interaction.department_create")
def create_silently(agency, name):
    return _department(agency, name)


@action("interaction.department_update")
def rename(department, name, *, same=False):
    if same:
        unchanged()
        return department
    department = lock(department)
    department.name = name
    department.save()
    record("interaction.department_update", agency=department.agency, subject=department, new={"name": name})
    return department


def test_an_unknown_code_fails_when_the_module_is_imported():
    with pytest.raises(ImproperlyConfigured, match="no.such_code"):
        @action("no.such_code")
        def whatever():
            pass


def test_the_wrapper_keeps_name_docstring_and_the_function():
    assert create_audited.__name__ == "create_audited"
    assert create_audited.__doc__ == "Create a department and record it."
    assert create_audited.audit_code == "interaction.department_create"
    assert create_audited.__wrapped__.__name__ == "create_audited"
    assert not hasattr(create_audited.__wrapped__, "audit_code")


def test_an_action_that_records_commits_its_writes(agency):
    row = create_audited(agency, "优抚科")
    assert _exists("优抚科") and row.pk
    assert AuditEvent.objects.filter(action="interaction.department_create", subject_id=str(row.pk)).count() == 1


def test_an_action_without_an_audit_record_raises_and_is_rolled_back(agency):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match="create_silently changed state without an audit record"):
        create_silently(agency, "安置科")
    assert not _exists("安置科"), "the row written before the check is rolled back"
    assert AuditEvent.objects.count() == before


def test_unchanged_lets_a_call_that_changes_nothing_pass(agency):
    department = create_audited(agency, "优抚科")
    before = AuditEvent.objects.count()
    assert rename(department, "ignored", same=True) == department
    assert AuditEvent.objects.count() == before
    with pytest.raises(RuntimeError, match="outside an action"):
        unchanged()


def test_a_domain_error_rolls_back_the_writes_and_the_audit_event(agency):
    @action("interaction.department_create")
    def create_then_refuse(name):
        create_audited(agency, name)
        raise DomainError("请填写部门名称。", field="name")

    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        create_then_refuse("信访科")
    assert exc.value.field == "name" and str(exc.value) == "请填写部门名称。"
    assert not _exists("信访科")
    assert AuditEvent.objects.count() == before


def test_nested_actions_the_inner_record_counts_for_the_outer(agency):
    @action("interaction.department_update")
    def create_and_rename(name):
        department = _department(agency, name)  # the outer writes and does not record itself
        return rename(department, name + "（新）")

    department = create_and_rename("优抚科")
    assert department.name == "优抚科（新）" and _exists("优抚科（新）")


def test_nested_actions_an_inner_unchanged_does_not_speak_for_the_outer(agency):
    department = create_audited(agency, "优抚科")

    @action("interaction.department_update")
    def write_and_call_an_idle_inner(name):
        _department(agency, name)
        rename(department, "ignored", same=True)

    with pytest.raises(RuntimeError, match="without an audit record"):
        write_and_call_an_idle_inner("安置科")
    assert not _exists("安置科")


def test_nested_actions_a_rolled_back_inner_record_does_not_count(agency):
    @action("interaction.department_create")
    def inner_records_then_refuses():
        create_audited(agency, "临时科")
        raise DomainError("拒绝")

    @action("interaction.department_create")
    def outer_swallows_the_refusal():
        _department(agency, "安置科")
        try:
            inner_records_then_refuses()
        except DomainError:
            pass

    with pytest.raises(RuntimeError, match="without an audit record"):
        outer_swallows_the_refusal()
    assert not _exists("临时科") and not _exists("安置科")


def test_lock_rereads_the_row(agency):
    from gongkai.interaction.models import Department

    department = create_audited(agency, "优抚科")
    Department.objects.filter(pk=department.pk).update(name="安置科")

    @action("interaction.department_update")
    def read():
        unchanged()
        return lock(department)

    fresh = read()
    assert fresh.pk == department.pk and fresh is not department and fresh.name == "安置科"


def test_require_status_names_the_record_and_its_status(agency):
    from tests.applications.helpers import register
    from tests.interaction.conftest import make_message

    message = make_message(agency)
    require_status(message, ("received",), "分办")
    with pytest.raises(DomainError, match="^该留言当前状态为“待分办”，不能转办。$"):
        require_status(message, ("in_progress",), "转办")
    application = register(agency)
    with pytest.raises(DomainError, match="^该申请当前状态为“办理中”，不能登记送达。$"):
        require_status(application, ("decided",), "登记送达")


def test_domain_error_takes_the_field_by_keyword_only():
    with pytest.raises(TypeError):
        DomainError("请填写部门名称。", "name")
    error = DomainError("导入文件有 1 处错误", field="file", items=["第 2 行：……"])
    assert isinstance(error, ValueError) and error.field == "file" and error.items == ["第 2 行：……"]
    assert DomainError("x").field is None and DomainError("x").items == []
