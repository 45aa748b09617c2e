"""Reads of the portal, always scoped to an agency or a page of its site."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count

from .models.page_base import STATUTORY_CATEGORIES, CATEGORY_NUMERALS, DisclosablePage

HOME_ITEMS = 6
PAGE_SIZE = 20


def paginate(queryset, request, size=PAGE_SIZE):
    paginator = Paginator(queryset, size)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(1)


def column_items(column):
    """Everything published under a column (or topic), newest first."""
    return (DisclosablePage.objects.live().descendant_of(column).filter(agency_id=column.agency_id)
            .only("id", "title", "url_path", "path", "depth", "first_published_at", "content_type_id",
                  "index_number", "validity", "summary", "locale_id")
            .order_by("-first_published_at", "-pk"))


def navigation(home) -> list:
    return list(home.get_children().live().in_menu().specific().order_by("path")) if home else []


def statutory_groups(agency, per_group: int = 5) -> list[dict]:
    base = DisclosablePage.objects.live().filter(agency=agency, index_number__isnull=False)
    counts = dict(base.order_by().values("statutory_category").annotate(n=Count("pk"))
                  .values_list("statutory_category", "n"))
    groups = []
    for i, (code, label) in enumerate(STATUTORY_CATEGORIES):
        items = list(base.filter(statutory_category=code).order_by("-first_published_at")[:per_group]) \
            if counts.get(code) else []
        groups.append({"code": code, "numeral": CATEGORY_NUMERALS[i], "label": label,
                       "count": counts.get(code, 0), "items": items})
    return groups


def failed_publications(agency_ids) -> list:
    """Pages of these agencies whose latest publication job failed (今日待办): a later success clears it."""
    from django.db.models import Exists, OuterRef

    from .models.publishjobs import PublishJob

    later = PublishJob.objects.filter(page_id=OuterRef("page_id"), created_at__gt=OuterRef("created_at"))
    return list(PublishJob.objects.filter(agency_id__in=agency_ids, status=PublishJob.Status.FAILED)
                .exclude(Exists(later)).select_related("agency").order_by("-created_at"))
