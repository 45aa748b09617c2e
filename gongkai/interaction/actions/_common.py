"""Helpers shared by the message actions: the handler check, departments, dates."""

from __future__ import annotations

from datetime import date, datetime

from gongkai.core import clock
from gongkai.core.domain import DomainError

from ..models import Department, Message
from ..permissions import handles_messages


def _require_handler(actor, agency) -> None:
    if actor is not None and not handles_messages(actor, agency):
        raise DomainError("您不是本机关的留言办理人员（留言办理或公开工作机构负责人），不能办理该留言。")


def _department(agency, department) -> Department | None:
    if department is None:
        return None
    if department.agency_id != agency.pk:
        raise DomainError("办理部门不属于本机关，请重新选择。", field="department")
    if not department.is_active:
        raise DomainError(f"办理部门“{department.name}”已停用，请选择其他部门。", field="department")
    return department


def _check_day(on: date, message: Message | None = None, what: str = "日期") -> date:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise DomainError(f"请填写{what}（格式 YYYY-MM-DD）。")
    if on > clock.today():
        raise DomainError(f"{what}不能晚于今天。")
    if message is not None and on < message.received_on:
        raise DomainError(f"{what}不能早于受理日期 {message.received_on:%Y-%m-%d}。")
    return on


def _dept_name(department) -> str | None:
    return department.name if department is not None else None
