"""Give an agency its site: home page, Wagtail site, groups, page permissions, documents collection, workflow.

Staff act on pages only through per-agency groups ("<机构简称>·编辑" …) holding Wagtail
page permissions on their agency's home page, so staff of one agency cannot edit another
agency's pages. Group membership follows `agencies.Membership` (receivers.py).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    BaseViewRestriction, CollectionViewRestriction,
    Collection, GroupApprovalTask, GroupCollectionPermission, GroupPagePermission, Page, Site, Workflow,
    WorkflowPage, WorkflowTask,
)

from gongkai.agencies.models import Agency
from gongkai.agencies.roles import Role

from .models.pages import HomePage
from .models.review_task import ConfidentialityReviewTask
from .models.sites import PortalSite

# Which Wagtail page permissions each role gets on its agency's pages. Editors cannot
# publish: their pages go through the 信息发布审核 workflow, whose last step publishes.
PAGE_PERMISSIONS = {
    Role.EDITOR: ["add_page", "change_page"],
    Role.REVIEWER: ["change_page"],
    Role.CONFIDENTIALITY_REVIEWER: ["change_page"],
    Role.SIGNER: ["change_page", "publish_page"],
    Role.OFFICE_HEAD: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    Role.EDITOR: ["add_document", "change_document", "choose_document"],
    Role.REVIEWER: ["choose_document", "change_document"],
    Role.CONFIDENTIALITY_REVIEWER: ["choose_document", "change_document"],
    Role.SIGNER: ["choose_document"],
    Role.OFFICE_HEAD: ["add_document", "change_document", "choose_document"],
}
WORKFLOW_STEPS = [("初审", Role.REVIEWER, GroupApprovalTask), ("保密审查", Role.CONFIDENTIALITY_REVIEWER, None),
                  ("签发", Role.SIGNER, GroupApprovalTask)]


def agency_workflow_name(agency) -> str:
    return f"信息发布审核·{agency.short_name or agency.name}"


def agency_group_name(agency, role) -> str:
    return f"{agency.short_name or agency.name}·{Role(role).label}"


def agency_groups(agency) -> dict[str, Group]:
    groups = {}
    for role in PAGE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=agency_group_name(agency, role))
        groups[role] = group
    return groups


def agency_collection(agency) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=agency.name).first()
    return existing or root.add_child(name=agency.name)


def sync_user_groups(user) -> None:
    """Put a user into exactly the per-agency portal groups their memberships call for."""
    wanted = set()
    for agency_id, role in user.memberships.values_list("agency_id", "role"):
        if role in PAGE_PERMISSIONS:
            wanted.add(agency_group_name(Agency.objects.get(pk=agency_id), role))
    ours = {agency_group_name(a, r) for a in Agency.objects.all() for r in PAGE_PERMISSIONS}
    current = set(user.groups.filter(name__in=ours).values_list("name", flat=True))
    if current != wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
        for name in wanted - current:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)


@transaction.atomic
def ensure_agency_portal(agency, *, hostname: str, port: int = 80, default: bool = False, title: str | None = None):
    """Create (once) everything an agency's portal needs; return its HomePage."""
    home = HomePage.objects.filter(agency=agency).first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title=title or agency.name, slug=f"site-{agency.pk}", agency=agency)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        if default:
            Site.objects.filter(is_default_site=True).update(is_default_site=False)
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=default,
                                   site_name=agency.name)
    if not PortalSite.objects.filter(agency=agency).exists():
        PortalSite.objects.create(agency=agency, site=site, sponsor=agency.name, site_code=agency.site_code or "")

    groups = agency_groups(agency)
    collection = agency_collection(agency)
    # Uploads may go only into the private collection (documents.py moves them on publication);
    # the other document permissions cover the agency's collection and, inherited, the private one.
    private = private_collection(agency, groups)
    for role, group in groups.items():
        for codename in PAGE_PERMISSIONS[role]:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=perm)
        for codename in COLLECTION_PERMISSIONS[role]:
            perm = Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)
            target = private if codename == "add_document" else collection
            GroupCollectionPermission.objects.get_or_create(group=group, collection=target, permission=perm)
            if codename == "add_document":
                GroupCollectionPermission.objects.filter(group=group, collection=collection, permission=perm).delete()

    workflow_name = agency_workflow_name(agency)
    workflow = Workflow.objects.filter(name=workflow_name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        for order, (name, role, task_class) in enumerate(WORKFLOW_STEPS):
            task_class = task_class or ConfidentialityReviewTask
            task = task_class.objects.create(name=f"{name}·{agency.short_name or agency.name}")
            task.groups.set([groups[role]])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})
    for membership_user in {m.user for m in agency.memberships.select_related("user")}:
        sync_user_groups(membership_user)
    return home


PRIVATE_COLLECTION_NAME = "未公开附件"


def private_collection(agency, groups=None):
    """The agency's collection for documents not (yet) used by a published page; created once."""
    parent = agency_collection(agency)
    collection = parent.get_children().filter(name=PRIVATE_COLLECTION_NAME).first()
    if collection is None:
        collection = parent.add_child(name=PRIVATE_COLLECTION_NAME)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.GROUPS)
    restriction.groups.add(*(groups or agency_groups(agency)).values())
    return collection
