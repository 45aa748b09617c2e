"""Builders for application tests."""

from __future__ import annotations

from datetime import date

from gongkai.applications import actions

PERSON = {"kind": "natural_person", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
          "phone": "13800138000", "email": "zhangsan@example.invalid", "address": "洛阳市西工区中州中路1号"}
COMPANY = {"kind": "commercial", "name": "洛阳示例科技有限公司", "id_type": "credit_code",
           "id_number": "91410300MA44XY1C0K", "phone": "0379-63900000", "contact_person": "李四"}


def person(**extra) -> dict:
    return {**PERSON, **extra}


def register(agency, actor=None, *, received: date = date(2026, 3, 2), channel="in_person", applicant=None,
             description="请公开2025年度本局退役军人优抚资金发放汇总表。", **extra):
    kwargs = dict(channel=channel, submitted_on=received, subject="", description=description)
    if channel in ("online", "fax", "ordinary_mail", "other"):
        kwargs["confirmed_on"] = received
    if channel == "registered_mail":
        kwargs["signed_for_on"] = received
    kwargs.update(extra)
    return actions.application_register(agency=agency, actor=actor, applicant=applicant or person(), **kwargs)
