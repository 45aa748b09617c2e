"""One guard in front of every admin URL: scoped, or refused.

Wagtail and the apps register hundreds of admin views; most were written for a
single-organisation site and know nothing of agencies. Rather than patching views one by
one, this middleware decides for every request under /admin/ from the view's URL
namespace (`request.resolver_match`):

* global administrators (superusers, 系统管理员) pass; they administer the installation;
* every other staff member passes only through a view whose namespace is listed below as
  scoped, and then only if every object named in the URL (page, document, collection,
  agency-owned record, the ids of a bulk action) belongs to an agency they may read — or,
  for a POST, change;
* anything else (a new Wagtail view, a new app view not listed, Wagtail's users, groups,
  sites, workflows, reports, images, redirects, forms, settings, admin APIs for
  documents and images) answers 403 with a Chinese message.

A new view is therefore refused until someone decides it is scoped, and the URL
enumeration test (`tests/security/test_url_enumeration.py`) requests every admin URL with
another agency's ids to prove the listed ones are.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import BadRequest, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Task, TaskState, WorkflowState
from wagtail.snippets.models import get_snippet_models

from . import scope
from .admin_scoping import AgencyScopedSnippetViewSet, has_any_model_permission

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

REFUSED = "您的角色无权使用此管理功能，或所请求的记录不属于您所在的机关。如需办理，请联系本机关的系统管理员。"

# Views that show no agency data (the dashboard, the user's own account, log-in/out,
# static helpers, link choosers that only build a URL): any signed-in staff member.
OPEN_NAMES = frozenset({
    "wagtailadmin_home",
    "wagtailadmin_account",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_dismissibles",
    "wagtailadmin_block_preview",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailembeds",
    "wagtailsnippets",  # the snippet index lists model names the user has permissions for
})

# Views that scope by agency themselves (the apps' own staff pages; each reads through
# selectors that take the user's agencies). The enumeration test proves it.
SELF_SCOPED_NAMESPACES = frozenset({
    "applications_admin",
    "interaction_admin",
    "annualreport_admin",
    "inspection_admin",  # sites looked up among the user's own and supervised agencies (404 otherwise)
    "audit_log",
    "portal_review",
    "portal_publish_jobs",
    "portal_publish_job_retry",
    "portal_same_info_convert",  # 依申请转主动: the case is looked up among the user's agencies (404 otherwise)
})

# Wagtail views over pages and documents. Wagtail's own page and collection permissions
# (granted per agency by gongkai.portal.setup) decide what may be done; this guard
# additionally refuses any page or document id of an agency the user may not read.
PAGE_NAMESPACES = frozenset({
    "wagtailadmin_pages",
    "wagtailadmin_explore_root",
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_api:pages",
    "wagtailadmin_editing_sessions",
})
# Page views that list pages of every agency and have no hook to narrow them.
UNSCOPED_PAGE_VIEWS = frozenset({"wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results"})
DOCUMENT_NAMESPACES = frozenset({"wagtaildocs", "wagtaildocs_chooser"})

# Never served: a deliberate server error (Wagtail's self-test page).
CLOSED_NAMES = frozenset({"wagtailadmin_error_test"})

# Wagtail views that answer 500 to an empty submission instead of saying what is missing.
NEEDS_INPUT = {
    "wagtailadmin_choose_page_external_link": "POST",
    "wagtailadmin_choose_page_email_link": "POST",
    "wagtailadmin_choose_page_phone_link": "POST",
    "wagtailadmin_choose_page_anchor_link": "POST",
    "wagtailadmin_choose_page_chosen_multiple": "GET",
}

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
# Other URL parameters of the page views: each is checked below against the page named in
# the URL, or names no record. A page view with any other parameter is refused until
# someone decides how to check it.
PAGE_OTHER_KWARGS = frozenset({
    "pk", "action_name", "app_label", "model_name", "content_type_app_name", "content_type_model_name",
    "object_id", "session_id", "revision_id", "revision_id_a", "revision_id_b", "task_id", "task_state_id",
    "workflow_state_id",
})
DOCUMENT_KWARGS = ("document_id", "doc_id")


def _namespace(match) -> str:
    return match.namespace or match.url_name or ""


def _snippet_viewsets() -> dict[str, tuple[object, bool]]:
    """URL namespace -> (snippet model, is chooser) for every registered snippet."""
    found = {}
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        found[viewset.get_admin_url_namespace()] = (model, False)
        found[viewset.get_chooser_admin_url_namespace()] = (model, True)
    return found


def _get(model, pk):
    try:
        return model._default_manager.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError, OverflowError):
        raise Http404 from None


def _check(user, obj, write: bool) -> None:
    if not scope.object_allowed(user, obj, write=write):
        raise PermissionDenied(REFUSED)


def _check_snippet(request, match, model, is_chooser: bool, write: bool) -> None:
    viewset = model.snippet_viewset
    if scope.is_agency_owned(model) and not isinstance(viewset, AgencyScopedSnippetViewSet):
        raise PermissionDenied(REFUSED)  # an agency's records through an unscoped viewset
    if is_chooser:
        if match.url_name == "create":
            raise PermissionDenied("请在对应的管理页面中新建记录，选择器不能新建。")
        if not has_any_model_permission(request.user, model):
            raise PermissionDenied(REFUSED)
    pk = match.kwargs.get("pk")
    if pk is not None:
        _check(request.user, _get(model, pk), write)


def _check_pages(request, match, write: bool) -> None:
    if match.view_name in UNSCOPED_PAGE_VIEWS:
        raise PermissionDenied(REFUSED)

    kwargs = dict(match.kwargs)
    if match.namespace in ("wagtailadmin_pages", "wagtailadmin_api:pages") and "pk" in kwargs:
        kwargs["page_id"] = kwargs.pop("pk")
    unknown = set(kwargs) - set(PAGE_KWARGS) - PAGE_OTHER_KWARGS
    if unknown:
        raise PermissionDenied(REFUSED)
    for name in PAGE_KWARGS:
        if name in kwargs:
            _check(request.user, _get(Page, kwargs[name]), write)
    if "page_id" in kwargs:
        _check_workflow_ids(kwargs)
    if match.namespace == "wagtailadmin_editing_sessions" and "object_id" in kwargs:
        try:
            model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except LookupError:
            raise Http404 from None
        _check(request.user, _get(model, kwargs["object_id"]), write=False)
    if match.namespace == "wagtailadmin_api:pages":
        for param in ("child_of", "descendant_of"):
            value = request.GET.get(param)
            if value and value.isdigit():
                _check(request.user, _get(Page, value), write=False)
    if match.view_name == "wagtailadmin_choose_page_chosen_multiple":
        for pk in request.GET.getlist("id"):
            page = _get(Page, pk)
            if page.depth == 1:  # the tree root cannot be chosen (Wagtail answers 500)
                raise Http404
            _check(request.user, page, write=False)


def _check_workflow_ids(kwargs) -> None:
    """Revisions, tasks and workflow states named beside a page must be that page's own.

    Wagtail's workflow views name the task of any id in their messages ("… 目前不在任务
    '签发·乙局' 中等待审核"), so a foreign id must stop here, as a 404.
    """
    page = _get(Page, kwargs["page_id"])
    for name in ("revision_id", "revision_id_a", "revision_id_b"):
        value = kwargs.get(name)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            if not Revision.page_revisions.filter(pk=value, object_id=str(page.pk)).exists():
                raise Http404
    if "task_state_id" in kwargs:
        state = _get(TaskState, kwargs["task_state_id"])
        if str(state.workflow_state.object_id) != str(page.pk):
            raise Http404
    if "workflow_state_id" in kwargs:
        state = _get(WorkflowState, kwargs["workflow_state_id"])
        if str(state.object_id) != str(page.pk):
            raise Http404
    if "task_id" in kwargs:
        task = _get(Task, kwargs["task_id"])
        workflow = page.get_workflow()
        if workflow is None or not workflow.workflow_tasks.filter(task=task).exists():
            raise Http404


def _check_documents(request, match, write: bool) -> None:
    model = get_document_model()
    kwargs = dict(match.kwargs)
    if match.namespace == "wagtaildocs_chooser" and "pk" in kwargs:
        kwargs["document_id"] = kwargs.pop("pk")
    for name in DOCUMENT_KWARGS:
        if name in kwargs:
            _check(request.user, _get(model, kwargs[name]), write)
    for pk in request.GET.getlist("id") if match.url_name == "chosen_multiple" else ():
        _check(request.user, _get(model, pk), write=False)


def _check_bulk(request, match) -> None:
    """Bulk actions name their objects in `?id=`; each must be changeable by the user."""
    try:
        model = apps.get_model(match.kwargs["app_label"], match.kwargs["model_name"])
    except LookupError:
        raise Http404 from None
    if not (issubclass(model, Page) or scope.is_agency_owned(model)):
        raise PermissionDenied(REFUSED)

    if not issubclass(model, Page) and not isinstance(getattr(model, "snippet_viewset", None),
                                                      AgencyScopedSnippetViewSet):
        raise PermissionDenied(REFUSED)
    ids = request.GET.getlist("id")
    if "all" in ids:  # "select all" acts on every listed object, which need not be scoped
        raise PermissionDenied("批量操作请逐项勾选本机关的记录。")
    for pk in ids:
        _check(request.user, _get(model, pk), write=True)


def check_admin_request(request, match) -> None:
    """Raise PermissionDenied or Http404 unless the user may use this admin URL as asked."""
    name = match.view_name
    namespace = _namespace(match)
    if name in CLOSED_NAMES:
        raise Http404
    if NEEDS_INPUT.get(name) == request.method:
        data = request.POST if request.method == "POST" else request.GET
        if not any(value.strip() for value in data.values()):
            raise BadRequest("请求缺少必填内容，请返回上一页重新填写。")
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return  # Wagtail sends the visitor to the log-in page
    snippets = _snippet_viewsets()
    namespace_is_snippet = namespace in snippets
    if namespace_is_snippet:
        model, is_chooser = snippets[namespace]
        if is_chooser and match.url_name == "create":  # no creation form: Wagtail would answer 500
            raise PermissionDenied("请在对应的管理页面中新建记录，选择器不能新建。")
        if "pk" in match.kwargs:
            _get(model, match.kwargs["pk"])  # a malformed or unknown id is a 404, never a 500
    if scope.is_global(user):
        return
    write = request.method not in SAFE_METHODS
    if match.url_name is None and not match.namespace:
        return  # Wagtail's catch-all 404 page
    if name in OPEN_NAMES or namespace in OPEN_NAMES:
        return
    if namespace in SELF_SCOPED_NAMESPACES:
        return
    if namespace_is_snippet:
        _check_snippet(request, match, model, is_chooser, write)
        return
    if namespace in PAGE_NAMESPACES:
        _check_pages(request, match, write)
        return
    if namespace in DOCUMENT_NAMESPACES:
        _check_documents(request, match, write)
        return
    if name == "wagtail_bulk_action":
        _check_bulk(request, match)
        return
    raise PermissionDenied(REFUSED)


class AdminAgencyGuardMiddleware:
    """Apply `check_admin_request` to every request resolved under the admin URL prefix."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = getattr(settings, "GONGKAI_ADMIN_PREFIX", "/admin/")

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or not request.path_info.startswith(self.prefix):
            return None
        check_admin_request(request, match)
        return None
