"""政务新媒体 accounts: registered, changed and their updates recorded through audited actions and the admin."""

from __future__ import annotations

import http.server
import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.inspection import actions
from gongkai.inspection.models import NewMediaAccount
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

PREFIX = "/admin/snippets/inspection/newmediaaccount/"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>测试公众号</title><link>http://example.invalid/</link>
<description>测试</description>
<item><title>旧文章</title><pubDate>Mon, 16 Feb 2026 09:00:00 +0800</pubDate></item>
<item><title>新文章</title><pubDate>Wed, 25 Feb 2026 23:30:00 +0000</pubDate></item>
<item><title>无日期</title></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>微博</title><id>urn:x</id><updated>2026-03-01T08:00:00Z</updated>
<entry><title>一</title><id>urn:1</id><updated>2026-02-27T08:00:00+08:00</updated></entry>
</feed>""".encode()


@pytest.fixture
def head(agency):
    return make_user("media_head", agency=agency, role=Role.OFFICE_HEAD)


@pytest.fixture
def feed_server():
    """A real HTTP server in a thread: /rss.xml, /atom.xml, /broken.xml; anything else 404."""
    pages = {"/rss.xml": ("application/rss+xml", RSS), "/atom.xml": ("application/atom+xml", ATOM),
             "/broken.xml": ("text/xml", b"<rss><channel><item>")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — the stdlib's name
            if self.path not in pages:
                self.send_error(404)
                return
            kind, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def _form(agency, **values):
    data = {"agency": agency.pk, "platform": "wechat", "name": "测试市退役军人", "url": "https://mp.example.cn/a",
            "feed_url": "", "has_interaction": "true", "is_active": "on"}
    data.update(values)
    return data


def test_office_head_registers_changes_and_records_an_update_in_the_admin(client, agency, head, fixed_today):
    client.force_login(head)
    assert client.get(PREFIX).status_code == 200
    response = client.post(f"{PREFIX}add/", _form(agency))
    assert response.status_code == 302, response.content.decode()[-3000:]
    account = NewMediaAccount.objects.get()
    assert (account.agency, account.platform, account.name, account.has_interaction) == (
        agency, "wechat", "测试市退役军人", True)
    created = AuditEvent.objects.get(action="inspection.newmedia_create")
    assert created.actor == head and created.agency == agency and created.subject_id == str(account.pk)

    response = client.post(f"{PREFIX}edit/{account.pk}/", _form(agency, name="测试市退役军人事务局",
                                                               has_interaction="false"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    account.refresh_from_db()
    assert account.name == "测试市退役军人事务局" and account.has_interaction is False
    changed = AuditEvent.objects.get(action="inspection.newmedia_update")
    assert changed.old == {"name": "测试市退役军人", "has_interaction": True}
    assert changed.new == {"name": "测试市退役军人事务局", "has_interaction": False}

    # The 登记更新 form: a date field that defaults to today, and the row button in the list.
    listing = client.get(PREFIX).content.decode()
    url = f"{PREFIX}record-update/{account.pk}/"
    assert "登记更新" in listing and url in listing and "未登记" in listing
    form = client.get(url).content.decode()
    assert 'value="2026-03-02"' in form
    response = client.post(url, {"on": "2026-02-20"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.last_update == date(2026, 2, 20) and account.last_update_source == "manual"
    event = AuditEvent.objects.get(action="inspection.newmedia_record_update")
    assert event.actor == head and event.new == {"last_update": "2026-02-20", "last_update_source": "manual"}
    # 10 days without an update: shown in red, four days before the 14-day rule.
    listing = client.get(PREFIX).content.decode()
    assert '<strong style="color: #cd4444">10 天</strong>' in listing
    fixed_today(date(2026, 2, 25))
    assert "5 天" in client.get(PREFIX).content.decode()


def test_the_new_media_screens_speak_chinese(client, agency, head):
    from gongkai.core.visibletext import visible_text
    from tests.core.test_admin_chinese import english_words

    account = actions.newmedia_create(agency, actor=head, platform="screen", name="大厅电子屏", has_interaction=False)
    client.force_login(head)
    for url in (PREFIX, f"{PREFIX}add/", f"{PREFIX}edit/{account.pk}/", f"{PREFIX}record-update/{account.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        english = [part for part in visible_text(response.content.decode()) if english_words(part)]
        assert not english, (url, english)


def test_bad_input_is_refused_in_chinese_and_what_was_typed_is_kept(client, agency, head, fixed_today):
    client.force_login(head)
    empty = client.post(f"{PREFIX}add/", _form(agency, name="", url="https://mp.example.cn/kept"))
    assert empty.status_code == 200 and "必需字段" in empty.content.decode()
    assert "https://mp.example.cn/kept" in empty.content.decode()
    bad_url = client.post(f"{PREFIX}add/", _form(agency, name="测试微博", url="不是网址"))
    html = bad_url.content.decode()
    assert "输入一个有效的 URL" in html and 'value="测试微博"' in html and 'value="不是网址"' in html
    assert not NewMediaAccount.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="inspection.").exists()

    account = actions.newmedia_create(agency, actor=head, platform="weibo", name="测试微博")
    dup = client.post(f"{PREFIX}add/", _form(agency, platform="weibo", name="测试微博"))
    html = dup.content.decode()
    assert "政务新媒体账号 已经存在" in html  # the form checks the constraint before the action runs
    assert NewMediaAccount.objects.count() == 1
    with pytest.raises(DomainError, match="本机关已登记微博账号“测试微博”"):
        actions.newmedia_create(agency, actor=head, platform="weibo", name=" 测试微博 ")

    url = f"{PREFIX}record-update/{account.pk}/"
    future = client.post(url, {"on": "2026-03-03"})
    assert future.status_code == 400
    assert "更新日期不能晚于今天" in future.content.decode() and 'value="2026-03-03"' in future.content.decode()
    garbage = client.post(url, {"on": "昨天"})
    assert garbage.status_code == 400 and 'value="昨天"' in garbage.content.decode()
    assert client.post(url, {"on": "2026-02-27"}).status_code == 302
    earlier = client.post(url, {"on": "2026-02-26"})
    assert earlier.status_code == 400 and "不能早于已登记的最近更新日期 2026-02-27" in earlier.content.decode()
    account.refresh_from_db()
    assert account.last_update == date(2026, 2, 27)
    assert AuditEvent.objects.filter(action="inspection.newmedia_record_update").count() == 1


def test_another_agency_s_account_is_not_found(client, agency, head):
    other = make_agency("测试市民政局（新媒体）")
    foreign = actions.newmedia_create(other, actor=None, platform="douyin", name="民政抖音号")
    client.force_login(head)
    assert "民政抖音号" not in client.get(PREFIX).content.decode()
    for url in (f"{PREFIX}edit/{foreign.pk}/", f"{PREFIX}record-update/{foreign.pk}/"):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"on": "2026-03-01", **_form(other, name="改名")}).status_code in (403, 404), url
    foreign.refresh_from_db()
    assert foreign.name == "民政抖音号" and foreign.last_update is None
    # The action refuses too, whoever calls it.
    with pytest.raises(DomainError, match="不能管理政务新媒体账号"):
        actions.newmedia_record_update(foreign, actor=head, on=date(2026, 3, 1))


def test_staff_without_the_role_may_not_manage_accounts(agency):
    handler = make_user("media_handler", agency=agency, role=Role.MESSAGE_HANDLER)
    with pytest.raises(DomainError, match="公开工作机构负责人或编辑"):
        actions.newmedia_create(agency, actor=handler, platform="wechat", name="测试")
    editor = make_user("media_editor", agency=agency, role=Role.EDITOR)
    assert actions.newmedia_create(agency, actor=editor, platform="wechat", name="测试").pk


def test_the_feed_gives_the_newest_entry_date(agency, head, feed_server, fixed_today):
    account = actions.newmedia_create(agency, actor=head, platform="wechat", name="测试号",
                                      feed_url=f"{feed_server}/rss.xml")
    actions.newmedia_read_feed(account, actor=head)
    account.refresh_from_db()
    # 25 Feb 23:30 UTC is 26 Feb in China.
    assert account.last_update == date(2026, 2, 26) and account.last_update_source == "feed"
    event = AuditEvent.objects.get(action="inspection.newmedia_read_feed")
    assert event.new == {"last_update": "2026-02-26", "last_update_source": "feed"}
    # Read again: nothing new, nothing recorded.
    actions.newmedia_read_feed(account, actor=None)
    assert AuditEvent.objects.filter(action="inspection.newmedia_read_feed").count() == 1

    atom = actions.newmedia_create(agency, actor=head, platform="weibo", name="测试微博",
                                   feed_url=f"{feed_server}/atom.xml")
    assert actions.newmedia_read_feed(atom).last_update == date(2026, 2, 27)


@pytest.mark.parametrize("path, why", [("/missing.xml", "HTTP 404"), ("/broken.xml", "不是有效的 RSS 或 Atom")])
def test_a_feed_that_cannot_be_read_changes_nothing(agency, head, feed_server, fixed_today, path, why):
    account = actions.newmedia_create(agency, actor=head, platform="wechat", name="测试号",
                                      feed_url=f"{feed_server}{path}")
    actions.newmedia_record_update(account, actor=head, on=date(2026, 2, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=f"无法读取订阅地址：.*{why}"):
        actions.newmedia_read_feed(account, actor=head)
    account.refresh_from_db()
    assert account.last_update == date(2026, 2, 1) and account.last_update_source == "manual"
    assert AuditEvent.objects.count() == before


def test_the_daily_command_reads_every_active_feed_and_reports_failures(agency, head, feed_server, fixed_today):
    good = actions.newmedia_create(agency, actor=head, platform="wechat", name="好号",
                                   feed_url=f"{feed_server}/rss.xml")
    bad = actions.newmedia_create(agency, actor=head, platform="weibo", name="坏号",
                                  feed_url=f"{feed_server}/gone.xml")
    idle = actions.newmedia_create(agency, actor=head, platform="douyin", name="停用号",
                                   feed_url=f"{feed_server}/atom.xml")
    actions.newmedia_update(idle, actor=head, is_active=False)
    out = StringIO()
    call_command("inspection_read_feeds", stdout=out)
    text = out.getvalue()
    assert "坏号" in text and "无法读取订阅地址：服务器返回 HTTP 404" in text
    assert "读取 1 个账号，1 个读取失败" in text
    good.refresh_from_db(), bad.refresh_from_db(), idle.refresh_from_db()
    assert good.last_update == date(2026, 2, 26)
    assert bad.last_update is None and idle.last_update is None


def test_the_feed_reader_is_scheduled_daily():
    from gongkai.core.schedule import SCHEDULE

    entry = next(e for e in SCHEDULE if e.command == "inspection_read_feeds")
    assert not entry.working_days
