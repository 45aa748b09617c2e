from datetime import date

import pytest

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.calendars import actions
from gongkai.calendars.models import CalendarYear
from gongkai.calendars.services import current_calendar
from gongkai.calendars.signals import calendar_year_changed
from gongkai.law.calendar import CalendarDataError
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

# A made-up 2027 arrangement: 春节 2027-02-05..02-11 with 调休 on Sunday 02-14.
YEAR_2027 = """\
year: 2027
notice: 国办发明电〔2026〕99号（测试）
notice_date: 2026-11-20
rest_days:
  - 2027-01-01
  - 2027-02-05..2027-02-11
working_days:
  - 2027-02-14
"""


def test_loading_a_year_makes_it_official_and_is_audited(django_capture_on_commit_callbacks):
    admin = make_user("cal_admin", agency=make_agency(), role=Role.SYSADMIN)
    assert current_calendar().year_status(2027) == "provisional"
    received = []
    calendar_year_changed.connect(lambda sender, year, actor, **kw: received.append(year), weak=False,
                                  dispatch_uid="test-cal")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            row = actions.calendar_year_load(YEAR_2027, actor=admin)
    finally:
        calendar_year_changed.disconnect(dispatch_uid="test-cal")
    assert received == [2027]
    assert row.notice.startswith("国办发明电")
    calendar = current_calendar()
    assert calendar.year_status(2027) == "official"
    assert calendar.is_working_day(date(2027, 2, 14))  # Sunday made a working day
    assert not calendar.is_working_day(date(2027, 2, 8))  # Monday inside the holiday
    event = AuditEvent.objects.get(action="calendars.year_load")
    assert event.actor == admin and event.old is None and event.new["year"] == 2027
    assert event.new["working_days"] == ["2027-02-14"]


def test_replacing_a_year_records_old_and_new():
    actions.calendar_year_load(YEAR_2027, actor=None)
    actions.calendar_year_load(YEAR_2027.replace("  - 2027-02-14\n", ""), actor=None)
    assert CalendarYear.objects.count() == 1
    events = AuditEvent.objects.filter(action="calendars.year_load").order_by("id")
    assert events[1].old["working_days"] == ["2027-02-14"] and events[1].new["working_days"] == []
    assert not current_calendar().is_working_day(date(2027, 2, 14))


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("year: 2027\nrest_days: [2027-02-14]\nworking_days: [2027-02-14]\n", "同时列在"),
        ("year: 2027\nworking_days: [2027-02-10]\n", "星期六、星期日"),
        ("year: 2027\nrest_days: [2028-06-01]\n", "不在 2027 年内"),
        ("year: 2027\nrest_days: [2027-02-30]\n", ""),
        ("year: [\n", ""),
    ],
)
def test_bad_year_files_change_nothing(text, fragment):
    actions.calendar_year_load(YEAR_2027, actor=None)
    with pytest.raises(CalendarDataError) as exc:
        actions.calendar_year_load(text, actor=None)
    assert fragment in str(exc.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value)), "message must be Chinese"
    assert CalendarYear.objects.get().yaml_text == YEAR_2027
    assert AuditEvent.objects.filter(action="calendars.year_load").count() == 1


def test_admin_form_shows_the_error_and_keeps_the_text(client):
    admin = make_user("cal_admin2", is_superuser=True, is_staff=True)
    client.force_login(admin)
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=admin, name="x")
    device.token_set.create(token="11112222")
    client.post("/accounts/2fa/", {"token": "11112222"})
    bad = "year: 2027\nworking_days: [2027-02-10]\n"
    response = client.post("/admin/snippets/calendars/calendaryear/add/", {"yaml_text": bad})
    body = response.content.decode()
    assert response.status_code == 200
    assert "星期六、星期日" in body
    assert "2027-02-10" in body  # what was typed is still in the form
    assert not CalendarYear.objects.exists()
    response = client.post("/admin/snippets/calendars/calendaryear/add/", {"yaml_text": YEAR_2027})
    assert response.status_code == 302
    assert CalendarYear.objects.get().year == 2027
    assert AuditEvent.objects.filter(action="calendars.year_load", actor=admin).count() == 1
