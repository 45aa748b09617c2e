"""Keep the search index in step with publication: index on publish, drop on unpublish."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models.page_base import DisclosablePage
from ..models.pages import ColumnPage
from ..extraction import document_text
from ..scan import page_text
from .backends import get_backend, index_tokens
from .models import SearchDocument

MAX_TEXT = 20_000


def document_fields(page) -> dict:
    texts = [text for where, text in page_text(page) if where != "标题"]
    for attachment in page.attachments.all():
        ok, text, _problem = document_text(attachment.document)
        texts.append(f"附件：{attachment.display_title} " + (text if ok else ""))
    body = " ".join(t.strip() for t in texts if t and t.strip())
    column = ColumnPage.objects.ancestor_of(page).order_by("-depth").first()
    published = page.first_published_at
    return {
        "agency_id": page.agency_id, "title": page.title[:255], "url": page.get_url() or page.url_path,
        "text": body[:MAX_TEXT], "tokens": index_tokens(page.title + " " + body),
        "column_id": column.pk if column else None, "category": page.statutory_category or "",
        "year": timezone.localdate(published).year if published else None, "published_at": published,
        "index_number": page.index_number or "", "path": page.path,
    }


@transaction.atomic
def index_page(page) -> None:
    page = page.specific
    if not isinstance(page, DisclosablePage):
        return
    if not page.live:
        unindex_page(page.pk)
        return
    doc, _ = SearchDocument.objects.update_or_create(page_id=page.pk, defaults=document_fields(page))
    get_backend().upsert(doc)


@transaction.atomic
def unindex_page(page_id: int) -> None:
    docs = list(SearchDocument.objects.filter(page_id=page_id))
    if docs:
        get_backend().delete(docs)
        SearchDocument.objects.filter(pk__in=[d.pk for d in docs]).delete()


def reindex_all(agency=None) -> int:
    qs = DisclosablePage.objects.live()
    if agency is not None:
        qs = qs.filter(agency=agency)
    live_ids = set()
    count = 0
    for page in qs.specific().iterator(chunk_size=500):
        index_page(page)
        live_ids.add(page.pk)
        count += 1
    stale = SearchDocument.objects.exclude(page_id__in=live_ids)
    if agency is not None:
        stale = stale.filter(agency=agency)
    for page_id in stale.values_list("page_id", flat=True):
        unindex_page(page_id)
    return count
