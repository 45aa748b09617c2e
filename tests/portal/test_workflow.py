"""信息发布审核: 初审 → 保密审查 → 签发 with the agency's groups; the last step publishes."""

from __future__ import annotations

import pytest
from wagtail.models import WorkflowState

from gongkai.agencies.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.domain import DomainError
from gongkai.portal import actions
from gongkai.portal.scan import scan_revision

from .conftest import ID_NUMBER, docx_bytes, make_document, make_policy

pytestmark = pytest.mark.django_db


def _act(page, user, action, **kw):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    return state.task.specific.on_action(state, user, action, **kw)


def _task_name(page):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    return state.task.name.split("·")[0] if state else None


def test_three_steps_with_send_back_and_audit(column, staff, publish_root, django_capture_on_commit_callbacks):
    editor, reviewer = staff[Role.EDITOR], staff[Role.REVIEWER]
    secrecy, signer = staff[Role.CONFIDENTIALITY_REVIEWER], staff[Role.SIGNER]
    doc = make_document("名单.docx", docx_bytes("优待对象名单", f"李四 {ID_NUMBER}"))
    page = make_policy(column, title="关于退役军人优待证发放的通知", attachments=[doc])
    workflow = page.get_workflow()
    assert [t.name.split("·")[0] for t in workflow.tasks] == ["初审", "保密审查", "签发"]

    workflow.start(page, editor)
    assert _task_name(page) == "初审"
    assert page.current_workflow_task_state.task.specific.get_actions(page, editor) == []  # not the editor's step
    _act(page, reviewer, "approve")
    assert _task_name(page) == "保密审查"

    # The reviewer cannot pass while the hit in the attachment is unconfirmed.
    url = _act(page, secrecy, "approve")
    assert url.endswith("?blocked=1") and _task_name(page) == "保密审查"
    _act(page, secrecy, "reject", comment="附件含身份证号，请删除后重新提交")
    page.refresh_from_db()
    assert page.workflow_in_progress is False
    assert WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_NEEDS_CHANGES

    # The editor replaces the attachment and resubmits; the page returns to 保密审查.
    fixed = make_document("名单（已删除身份证号）.docx", docx_bytes("优待对象名单", "李四"))
    from gongkai.portal.models.page_base import PageAttachment

    draft = page.specific.get_latest_revision_as_object()
    draft.attachments = [PageAttachment(document=fixed)]
    draft.save_revision(user=editor)
    WorkflowState.objects.for_instance(page).get().resume(editor)
    assert _task_name(page) == "保密审查"
    assert scan_revision(page, page.current_workflow_task_state.revision).hits == []
    _act(page, secrecy, "approve")
    # The content changed after 初审 approved it, so 初审 sees the new version again
    # (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT): nothing goes out unreviewed.
    assert _task_name(page) == "初审"
    _act(page, reviewer, "approve")
    assert _task_name(page) == "签发"
    with django_capture_on_commit_callbacks(execute=True):
        _act(page, signer, "approve")
    page.refresh_from_db()
    assert page.live and page.index_number.startswith(f"{page.agency.credit_code}/")
    html = (publish_root / "testserver" / "zcwj" / page.slug / "index.html").read_text()
    assert page.index_number in html

    rows = list(AuditEvent.objects.filter(action__startswith="portal.").order_by("id")
                .values_list("action", "actor__username"))
    assert rows == [
        ("portal.review_send_back", secrecy.username),
        ("portal.review_pass", secrecy.username),
        ("portal.index_issue", signer.username),
    ]
    send_back = AuditEvent.objects.get(action="portal.review_send_back")
    assert send_back.new["comment"] == "附件含身份证号，请删除后重新提交"


def test_confirm_hit_then_pass_records_reviewer(column, staff):
    editor, reviewer, secrecy = staff[Role.EDITOR], staff[Role.REVIEWER], staff[Role.CONFIDENTIALITY_REVIEWER]
    page = make_policy(column, body="<p>本刊为机关刊物，请注意保密。</p>")
    page.get_workflow().start(page, editor)
    _act(page, reviewer, "approve")
    [hit] = scan_revision(page, page.current_workflow_task_state.revision).unconfirmed
    with pytest.raises(DomainError, match="保密审查人员"):
        actions.scan_hit_confirm(page, hit, actor=editor)
    actions.scan_hit_confirm(page, hit, actor=secrecy, reason="提示语，不涉密")
    with pytest.raises(DomainError, match="已经确认过"):
        actions.scan_hit_confirm(page, hit, actor=secrecy)
    _act(page, secrecy, "approve")
    assert _task_name(page) == "签发"
    event = AuditEvent.objects.get(action="portal.scan_confirm")
    assert (event.actor_id, event.agency_id, event.subject_id) == (secrecy.pk, page.agency_id, str(page.pk))
    assert event.new == {"kind": "keyword", "value": "注意保密", "where": "正文·正文", "reason": "提示语，不涉密"}
    assert AuditEvent.objects.filter(action="portal.review_pass").count() == 1


def test_send_back_needs_a_comment(column, staff):
    editor, reviewer, secrecy = staff[Role.EDITOR], staff[Role.REVIEWER], staff[Role.CONFIDENTIALITY_REVIEWER]
    page = make_policy(column)
    page.get_workflow().start(page, editor)
    _act(page, reviewer, "approve")
    page.refresh_from_db()
    with pytest.raises(DomainError, match="写明"):
        actions.review_send_back(page.current_workflow_task_state, actor=secrecy, comment=" ")
    assert not AuditEvent.objects.filter(action="portal.review_send_back").exists()


def test_review_screen_shows_hits_and_confirms(client, column, staff):
    editor, reviewer, secrecy = staff[Role.EDITOR], staff[Role.REVIEWER], staff[Role.CONFIDENTIALITY_REVIEWER]
    page = make_policy(column, body=f"<p>身份证{ID_NUMBER}，电话13812345678</p>")
    page.get_workflow().start(page, editor)
    _act(page, reviewer, "approve")
    client.force_login(editor)
    assert client.get(f"/admin/portal/review/{page.pk}/").status_code in (302, 403)
    client.force_login(secrecy)
    body = client.get(f"/admin/portal/review/{page.pk}/").content.decode()
    assert body.count('class="scan-hit"') == 2 and "身份证号" in body and "手机号码" in body
    assert ID_NUMBER not in body  # masked on screen
    fp = scan_revision(page, page.get_latest_revision()).unconfirmed[0].fingerprint
    client.post(f"/admin/portal/review/{page.pk}/", {"op": "confirm", "fingerprint": fp, "reason": "公示需要"})
    body = client.get(f"/admin/portal/review/{page.pk}/").content.decode()
    assert body.count('class="scan-hit"') == 1 and "公示需要" in body


def test_review_screen_shows_the_text_under_review_with_hits_marked(client, column, staff, monkeypatch):
    """The reviewer reads what is about to be published — the fields and each attachment's text — with the
    hits marked (numbers masked), a link to each file, and a note where a long text is cut on screen."""
    import re

    from gongkai.portal import scan

    editor, reviewer, secrecy = staff[Role.EDITOR], staff[Role.REVIEWER], staff[Role.CONFIDENTIALITY_REVIEWER]
    attachment = make_document("名单.docx", docx_bytes("拟表彰人员名单", f"张三，身份证{ID_NUMBER}，住址略。"), title="表彰名单")
    page = make_policy(column, body="<p>联系人王五，电话13812345678，欢迎咨询。</p>", attachments=[attachment])
    page.get_workflow().start(page, editor)
    _act(page, reviewer, "approve")
    client.force_login(secrecy)
    body = client.get(f"/admin/portal/review/{page.pk}/").content.decode()
    texts = dict(re.findall(r'<h3 id="text-\d+">(.*?)</h3>\s*<div class="reviewed-body">(.*?)</div>', body, re.S))
    where_body = next(k for k in texts if k.startswith("正文"))
    assert "联系人王五，电话" in texts[where_body] and "，欢迎咨询。" in texts[where_body]
    assert re.search(r'<mark class="scan-mark" data-kind="mobile" title="手机号码">138\*+678</mark>', texts[where_body])
    where_file = next(k for k in texts if k.startswith("附件《表彰名单》"))
    assert f'href="{attachment.url}"' in where_file and "拟表彰人员名单" in texts[where_file]
    assert '<mark class="scan-mark" data-kind="id_number"' in texts[where_file]
    assert ID_NUMBER not in body and "13812345678" not in body

    hit = next(h for h in scan_revision(page, page.get_latest_revision()).unconfirmed if h.kind == "mobile")
    client.post(f"/admin/portal/review/{page.pk}/", {"op": "confirm", "fingerprint": hit.fingerprint, "reason": "公开咨询电话"})
    body = client.get(f"/admin/portal/review/{page.pk}/").content.decode()
    assert '<mark class="scan-mark confirmed" data-kind="mobile" title="手机号码（已确认）">' in body

    monkeypatch.setattr(scan, "SHOWN_CHARACTERS", 8)
    body = client.get(f"/admin/portal/review/{page.pk}/").content.decode()
    assert "未在此显示（扫描已覆盖全文）" in body and "欢迎咨询" not in body
