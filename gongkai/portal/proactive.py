"""依申请转主动 on the portal side (《条例》第四十四条): a draft page from a group of applications.

`draft_for_group(agency, group, actor)` writes a `ContentPage` — unpublished, with one revision —
in the agency's site: under a column of the 政府信息公开 section whose title says 主动公开
(e.g. “其他主动公开内容”), else directly under 政府信息公开. The page belongs to the agency's
信息发布审核 workflow like any other, so an editor completes it and sends it 初审 → 保密审查 → 签发;
nothing is published here.

`attach_release_files(page, applications)` attaches to the draft the files the applicants
received (their released copies: redacted and checked, `gongkai.applications.ReleaseFile`),
each once, as documents of the agency's 未公开附件 collection: they pass the 保密审查 scan of
the review like any attachment, and become public only with the page.
"""

from __future__ import annotations

import re

from django.utils.html import escape

from gongkai.core.domain import DomainError
from gongkai.law.sameinfo import doc_number_key

from .models.disclosure_pages import DisclosureIndexPage
from .models.page_base import DOC_NUMBER_RE
from .models.pages import ColumnPage, ContentPage

CATEGORY_OTHER = "15"  # 《条例》第二十条第（十五）项: 其他应当主动公开的政府信息
_LEADING = re.compile(r"^(申请|请求|要求)?(公开|提供|获取|查询)?(关于)?")


def target_column(agency):
    """Where the draft goes: a live 主动公开 column under 政府信息公开, else 政府信息公开 itself."""
    index = DisclosureIndexPage.objects.filter(agency=agency).first()
    if index is None:
        raise DomainError(f"{agency.name}的门户网站还没有“政府信息公开”栏目，请先建立该栏目后再转为主动公开。")
    column = (ColumnPage.objects.descendant_of(index).live().filter(agency=agency, title__contains="主动公开")
              .order_by("depth", "path").first())
    return column or index


def draft_title(group) -> str:
    title = _LEADING.sub("", group.title.strip()).strip("：:，, 。") or group.title.strip()
    return title[:120]


def draft_body(group) -> str:
    numbers = "、".join(c.number for c in group.cases)
    described = []
    for case in group.cases:
        text = case.description.strip()
        if text and text not in described:
            described.append(text)
    lines = [f"<p>{group.applicants}个申请人先后就本信息向本机关提出政府信息公开申请（申请编号 {escape(numbers)}）。"
             "根据《中华人民共和国政府信息公开条例》第四十四条，本机关将其纳入主动公开范围。</p>",
             "<p>【请编辑在此写明公开的信息内容或上传附件，删除本段后提交审核。申请人对所需信息的描述如下，仅供参考，"
             "发布前请删除：】</p>"]
    lines += [f"<p>{escape(text[:500])}</p>" for text in described[:5]]
    return "".join(lines)


def draft_for_group(agency, group, *, actor) -> ContentPage:
    parent = target_column(agency)
    numbers = [n for n in group.doc_numbers if DOC_NUMBER_RE.match(n)]
    if not numbers:
        keys = {doc_number_key(c.document_number) for c in group.cases} - {""}
        numbers = sorted(n for n in keys if DOC_NUMBER_RE.match(n))[:1]
    title = draft_title(group)
    page = ContentPage(title=title, slug="", live=False, statutory_category=CATEGORY_OTHER,
                       doc_number=numbers[0] if len(numbers) == 1 else "", summary=f"{title}（依申请转主动公开）"[:500],
                       body=draft_body(group), owner=actor)
    parent.add_child(instance=page)
    attach_release_files(page, group.cases)
    page.save_revision(user=actor)
    return page


def attach_release_files(page, applications) -> int:
    """Attach the files released to these applications to the draft page; returns how many.

    Only files an applicant could receive (`releasable`: checked, or confirmed by a second
    person); the same file given to several applicants with the same redaction (same original,
    same marks) is attached once.
    """
    import json

    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from gongkai.applications.models import ReleaseFile

    from .models.page_base import PageAttachment
    from .setup import private_collection

    Document = get_document_model()
    seen: set[tuple[str, str]] = set()
    attachments = []
    files = ReleaseFile.objects.filter(application__in=[a.pk for a in applications]).order_by("application_id", "id")
    for f in files:
        key = (f.original_sha256, json.dumps(f.marks, sort_keys=True, ensure_ascii=False))
        if not f.releasable or key in seen:
            continue
        seen.add(key)
        with f.released.open("rb") as fh:
            data = fh.read()
        stem = f.name.rpartition(".")[0] or f.name
        document = Document.objects.create(title=stem, file=ContentFile(data, name=f"{stem}.pdf"),
                                           collection=private_collection(page.agency))
        attachments.append(PageAttachment(document=document, title=stem))
    if attachments:
        page.attachments = attachments
    return len(attachments)
