"""A foreign agency full of records that carry a unique marker, and the staff who must not see them.

`build_world()` creates two unrelated supervision trees:

    上级乙 (supervises) 乙局  <- the foreign agency: one record of every kind, each marked
    上级甲 (supervises) 甲局  <- the attackers' agency, with staff in several roles

plus an unrelated supervising office (丙办, supervising 丙局) that must not read 乙局 either.
Every text a page could show about a foreign record (names, titles, usernames) contains
`MARKER`, so a test finds a leak by looking for it in a response body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from gongkai.agencies.models import Membership
from gongkai.agencies.roles import Role
from tests.factories import make_agency, make_user

MARKER = "QZXMARK7"  # never appears in code or fixtures elsewhere
ID_NUMBER = "410303198001010015"  # the foreign applicant's full ID number
PHONE = "13912345678"

ATTACKER_ROLES = (
    Role.OFFICE_HEAD, Role.APPLICATION_OFFICER, Role.EDITOR, Role.MESSAGE_HANDLER,
    Role.CONFIDENTIALITY_REVIEWER,
)


@dataclass
class World:
    foreign: object
    foreign_supervisor: object
    home: object
    objects: list = field(default_factory=list)  # every foreign record (model instances)
    attackers: dict = field(default_factory=dict)  # label -> user
    foreign_users: dict = field(default_factory=dict)
    own_objects: list = field(default_factory=list)


def _foreign_records(agency, officer, handler, world: World) -> None:
    from wagtail.documents import get_document_model

    from gongkai.applications import actions as app_actions
    from gongkai.applications.models import Litigation, Reconsideration
    from gongkai.interaction import actions as msg_actions
    from gongkai.interaction.models import MessageSettings
    from gongkai.portal.review import ScanKeyword
    from gongkai.portal.setup import agency_collection, ensure_agency_portal

    home = ensure_agency_portal(agency, hostname=f"{MARKER.lower()}.example.invalid",
                                title=f"{MARKER}首页")
    world.home = home
    app = app_actions.application_register(
        agency=agency, actor=officer, channel="in_person", submitted_on=date(2026, 3, 2),
        subject=f"{MARKER}申请摘要", description=f"{MARKER}申请内容",
        applicant={"kind": "natural_person", "name": f"{MARKER}申请人", "id_type": "resident_id",
                   "id_number": ID_NUMBER, "phone": PHONE, "email": "marker@example.invalid",
                   "address": f"{MARKER}路1号"},
    )
    review = Reconsideration.objects.create(agency=agency, application=app, body=f"{MARKER}复议机关",
                                            filed_on=date(2026, 4, 1))
    lawsuit = Litigation.objects.create(agency=agency, application=app, route="direct", court=f"{MARKER}法院",
                                        filed_on=date(2026, 4, 2))
    department = msg_actions.department_create(agency, actor=handler, name=f"{MARKER}办理部门")
    message = msg_actions.message_register(
        agency, actor=handler, category="consult", channel="website", title=f"{MARKER}留言标题",
        content=f"{MARKER}留言内容", writer_name=f"{MARKER}写信人", writer_phone=PHONE,
    )
    settings_row = MessageSettings.objects.filter(agency=agency).first() or MessageSettings.objects.create(
        agency=agency)
    keyword = ScanKeyword.objects.create(agency=agency, word=f"{MARKER}关键词")
    number_pattern = app_actions.letter_number_pattern_set(agency, actor=None, letter_kind="",
                                                           pattern=f"{MARKER}依申〔{{年}}〕{{序号}}号")
    Document = get_document_model()
    document = Document(title=f"{MARKER}文件", collection=agency_collection(agency))
    document.file.save("marker.txt", ContentFile(b"marker"), save=False)
    document.save()
    # A release file (rows only: no request of an attacker may reach its bytes).
    from gongkai.applications.models import ReleaseFile

    release_file = ReleaseFile.objects.create(
        agency=agency, application=app, name=f"{MARKER}公开文件.pdf", original="release/marker.pdf",
        original_sha256="0" * 64, disposition="withheld", reason="result.denied.third_party",
        basis=f"{MARKER}依据", verification="not_needed")
    from gongkai.inspection.actions import newmedia_create

    newmedia = newmedia_create(agency, actor=None, platform="wechat", name=f"{MARKER}公众号",
                               url="https://mp.example.invalid/marker", has_interaction=True)
    world.objects += [agency, app.applicant, app, review, lawsuit, department, message, settings_row, keyword,
                      document, agency_collection(agency), home, release_file, number_pattern, newmedia]
    world.objects += list(Membership.objects.filter(agency=agency))
    from gongkai.portal.models.sites import PortalSite

    world.objects += list(PortalSite.objects.filter(agency=agency))
    # The agency's workflow and its tasks (named after the agency) fill the workflow URLs.
    from wagtail.models import Task, Workflow

    world.objects += list(Workflow.objects.filter(name__contains=MARKER))
    world.objects += list(Task.objects.filter(name__contains=MARKER))


def build_world() -> World:
    foreign_top = make_agency(f"上级乙{MARKER}办")
    foreign = make_agency(f"乙局{MARKER}", supervisor=foreign_top)
    own_top = make_agency("上级甲办")
    own = make_agency("甲局", supervisor=own_top)
    unrelated_top = make_agency("丙办")
    make_agency("丙局", supervisor=unrelated_top)

    officer = make_user(f"{MARKER}_officer", agency=foreign, role=Role.APPLICATION_OFFICER)
    handler = make_user(f"{MARKER}_handler", agency=foreign, role=Role.MESSAGE_HANDLER)
    head = make_user(f"{MARKER}_head", agency=foreign, role=Role.OFFICE_HEAD)
    world = World(foreign=foreign, foreign_supervisor=foreign_top, home=None,
                  foreign_users={"officer": officer, "handler": handler, "head": head})
    _foreign_records(foreign, officer, handler, world)
    from gongkai.portal.setup import ensure_agency_portal

    own_home = ensure_agency_portal(own, hostname="own.example.invalid", title="甲局首页")
    # The attackers' own records fill URLs too: their own pages must not list foreign data either.
    world.own_objects = [own, own_home]
    world.objects += [foreign_top, officer, handler, head]

    for role in ATTACKER_ROLES:
        world.attackers[str(role.value)] = make_user(f"attacker_{role.value}", agency=own, role=role)
    world.attackers["supervisor_unrelated"] = make_user("attacker_unrelated_supervisor", agency=unrelated_top,
                                                        role=Role.SUPERVISOR)
    # A staff account of 甲局 that may enter the admin and holds no other permission.
    bare = make_user("attacker_no_permissions")
    bare.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                     codename="access_admin"))
    Membership.objects.create(user=bare, agency=own, role=Role.MESSAGE_HANDLER)
    bare.groups.clear()
    world.attackers["no_permissions"] = bare
    return world


def login(client, user) -> None:
    """Log in, passing two-factor authentication where the user's role requires it."""
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    if not (user.is_superuser or user.memberships.filter(role__in=[Role.SUPERVISOR, Role.SYSADMIN]).exists()):
        return
    device, _ = StaticDevice.objects.get_or_create(user=user, name="测试备用码")
    device.token_set.create(token="11112222")
    response = client.post("/accounts/2fa/", {"token": "11112222"})
    assert response.status_code in (200, 302), response.status_code
