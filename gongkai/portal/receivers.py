"""Thin glue: keep search index, static files and per-agency groups in step with Wagtail and roles."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished

from gongkai.agencies.models import Membership

from .publish import is_suspended, publish_page
from .search.indexing import index_page, unindex_page
from .setup import sync_user_groups

log = logging.getLogger(__name__)


def _static(page_id: int, **kwargs) -> None:
    if not getattr(settings, "GONGKAI_STATIC_PUBLISH", True) or is_suspended():
        return

    def run():
        try:
            publish_page(page_id, **kwargs)
        except Exception:  # the database publication stands; the previous files stay in place
            log.exception("static publishing of page %s failed; previous files kept", page_id)

    transaction.on_commit(run)


def _is_portal(instance) -> bool:
    return hasattr(instance.specific_deferred, "agency_id")


@receiver(page_published)
def on_published(sender, instance, **kwargs):
    if not _is_portal(instance):
        return

    index_page(instance)
    _static(instance.pk)


@receiver(page_unpublished)
def on_unpublished(sender, instance, **kwargs):
    if not _is_portal(instance):
        return

    unindex_page(instance.pk)
    parent = instance.get_parent()
    _static(instance.pk, removed=True, removed_path=_url(instance), fallback_id=parent.pk if parent else None)


@receiver(page_slug_changed)
def on_slug_changed(sender, instance, instance_before=None, **kwargs):
    if instance_before is None or not _is_portal(instance):
        return
    old_path = _url(instance_before)
    if old_path:
        _static(instance.pk, removed=True, removed_path=old_path)


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
