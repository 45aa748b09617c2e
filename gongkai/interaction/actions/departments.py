"""The agency's handling departments (办理部门)."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action, lock, unchanged

from ..models import OPEN_STATUSES, Department
from ._common import _require_handler


@action("interaction.department_create")
def department_create(agency, *, actor, name: str) -> Department:
    _require_handler(actor, agency)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写部门名称。", field="name")
    if Department.objects.filter(agency=agency, name=name).exists():
        raise DomainError(f"本机关已有名为“{name}”的部门。", field="name")
    department = Department.objects.create(agency=agency, name=name)
    record("interaction.department_create", actor=actor, agency=agency, subject=department, new={"name": name})
    return department


@action("interaction.department_update")
def department_update(department: Department, *, actor, name: str | None = None,
                      is_active: bool | None = None) -> Department:
    department = lock(department)
    _require_handler(actor, department.agency)
    old = {"name": department.name, "is_active": department.is_active}
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError("请填写部门名称。", field="name")
        if Department.objects.filter(agency=department.agency, name=name).exclude(pk=department.pk).exists():
            raise DomainError(f"本机关已有名为“{name}”的部门。", field="name")
        department.name = name
    if is_active is not None:
        if not is_active and department.messages.filter(status__in=OPEN_STATUSES).exists():
            raise DomainError("该部门还有未办结的留言，请先转办后再停用。", field="is_active")
        department.is_active = is_active
    new = {"name": department.name, "is_active": department.is_active}
    if new == old:
        unchanged()
        return department
    department.save()
    diff_old = {k: v for k, v in old.items() if new[k] != v}
    record("interaction.department_update", actor=actor, agency=department.agency, subject=department,
           old=diff_old, new={k: new[k] for k in diff_old})
    return department
