"""Which records of Wagtail's own models (pages, documents, collections) a user may see.

Agency-owned Gongkai models carry an `agency` field and are scoped by
`visible_agency_ids`. Wagtail's models are not: a page belongs to the agency whose home
page it sits under, a document to the agency whose collection holds it
(`gongkai.portal.setup`). The admin guard and the chooser hooks use these helpers.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Collection, Page

from .access import _is_global, changeable_agency_ids, visible_agency_ids
from .models import Agency


def is_global(user) -> bool:
    return _is_global(user)


def agency_field(model):
    """The `agency` foreign key of a model that belongs to an agency, or None."""
    for field in model._meta.concrete_fields:
        if field.name == "agency" and field.is_relation and field.related_model is Agency:
            return field
    return None


def is_agency_owned(model) -> bool:
    return model is Agency or agency_field(model) is not None


def owner_agency_id(obj) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    return getattr(obj, "agency_id", None)


def _home_paths(agency_ids) -> list[str]:
    """Paths of the top page of each agency's tree (its home page, right under the root).

    The pages right under the root are few (one per site): their specific models are
    asked for the agency, so that this layer does not import the portal app. Two queries
    in the usual case (one content type at depth 2).
    """
    ids = set(agency_ids)
    if not ids:
        return []
    by_type: dict[int, dict[int, str]] = {}
    for pk, path, type_id in Page.objects.filter(depth=2).values_list("pk", "path", "content_type_id"):
        by_type.setdefault(type_id, {})[pk] = path
    paths = []
    for type_id, tops in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or agency_field(model) is None:
            continue
        owned = model.objects.filter(pk__in=tops, agency_id__in=ids).values_list("pk", flat=True)
        paths += [tops[pk] for pk in owned]
    return paths


def page_filter(agency_ids) -> Q:
    """Pages at or below the home pages of the given agencies (and the tree root)."""
    condition = Q(depth=1)
    for path in _home_paths(agency_ids):
        condition |= Q(path__startswith=path)
    return condition


def visible_pages_q(user) -> Q | None:
    """None means no restriction (global administrators)."""
    if is_global(user):
        return None
    return page_filter(visible_agency_ids(user))


def page_allowed(user, page, *, write: bool) -> bool:
    if is_global(user):
        return True
    if page.depth == 1:
        return not write
    ids = changeable_agency_ids(user) if write else visible_agency_ids(user)
    return any(page.path.startswith(path) for path in _home_paths(ids))


def _collection_paths(agency_ids) -> list[str]:
    names = list(Agency.objects.filter(pk__in=agency_ids).values_list("name", flat=True))
    return list(Collection.objects.filter(depth=2, name__in=names).values_list("path", flat=True))


def collection_filter(agency_ids, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for path in _collection_paths(agency_ids):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def visible_collection_ids(user) -> list[int]:
    """Ids of the collections (and sub-collections) of the agencies the user may read."""
    return list(Collection.objects.filter(collection_filter(visible_agency_ids(user))).values_list("pk", flat=True))


def collection_allowed(user, collection, *, write: bool) -> bool:
    if is_global(user):
        return True
    ids = changeable_agency_ids(user) if write else visible_agency_ids(user)
    return any(collection.path.startswith(path) for path in _collection_paths(ids))


def object_allowed(user, obj, *, write: bool) -> bool:
    """May the user read (or change) this object as far as agencies are concerned?"""
    if is_global(user):
        return True
    if isinstance(obj, Page):
        return page_allowed(user, obj, write=write)
    if isinstance(obj, Collection):
        return collection_allowed(user, obj, write=write)
    collection = getattr(obj, "collection", None)
    if isinstance(collection, Collection):
        return collection_allowed(user, collection, write=write)
    if is_agency_owned(type(obj)):
        ids = changeable_agency_ids(user) if write else visible_agency_ids(user)
        return owner_agency_id(obj) in ids
    return True
