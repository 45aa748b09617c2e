"""No path publishes a page whose scan has an unconfirmed hit; a confirmed page publishes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.portal.guard import PublishBlocked
from gongkai.portal.scan import scan_revision

from .conftest import ID_NUMBER, docx_bytes, make_document, make_policy

pytestmark = pytest.mark.django_db


def _leaky(column, **kw):
    return make_policy(column, body=f"<p>联系人身份证号{ID_NUMBER}</p>", **kw)


def _live(page):
    page.refresh_from_db()
    return page.live


def test_direct_publish_refused_with_chinese_reason(column):
    page = _leaky(column)
    with pytest.raises(PublishBlocked) as info:
        page.get_latest_revision().publish()
    assert "身份证号" in str(info.value) and ID_NUMBER not in str(info.value)
    assert not _live(page) and page.index_number is None


def test_attachment_hit_blocks_too(column):
    doc = make_document("名单.docx", docx_bytes("获奖人员名单", f"张三 {ID_NUMBER}"))
    page = make_policy(column, attachments=[doc])
    hits = scan_revision(page, page.get_latest_revision()).unconfirmed
    assert [(h.kind, h.where) for h in hits] == [("id_number", "附件《名单.docx》")]
    with pytest.raises(PublishBlocked):
        page.get_latest_revision().publish()


def test_management_command_refused(column):
    page = _leaky(column)
    with pytest.raises(CommandError, match="保密审查"):
        call_command("portal_publish", str(page.pk))
    assert not _live(page)
    with pytest.raises(CommandError, match="应为数字"):
        call_command("portal_publish", "abc")


def test_scheduled_publishing_cancels_instead_of_publishing(column):
    clean = make_policy(column, title="无问题的通知")
    page = _leaky(column)
    past = timezone.now() - timedelta(minutes=5)
    for p in (page, clean):
        Revision.objects.filter(pk=p.get_latest_revision().pk).update(approved_go_live_at=past)
    call_command("publish_scheduled")
    assert not _live(page)
    assert _live(clean), "one blocked page must not stop the others"
    assert Revision.objects.get(pk=page.get_latest_revision().pk).approved_go_live_at is None
    event = AuditEvent.objects.get(action="portal.schedule_cancel")
    assert event.subject_id == str(page.pk) and event.agency_id == page.agency_id


def test_bulk_publish_in_admin_refused(client, column, staff_factory, agency, home):
    signer = staff_factory(agency, role=Role.SIGNER, username="bulk_signer")
    page = _leaky(column)
    client.force_login(signer)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={page.pk}"
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert not _live(page)
    assert "未经保密审查确认" in response.content.decode()


def test_admin_publish_button_explains_refusal(client, column, agency, staff_factory, home):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    signer = staff_factory(agency, role=Role.SIGNER, username="edit_signer")
    page = _leaky(column)
    client.force_login(signer)
    data = nested_form_data({
        "title": page.title, "slug": page.slug, "doc_type": "normative", "issuer": page.issuer,
        "validity": "valid", "disclosure_mode": "proactive", "statutory_category": "01",
        "body": rich_text(f"<p>联系人身份证号{ID_NUMBER}</p>"), "attachments": inline_formset([]),
        "action-publish": "publish",
    })
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)
    assert not _live(page)
    assert "未经保密审查确认" in response.content.decode()


def test_confirmed_hits_let_the_page_publish(column, staff):
    from gongkai.portal import actions

    page = _leaky(column)
    revision = page.get_latest_revision()
    for hit in scan_revision(page, revision).unconfirmed:
        actions.scan_hit_confirm(page, hit, actor=staff[Role.CONFIDENTIALITY_REVIEWER], reason="已获本人同意")
    revision.publish()
    assert _live(page)
    # A later revision with a new hit is blocked again.
    page.body = "<p>联系电话13812345678</p>"
    with pytest.raises(PublishBlocked, match="手机号码"):
        page.save_revision().publish()
