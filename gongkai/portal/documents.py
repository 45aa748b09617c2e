"""Refuse an uploaded attachment whose content is not what its extension says."""

from __future__ import annotations

import io
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.documents.forms import BaseDocumentForm
from wagtail.models import CollectionViewRestriction, Page, ReferenceIndex

from gongkai.audit.record import record

from .models.page_base import PageAttachment
from .setup import agency_collection, private_collection

ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
LABELS = {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": "Excel（XLSX）"}


def check_content(name: str, head: bytes, data_reader) -> None:
    """Raise ValidationError when a PDF/DOCX/XLSX file is something else inside."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "pdf":
        if not head.lstrip()[:5] == b"%PDF-":
            raise ValidationError(f"文件“{name}”的扩展名是 .pdf，但内容不是 PDF 文件。请上传真正的 PDF 文件，或改正扩展名。")
    elif ext in ZIP_MEMBERS:
        if not head.startswith(b"PK"):
            raise ValidationError(f"文件“{name}”的扩展名是 .{ext}，但内容不是{LABELS[ext]}文件。请用办公软件另存为 .{ext} 后再上传。")
        try:
            with zipfile.ZipFile(io.BytesIO(data_reader())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise ValidationError(f"文件“{name}”已损坏，无法打开。请重新导出后上传。") from None
        if ZIP_MEMBERS[ext] not in names or "[Content_Types].xml" not in names:
            raise ValidationError(f"文件“{name}”的扩展名是 .{ext}，但内容不是{LABELS[ext]}文件。请改正扩展名或重新导出。")


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read"):
            position = upload.tell() if hasattr(upload, "tell") else 0
            upload.seek(0)
            head = upload.read(1024)

            def read_all():
                upload.seek(0)
                return upload.read()

            try:
                check_content(upload.name, head, read_all)
            finally:
                upload.seek(position)
        return upload


# --- Publication of documents -------------------------------------------------------------
#
# The rule, in one place (`document_is_public`): an uploaded file is public exactly while a
# live page references it — an attachment or a rich-text link in the page's published
# content (for a live page the page row and its attachment rows hold the published
# revision; Wagtail's reference index is built from them). Anyone else gets 404, except
# staff whose collection permissions cover the document (their agency's editors and
# reviewers), who fetch it through the same URL from the admin.
#
# Collections mirror the rule for Wagtail's own defences: uploads go into the agency's
# private collection "未公开附件" (a view restriction to the agency's groups; editors may
# add documents only there), publishing moves the documents a live page uses into the
# agency's collection, and unpublishing moves those no live page uses back
# (`setup.private_collection`).

def _document_ct():
    return ContentType.objects.get_for_model(get_document_model())


def _referencing_page_ids(document_ids=None, page_ids=None):
    """(page id, document id) pairs from attachments and from Wagtail's reference index."""
    attachments = PageAttachment.objects.all()
    refs = ReferenceIndex.objects.filter(to_content_type=_document_ct(),
                                         base_content_type=ContentType.objects.get_for_model(Page))
    if document_ids is not None:
        attachments = attachments.filter(document_id__in=list(document_ids))
        refs = refs.filter(to_object_id__in=[str(i) for i in document_ids])
    if page_ids is not None:
        page_ids = [int(pk) for pk in page_ids]
        attachments = attachments.filter(page_id__in=page_ids)
        refs = refs.filter(object_id__in=[str(pk) for pk in page_ids])
    pairs = set(attachments.values_list("page_id", "document_id"))
    for page_id, doc_id in refs.values_list("object_id", "to_object_id"):
        if str(doc_id).isdigit() and str(page_id).isdigit():
            pairs.add((int(page_id), int(doc_id)))
    return pairs


def public_document_ids(live_pages) -> set[int]:
    """Documents used by the given live pages' published content."""
    page_ids = list(Page.objects.filter(pk__in=live_pages.values("pk")).live().values_list("pk", flat=True))
    if not page_ids:
        return set()
    return {doc_id for _page, doc_id in _referencing_page_ids(page_ids=page_ids)}


def document_is_public(document) -> bool:
    """True while a live page's published content uses the document."""
    page_ids = {page_id for page_id, _doc in _referencing_page_ids(document_ids=[document.pk])}
    return bool(page_ids) and Page.objects.live().filter(pk__in=page_ids).exists()


def user_may_fetch_unpublished(user, document) -> bool:
    """Staff whose collection permissions cover the document (their own agency's) may fetch it before publication."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # Wagtail warns when this module is imported before the documents app is ready
    from wagtail.documents.permissions import permission_policy

    return permission_policy.user_has_any_permission_for_instance(user, ["change", "choose"], document)


def before_serve_document(document, request):
    """The one gate in front of every document download (Wagtail's `before_serve_document` hook)."""
    if document_is_public(document) or user_may_fetch_unpublished(request.user, document):
        return None
    raise Http404("该文件尚未公开。")


def _agency_of_page(page):
    return getattr(page.specific_deferred, "agency", None) if hasattr(page.specific_deferred, "agency_id") else None


def reconcile_documents(agency, *, page=None) -> tuple[list[int], list[int]]:
    """Move the agency's documents between its public and private collections to match publication.

    Called (in the publishing transaction) after a page of the agency is published or
    unpublished. Each move is recorded in the audit log. Returns (released, withdrawn) ids.
    """
    if page is not None:  # do not wait for Wagtail's (possibly queued) reference-index task
        ReferenceIndex.create_or_update_for_object(page.specific)
    public_collection = agency_collection(agency)
    private = private_collection(agency)
    documents = get_document_model().objects.filter(collection__path__startswith=public_collection.path)
    doc_ids = list(documents.values_list("pk", flat=True))
    if not doc_ids:
        return [], []
    pairs = _referencing_page_ids(document_ids=doc_ids)
    live = set(Page.objects.live().filter(pk__in={p for p, _d in pairs}).values_list("pk", flat=True))
    public = {d for p, d in pairs if p in live}
    restricted_paths = tuple(CollectionViewRestriction.objects.filter(
        collection__path__startswith=public_collection.path).values_list("collection__path", flat=True))
    released, withdrawn = [], []
    for document in documents.select_related("collection"):
        restricted = document.collection_id == private.pk or document.collection.path.startswith(restricted_paths)
        if document.pk in public and restricted:
            target, code, bucket = public_collection, "portal.document_release", released
        elif document.pk not in public and not restricted:
            target, code, bucket = private, "portal.document_withdraw", withdrawn
        else:
            continue
        old_collection = document.collection.name
        type(document).objects.filter(pk=document.pk).update(collection=target)
        record(code, agency=agency, subject=document, actor_label="系统（随页面发布）",
               old={"collection": old_collection},
               new={"collection": target.name, "page": page.pk if page is not None else None})
        bucket.append(document.pk)
    return released, withdrawn


def on_page_publication_changed(sender, instance, **kwargs):
    """page_published / page_unpublished: keep the agency's documents' collections in step."""
    agency = _agency_of_page(instance)
    if agency is not None:
        reconcile_documents(agency, page=instance)
