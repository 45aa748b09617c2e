"""Public pages: the published report of an agency and year, and its downloads.

Only a published revision is ever shown here (the latest one when corrected); drafts and
signed-but-unpublished revisions are 404. The portal's 年报 column links to these downloads.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render

from gongkai.agencies.models import Agency
from gongkai.portal.models.disclosure_pages import AnnualReportPage

from . import outputs, publishing, selectors, tasks
from .checks import document_from_snapshot
from .models import PdfJob


def _revision(credit_code: str, year: int):
    agency = Agency.objects.filter(credit_code=credit_code.upper()).first()
    if agency is None:
        raise Http404
    revision = selectors.published_revision(agency, year)
    if revision is None:
        raise Http404
    return agency, revision


def page(request, credit_code: str, year: int):
    agency, revision = _revision(credit_code, year)
    doc = document_from_snapshot(revision.snapshot)
    return render(request, "annualreport/public.html", {
        "agency": agency, "revision": revision, "doc": doc, "title": doc.display_title(),
        "body": _scrolling_tables(outputs.body_html(doc)), "note": publishing.revision_note(revision),
        "downloads": [(fmt, label, publishing.public_url(agency, year, fmt))
                      for fmt, label in (("pdf", "PDF"), ("docx", "Word（DOCX）"), ("json", "数据（JSON）"))],
        "portal_page": _portal_page(agency, year),
    })


def _scrolling_tables(body: str) -> str:
    """Each table in a box that scrolls sideways on its own, so that a phone never scrolls the whole page; the box
    takes the keyboard focus, so that arrow keys scroll it too."""
    box = '<div class="table-scroll" tabindex="0" role="region" aria-label="表格（可左右滚动）"><table>'
    return body.replace("<table>", box).replace("</table>", "</table></div>")


def _portal_page(agency, year):
    column = publishing.annual_report_column(agency)
    if column is None:
        return None
    return AnnualReportPage.objects.child_of(column).live().filter(year=year).first()


def download(request, credit_code: str, year: int, fmt: str):
    if fmt not in outputs.FORMATS:
        raise Http404
    agency, revision = _revision(credit_code, year)
    doc = document_from_snapshot(revision.snapshot)
    key = f"annualreport:{revision.pk}:{fmt}"
    data = cache.get(key)
    if data is None and fmt == "pdf":  # the PDF staff had rendered in the background for the same content
        data = PdfJob.objects.filter(report_id=revision.report_id, content_key=tasks.content_key(doc),
                                     status=PdfJob.Status.DONE).values_list("data", flat=True).first()
        data = bytes(data) if data is not None else None
    if data is None:
        findings = revision.snapshot.get("findings") or []
        data = outputs.render_bytes(doc, fmt, findings)
        cache.set(key, data, 24 * 3600)
    content_type, _ext = outputs.FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(outputs.filename(doc, fmt))}"
    return response
