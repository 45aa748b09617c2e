"""Fixtures for the portal: an agency site, columns, pages with attachments, a tmp publish directory."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from gongkai.agencies.roles import Role
from gongkai.law.identifiers import id_number_check_char

ID17 = "41030219800101123"
ID_NUMBER = ID17 + id_number_check_char(ID17)


def luhn_complete(prefix: str) -> str:
    from gongkai.law.identifiers import luhn_ok

    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError


BANK_CARD = luhn_complete("622202020011223344")


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_document(name: str, data: bytes, title: str | None = None):
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(title=title or name, file=ContentFile(data, name=name))


@pytest.fixture(autouse=True)
def publish_root(settings, tmp_path):
    settings.PUBLISH_ROOT = tmp_path / "publish"
    return settings.PUBLISH_ROOT


@pytest.fixture
def home(agency):
    from gongkai.portal.setup import ensure_agency_portal

    return ensure_agency_portal(agency, hostname="testserver", port=80, default=True)


@pytest.fixture
def column(home):
    from gongkai.portal.models.pages import ColumnPage

    column = ColumnPage(title="政策文件", slug="zcwj", kind="policy", show_in_menus=True)
    home.add_child(instance=column)
    column.save_revision().publish()
    return column


@pytest.fixture
def staff(agency, staff_factory):
    return {role: staff_factory(agency, role=role, username=f"portal_{role}") for role in
            (Role.EDITOR, Role.REVIEWER, Role.CONFIDENTIALITY_REVIEWER, Role.SIGNER)}


def make_policy(column, title="关于退役军人优待工作的通知", body="<p>退役军人优待工作按本通知执行。</p>", attachments=(),
                publish=False, **fields):
    from gongkai.portal.models.page_base import PageAttachment
    from gongkai.portal.models.pages import PolicyDocumentPage

    page = PolicyDocumentPage(live=False, title=title, slug=fields.pop("slug", None) or f"p{PolicyDocumentPage.objects.count() + 1}",
                              issuer="测试市退役军人事务局", body=body, **{"statutory_category": "01", **fields})
    for doc in attachments:
        page.attachments.add(PageAttachment(document=doc))
    column.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
