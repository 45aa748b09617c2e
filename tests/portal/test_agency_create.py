"""`gongkai agency create`: one step gives a new agency its site, groups, workflow and office head — or nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site, Workflow

from gongkai.agencies.models import Agency, Membership
from gongkai.audit.models import AuditEvent
from gongkai.cli import main as cli_main
from gongkai.law.identifiers import credit_code_check_char
from gongkai.portal.models.pages import HomePage
from tests.factories import make_agency

pytestmark = pytest.mark.django_db

FIRST17 = "11410300MB1234567"
CODE = FIRST17 + credit_code_check_char(FIRST17)


def create(*extra):
    return cli_main(["agency", "create", "洛阳市民政局", "--credit-code", CODE, "--host", "mzj.example.gov.cn",
                     "--short-name", "市民政局", *extra])


def test_one_command_creates_the_agency_its_site_groups_workflow_and_head(capsys):
    supervisor = make_agency("洛阳市人民政府办公室")
    assert create("--supervisor", supervisor.name, "--head", "mzj_head", "--head-email", "head@example.invalid",
                  "--level", "市级") == 0
    out = capsys.readouterr().out
    agency = Agency.objects.get(credit_code=CODE)
    assert (agency.name, agency.short_name, agency.level, agency.supervisor) == ("洛阳市民政局", "市民政局", "city", supervisor)
    home = HomePage.objects.get(agency=agency)
    site = Site.objects.get(root_page=home)
    assert (site.hostname, site.port, home.live) == ("mzj.example.gov.cn", 80, True)
    assert Group.objects.filter(name__startswith="市民政局·").count() == 5
    workflow = Workflow.objects.get(name="信息发布审核·市民政局")
    assert [t.name for t in workflow.tasks] == ["初审·市民政局", "保密审查·市民政局", "签发·市民政局"]
    head = get_user_model().objects.get(username="mzj_head")
    assert Membership.objects.filter(user=head, agency=agency, role="office_head").exists()
    assert head.groups.filter(name="市民政局·公开工作机构负责人").exists()
    password = out.split("初始密码 ")[1].split("（")[0]
    assert head.check_password(password) and head.is_staff
    assert "http://mzj.example.gov.cn/" in out and "初审 → 保密审查 → 签发" in out
    event = AuditEvent.objects.get(action="portal.agency_site_create")
    assert event.agency_id == agency.pk and event.new["site"] == "mzj.example.gov.cn"
    assert AuditEvent.objects.filter(action="agencies.create", agency=agency).exists()


@pytest.mark.parametrize("extra, message", [
    (("--host", "mzj_example"), "主机名“mzj_example”无效"),
    (("--level", "省部级"), "层级“省部级”无效"),
    (("--kind", "事业单位"), "类型“事业单位”无效"),
    (("--supervisor", "不存在的机关"), "找不到机关“不存在的机关”"),
    (("--head", "a b"), "用户名“a b”无效"),
])
def test_bad_input_creates_nothing_and_says_what_to_fix(capsys, extra, message):
    before = (Agency.objects.count(), Site.objects.count(), Group.objects.count())
    assert create(*extra) == 2
    assert message in capsys.readouterr().err
    assert (Agency.objects.count(), Site.objects.count(), Group.objects.count()) == before


def test_a_taken_host_a_bad_credit_code_or_a_taken_username_creates_nothing(capsys):
    assert create() == 0
    capsys.readouterr()
    before = (Agency.objects.count(), Site.objects.count(), Group.objects.count())
    assert cli_main(["agency", "create", "洛阳市商务局", "--credit-code", "11410300MB123456X", "--host", "swj.example.gov.cn"]) == 2
    assert "统一社会信用代码应为18位" in capsys.readouterr().err
    other17 = "11410300MB7654321"
    other = other17 + credit_code_check_char(other17)
    assert cli_main(["agency", "create", "洛阳市商务局", "--credit-code", other, "--host", "MZJ.example.gov.cn"]) == 2
    assert "已由“洛阳市民政局”使用" in capsys.readouterr().err
    get_user_model().objects.create_user("taken_user", password="x" * 12)
    assert cli_main(["agency", "create", "洛阳市商务局", "--credit-code", other, "--host", "swj.example.gov.cn",
                     "--head", "taken_user"]) == 2
    assert "用户名“taken_user”已存在" in capsys.readouterr().err
    assert (Agency.objects.count(), Site.objects.count(), Group.objects.count()) == before
    assert not Agency.objects.filter(name="洛阳市商务局").exists()


def _form(**changes):
    data = {"name": "洛阳市民政局", "short_name": "市民政局", "credit_code": CODE, "level": "city", "kind": "department",
            "host": "mzj.example.gov.cn", "port": "80", "head_username": "mzj_head2", "head_email": ""}
    data.update(changes)
    return data


def test_administrators_create_an_agency_in_the_admin_and_bad_input_keeps_what_was_typed(client):
    from tests.factories import make_user
    from tests.helpers.foreign import login

    staff_agency = make_agency("某局")
    login(client, make_user("agency_officer", agency=staff_agency, role="office_head", is_staff=True))
    assert client.get("/admin/portal/agencies/new/").status_code == 403
    assert client.post("/admin/portal/agencies/new/", _form()).status_code == 403
    assert not Agency.objects.filter(credit_code=CODE).exists()

    login(client, make_user("agency_admin", is_superuser=True, is_staff=True))
    wrong = FIRST17 + ("0" if CODE[-1] != "0" else "1")
    response = client.post("/admin/portal/agencies/new/", _form(credit_code=wrong))
    body = response.content.decode()
    assert response.status_code == 400 and "校验位不正确" in body and 'value="洛阳市民政局"' in body
    assert not Agency.objects.filter(name="洛阳市民政局").exists()
    response = client.post("/admin/portal/agencies/new/", _form(host="mzj_example"))
    assert response.status_code == 400 and "主机名“mzj_example”无效" in response.content.decode()
    assert not Agency.objects.filter(name="洛阳市民政局").exists() and not Site.objects.filter(hostname="mzj_example").exists()

    response = client.post("/admin/portal/agencies/new/", _form(host="www.example.gov.cn/bm/mzj_1"))
    body = response.content.decode()
    assert response.status_code == 400 and "只能含小写字母和数字" in body and 'value="www.example.gov.cn/bm/mzj_1"' in body

    response = client.post("/admin/portal/agencies/new/", _form(host="www.example.gov.cn/bm/mzj"))
    body = response.content.decode()
    assert response.status_code == 200 and "已新建机关：洛阳市民政局" in body and "initial-password" in body
    assert 'href="http://www.example.gov.cn/bm/mzj/"' in body
    assert Site.objects.filter(hostname="bm-mzj.www.example.gov.cn").exists()
    head = get_user_model().objects.get(username="mzj_head2")
    password = body.split('class="initial-password">')[1].split("<")[0]
    assert head.check_password(password)
    assert HomePage.objects.filter(agency__credit_code=CODE).exists()
    assert AuditEvent.objects.get(action="portal.agency_site_create").actor.username == "agency_admin"
