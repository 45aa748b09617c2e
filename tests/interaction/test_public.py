"""The public side: write a message, get a query code, read the reply, browse published replies."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from django.db import connection

from gongkai.interaction import actions
from gongkai.core import querycodes
from gongkai.interaction.models import Message, Status

from .conftest import make_message
from .helpers import captcha_fields, login_verified

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _clear_limits():
    cache.clear()
    yield
    cache.clear()


def form_data(client, agency, **overrides):
    page = client.get("/hudong/xie/")
    data = {
        "agency": agency.pk, "category": "consult", "title": "优待证办理咨询",
        "content": "请问退役军人优待证在哪里办理，需要带哪些材料？", "writer_name": "王建军",
        "writer_phone": "13912345678", "writer_email": "wjj@example.invalid", "wants_public": "on",
        **captcha_fields(page.content.decode()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_writer_submits_and_gets_a_query_code(client, agency):
    response = client.post("/hudong/xie/", form_data(client, agency))
    assert response.status_code == 302 and response["Location"] == "/hudong/xie/wancheng/"
    message = Message.objects.get()
    assert (message.channel, message.category, message.status) == ("website", "consult", Status.RECEIVED)
    assert message.writer_name == "王建军" and message.wants_public
    done = client.get("/hudong/xie/wancheng/").content.decode()
    assert querycodes.display(message.query_code) in done
    assert "请抄写或截图保存查询码" in done


def test_bad_input_is_refused_in_chinese_and_typed_text_kept(client, agency):
    data = form_data(client, agency, writer_phone="12345", title="我的标题保留")
    data["captcha_answer"] = "99"
    response = client.post("/hudong/xie/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "联系电话格式不对" in html and "验证题答案不正确" in html
    assert 'value="我的标题保留"' in html and "请问退役军人优待证在哪里办理" in html
    assert not Message.objects.exists()


@pytest.mark.parametrize("content, expected", [
    ("优惠办理请访问 http://spam.example.com 立即领取补贴", "不能包含网址链接"),
    ("加微信领补贴 www.fake-subsidy.top 先到先得", "不能包含网址链接"),
    ("啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊", "重复"),
    ("补贴补贴补贴补贴补贴补贴补贴补贴补贴补贴", "反复出现"),
    ("你好", "太短"),
])
def test_spam_is_refused_with_what_to_change(client, agency, content, expected):
    response = client.post("/hudong/xie/", form_data(client, agency, content=content))
    assert response.status_code == 400 and expected in response.content.decode()
    assert not Message.objects.exists()


def test_a_government_site_may_be_named(client, agency):
    content = "我在 www.ly.gov.cn 上看到优待证政策，请问县区在哪里办理？"
    assert client.post("/hudong/xie/", form_data(client, agency, content=content)).status_code == 302


def test_the_same_text_twice_is_refused_as_duplicate(client, agency):
    assert client.post("/hudong/xie/", form_data(client, agency)).status_code == 302
    again = client.post("/hudong/xie/", form_data(client, agency, writer_phone="13700001111"))
    assert again.status_code == 400 and "请勿重复提交" in again.content.decode()
    assert Message.objects.count() == 1


def test_rate_limits_per_ip_burst_and_per_phone(client, agency):
    for i in range(3):
        r = client.post("/hudong/xie/", form_data(client, agency, content=f"第{i}个问题：优待证在哪里办理，需要什么材料？",
                                                   writer_phone=f"1391234000{i}"), REMOTE_ADDR="10.0.0.1")
        assert r.status_code == 302
    burst = client.post("/hudong/xie/", form_data(client, agency, content="第四个问题：抚恤金何时发放到账？"),
                        REMOTE_ADDR="10.0.0.1")
    assert burst.status_code == 400 and "提交过于频繁" in burst.content.decode()
    # The same phone from three other networks: the fourth is refused.
    for i in range(3):
        r = client.post("/hudong/xie/", form_data(client, agency, content=f"电话问题{i}：烈士纪念设施开放时间是几点？",
                                                   writer_phone="13800000000"), REMOTE_ADDR=f"10.0.1.{i}")
        assert r.status_code == 302
    phone = client.post("/hudong/xie/", form_data(client, agency, content="电话问题4：优抚对象体检安排在哪里？",
                                                   writer_phone="13800000000"), REMOTE_ADDR="10.0.1.9")
    assert phone.status_code == 400 and "同一联系电话每天最多提交3条" in phone.content.decode()
    assert Message.objects.count() == 6


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, expected", [
    ("证明.pdf", b"MZ\x90\x00 this is an exe", "内容不是 PDF、JPG、PNG、DOCX 文件"),
    ("照片.pdf", PNG, "内容是PNG 图片，但扩展名是“.pdf”"),
    ("压缩包.docx", b"PK\x03\x04" + b"\x00" * 40, "内容不是"),
    ("空.pdf", b"", "空文件"),
])
def test_wrong_attachments_are_refused_by_content(client, agency, name, content, expected):
    data = form_data(client, agency, attachment=_upload(name, content))
    response = client.post("/hudong/xie/", data)
    html = response.content.decode()
    assert response.status_code == 400 and expected in html
    assert "重新选择" in html
    assert not Message.objects.exists()


def test_oversized_attachment_is_refused(client, agency, settings):
    settings.INTERACTION_ATTACHMENT_MAX_BYTES = 1024
    response = client.post("/hudong/xie/", form_data(client, agency, attachment=_upload("大.pdf", PDF + b"0" * 2000)))
    assert response.status_code == 400 and "超过" in response.content.decode()


def test_good_attachments_are_kept_privately_and_only_handlers_download_them(client, agency, handler, settings):
    from gongkai.agencies.roles import Role
    from tests.factories import make_agency, make_user

    assert client.post("/hudong/xie/", form_data(client, agency, attachment=_upload("材料.docx", _docx()))).status_code == 302
    message = Message.objects.get()
    assert message.attachment_name == "材料.docx"
    assert str(settings.GONGKAI_PRIVATE_ROOT) in message.attachment.path
    client.force_login(handler)
    download = client.get(f"/admin/interaction/messages/attachment/{message.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")
    office = make_agency("监督机关")
    agency.supervisor = office
    agency.save()
    inspector = make_user("inspector", agency=office, role=Role.SUPERVISOR)
    login_verified(client, inspector)
    refused = client.get(f"/admin/interaction/messages/attachment/{message.pk}/")
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a notice.
    assert refused.status_code in (302, 403) and not getattr(refused, "streaming", False)


def test_writer_reads_reply_with_query_code(client, agency, handler, head, department):
    message = make_message(agency)
    code = querycodes.display(message.query_code).lower()
    waiting = client.post("/hudong/chaxun/", {"code": code})
    assert waiting.status_code == 200 and "已受理，等待分办" in waiting.content.decode()
    actions.message_triage(message, actor=handler, category="consult", department=department)
    reply = actions.reply_submit(actions.reply_draft(message, actor=handler, text="可到县区服务站办理。"), actor=handler)
    assert "可到县区服务站办理" not in client.post("/hudong/chaxun/", {"code": code}).content.decode()
    actions.reply_approve(reply, actor=head)
    answered = client.post("/hudong/chaxun/", {"code": code}).content.decode()
    assert "可到县区服务站办理。" in answered and "优抚科" in answered and "已答复" in answered
    missing = client.post("/hudong/chaxun/", {"code": "AAAA-BBBB-CCCC"})
    assert missing.status_code == 404 and "没有找到该查询码" in missing.content.decode()
    short = client.post("/hudong/chaxun/", {"code": "abc"})
    assert short.status_code == 400 and "查询码应为12位" in short.content.decode()


def test_query_is_rate_limited(client, agency, settings):
    settings.INTERACTION_RATE_LIMITS = {"query_ip": (2, 3600)}
    for _ in range(2):
        assert client.post("/hudong/chaxun/", {"code": "AAAA-BBBB-CCCC"}).status_code == 404
    assert client.post("/hudong/chaxun/", {"code": "AAAA-BBBB-CCCC"}).status_code == 429


def _published(agency, handler, head, department, **fields):
    message = make_message(agency, **fields)
    actions.message_triage(message, actor=handler, category=message.category, department=department)
    reply = actions.reply_submit(actions.reply_draft(message, actor=handler, text=f"答复：{message.title}"),
                                 actor=handler)
    actions.reply_approve(reply, actor=head)
    actions.message_publish(message, actor=handler, public_title=message.title,
                            public_content="咨询内容（已遮盖）", public_reply=f"答复：{message.title}")
    return message


def test_public_list_shows_only_published_searchable_with_constant_queries(client, agency, handler, head, department):
    a = _published(agency, handler, head, department, title="优待证办理地点")
    _published(agency, handler, head, department, title="抚恤金发放时间")
    hidden = make_message(agency, title="未公开的留言")
    page = client.get("/hudong/").content.decode()
    assert "优待证办理地点" in page and "抚恤金发放时间" in page and "未公开的留言" not in page
    assert "张三" not in page and "13812345678" not in page
    assert "受理日期" in page and "答复日期" in page and "答复部门 优抚科" in page
    found = client.get("/hudong/", {"q": "抚恤金"}).content.decode()
    assert "抚恤金发放时间" in found and "优待证办理地点" not in found
    assert client.get(f"/hudong/{a.pk}/").status_code == 200
    assert client.get(f"/hudong/{hidden.pk}/").status_code == 404
    with CaptureQueriesContext(connection) as two:
        client.get("/hudong/")
    for i in range(3):
        _published(agency, handler, head, department, title=f"更多留言{i}")
    with CaptureQueriesContext(connection) as five:
        client.get("/hudong/")
    assert len(five) == len(two)


def test_personal_data_never_reaches_public_pages(client, agency, handler, head, department):
    message = _published(agency, handler, head, department, writer_name="赵志刚", writer_phone="13611112222")
    for url in ("/hudong/", f"/hudong/{message.pk}/"):
        html = client.get(url).content.decode()
        assert "赵志刚" not in html and "13611112222" not in html and "zhangsan@" not in html
