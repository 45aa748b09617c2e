"""Thin glue: keep search index, static files and per-agency groups in step with Wagtail and roles."""

from __future__ import annotations

from django.conf import settings
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import Site, TaskState
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move, workflow_submitted

from gongkai.agencies.models import Agency, Membership

from . import sitecache
from .extraction import on_document_saved, request_extraction
from .models.publishjobs import PublishJob
from .models.sites import PortalSite
from .publish import is_suspended
from .search.indexing import index_page, unindex_page
from .setup import sync_user_groups
from .tasks import enqueue_publish


def _static(page, kind: str, user=None, **params) -> None:
    """Have a worker write the page's static files once the publication commits."""
    if not getattr(settings, "GONGKAI_STATIC_PUBLISH", True) or is_suspended():
        return
    enqueue_publish(page, kind=kind, user=user, **params)


def _is_portal(instance) -> bool:
    return hasattr(instance.specific_deferred, "agency_id")


@receiver(page_published)
def on_published(sender, instance, **kwargs):
    if not _is_portal(instance):
        return

    index_page(instance)
    revision = kwargs.get("revision")
    _static(instance, PublishJob.Kind.PUBLISH, user=getattr(revision, "user", None))


@receiver(page_unpublished)
def on_unpublished(sender, instance, **kwargs):
    if not _is_portal(instance):
        return

    unindex_page(instance.pk)
    parent = instance.get_parent()
    _static(instance, PublishJob.Kind.UNPUBLISH, removed=True, removed_path=_url(instance),
            fallback_id=parent.pk if parent else None)


@receiver(page_slug_changed)
def on_slug_changed(sender, instance, instance_before=None, **kwargs):
    if instance_before is None or not _is_portal(instance):
        return
    old_path = _url(instance_before)
    if old_path:
        _static(instance, PublishJob.Kind.MOVE, removed=True, removed_path=old_path)


def _url(page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


@receiver(pre_delete, sender="wagtailcore.Page")
def on_page_delete(sender, instance, **kwargs):
    if instance.live and _is_portal(instance):
        unindex_page(instance.pk)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def on_membership_change(sender, instance, **kwargs):
    sync_user_groups(instance.user)


def _connect_site_cache():
    """What each process keeps of a site's home, menu and footer (sitecache.py) is rebuilt when they change."""
    for signal in (post_save, post_delete, page_published, page_unpublished):
        signal.connect(sitecache.page_changed, dispatch_uid=f"gongkai_sitecache_page_{id(signal)}")
    post_page_move.connect(sitecache.model_changed, dispatch_uid="gongkai_sitecache_move")
    for model in (Site, PortalSite, Agency):
        for signal in (post_save, post_delete):
            signal.connect(sitecache.model_changed, sender=model,
                           dispatch_uid=f"gongkai_sitecache_{model.__name__}_{id(signal)}")
    request_started.connect(sitecache.request_started, dispatch_uid="gongkai_sitecache_request")


_connect_site_cache()


def _connect_document_extraction():
    """An uploaded or replaced file: its text is extracted in the background for the 保密审查 scan."""
    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="gongkai_document_extraction")


_connect_document_extraction()


@receiver(workflow_submitted)
def on_workflow_submitted(sender, instance, user=None, **kwargs):
    """A revision sent to 信息发布审核: make sure the text of each of its attachments is being extracted."""
    page = instance.content_object if hasattr(instance, "content_object") else None
    revision = getattr(page, "latest_revision", None) if page is not None else None
    obj = revision.as_object() if revision is not None else None
    for attachment in obj.attachments.all() if hasattr(obj, "attachments") else ():
        try:
            request_extraction(attachment.document, attachment.document.get_file_hash())
        except OSError:
            continue  # the scan lists an unreadable file as "文件无法读取"


@receiver(pre_save, sender=TaskState)
def approval_is_of_the_latest_revision(sender, instance, **kwargs):
    """A step is approved for the content the approver approved: the page's latest revision.

    Approving from the page editor's footer first saves the form as a new revision, then
    approves; with re-approval on edit (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT) Wagtail
    counted the approval for the older revision the step started on, so the workflow went
    back to its first step instead of on to the next ("the review loops"). Only at the
    moment of approval: a step approved earlier keeps its revision, so an edit made after
    it still needs that step again.
    """
    if instance.status != TaskState.STATUS_APPROVED or instance.pk is None:
        return
    if TaskState.objects.filter(pk=instance.pk, status=TaskState.STATUS_APPROVED).exists():
        return  # already approved: not this save's business
    content = instance.workflow_state.content_object
    latest_id = content.get_latest_revision().pk if hasattr(content, "get_latest_revision") else None
    if latest_id and instance.revision_id != latest_id:
        instance.revision_id = latest_id
