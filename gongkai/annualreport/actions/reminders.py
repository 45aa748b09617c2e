"""Reminding the office heads that the year's report is not yet published."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core.domain import action, unchanged

from .. import selectors
from ..models import AnnualReport, ReminderSent


@action("annualreport.reminder_send")
def reminder_send(agency, year: int, *, on: date) -> ReminderSent | None:
    """Remind the office heads (once a day) that the year's report is not yet published."""
    if ReminderSent.objects.filter(agency=agency, year=year, sent_on=on).exists():
        unchanged()  # already reminded today
        return None
    User = get_user_model()
    recipients = sorted(set(
        User.objects.filter(memberships__agency=agency, memberships__role=Role.OFFICE_HEAD, is_active=True)
        .exclude(email="").values_list("email", flat=True)))
    if not recipients:
        unchanged()  # no office head with an e-mail address: nobody to remind
        return None
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    due = selectors.deadline(agency, year)
    state = report.get_status_display() if report else "尚未建立"
    row = ReminderSent.objects.create(agency=agency, year=year, sent_on=on, recipients=recipients)
    record("annualreport.reminder_send", actor=None, agency=agency, subject=row,
           new={"year": year, "state": str(state), "deadline": due.isoformat(), "recipients": len(recipients)})
    days = (due - on).days
    if days >= 0:
        when = f"距公开期限（{due:%Y年%m月%d日}）还有 {days} 天"
    else:
        when = f"已超过公开期限（{due:%Y年%m月%d日}）{-days} 天"
    subject = f"【年度报告提醒】{agency.name}{year}年度政府信息公开工作年度报告尚未公开"
    body = (f"{agency.name}{year}年度政府信息公开工作年度报告当前状态：{state}。\n{when}"
            f"（《中华人民共和国政府信息公开条例》第四十九条）。\n请登录平台完成检查、签发和公开：\n"
            f"{_admin_url(agency, year)}\n\n此邮件由政府信息公开平台自动发送，报告公开后不再提醒。")
    transaction.on_commit(lambda: _mail(subject, body, recipients))
    return row


def _admin_url(agency, year: int) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("annualreport_admin:index") + f"?year={year}"


def _mail(subject: str, body: str, recipients: list[str]) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # noqa: BLE001 - a mail outage must not undo the record
        logging.getLogger(__name__).exception("annual report reminder mail failed")
