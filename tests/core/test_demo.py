import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import call_command

from gongkai.agencies.models import Agency, Membership
from gongkai.agencies.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "contenttypes", "auth", "audit", "wagtailsearch"}
    }


def test_demo_loads_once_with_one_user_per_role(capsys, client):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo2026gongkai" in out
    agency = Agency.objects.get(name="洛阳市退役军人事务局")
    assert agency.is_demo and agency.supervisor.name == "洛阳市人民政府办公室"
    assert set(Membership.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert "2024年度报告已签发并公开" in out
    _published_2024_report(client, agency)
    first = _counts()
    call_command("load_demo")
    assert _counts() == first, "a second run must not duplicate anything"
    assert "年度报告演示数据已存在，未重复创建。" in capsys.readouterr().out


def _published_2024_report(client, agency):
    """What a citizen sees of the demo's 2024 annual report: the 年报 column, the page, the three downloads."""
    from gongkai.annualreport.compute import compute
    from gongkai.annualreport.models import AnnualReport, ReportRevision

    report = AnnualReport.objects.get(agency=agency, year=2024)
    assert report.status == "published" and report.revision == 1
    revision = ReportRevision.objects.get(report=report)
    assert revision.signed_by.username == "demo_head" and revision.published_at
    findings = revision.snapshot["findings"]
    assert [f["rule"] for f in findings if f["severity"] == "error"] == []
    assert all(f.get("reason") for f in findings)  # each warning with its reason (no 2023 report in the system)
    cells = compute(agency, 2024).cells
    assert revision.snapshot["cells"] == cells and cells["apply.new.total"] == 4
    assert cells["apply.carried_forward.total"] == 0 == compute(agency, 2025).cells["apply.carried_over.total"]
    # 2025 is left for staff to draft (the start page shows it as late; the browser test walks it).
    assert not AnnualReport.objects.filter(agency=agency, year=2025).exists()

    host = {"HTTP_HOST": "127.0.0.1:8000"}
    title = "洛阳市退役军人事务局2024年政府信息公开工作年度报告"
    column = client.get("/xxgk/gknb/", **host)
    assert column.status_code == 200 and title in column.content.decode()
    portal_page = client.get("/xxgk/gknb/2024/", **host)
    assert portal_page.status_code == 200 and "勾稽关系" in portal_page.content.decode()
    base = f"/annual-reports/{agency.credit_code}/2024/"
    page = client.get(base).content.decode()
    assert title in page and "本年度新收政府信息公开申请4件" in page
    for fmt in ("pdf", "docx", "json"):
        assert f"{base}report.{fmt}" in page and f"{base}report.{fmt}" in portal_page.content.decode()
    pdf = client.get(f"{base}report.pdf").content
    assert pdf.startswith(b"%PDF")
    _no_page_ends_with_a_heading(pdf)
    docx = client.get(f"{base}report.docx").content
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        assert "word/document.xml" in zf.namelist() and b"Noto" not in zf.read("word/styles.xml")
    data = json.loads(client.get(f"{base}report.json").content)
    assert data["year"] == 2024 and data["agency"] == agency.name and data["cells"] == cells
    assert data["blank_cells"] == [] and len(data["cells"]) == 200


def _no_page_ends_with_a_heading(pdf: bytes) -> None:
    """Per page: the last line is no section heading, no "（一）…" line and no caption of table 二."""
    import re

    import pdfplumber

    from gongkai.law.reportformat import spec
    from gongkai.law.reportformat.layout import is_subheading

    headings = {"".join(spec.SECTION_TITLES[name].split()) for name in spec.SECTION_NAMES}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [page.extract_text() or "" for page in doc.pages]
    assert len(pages) >= 3 and "草稿" not in "".join(pages)
    for number, text in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("—")]
        last = "".join(lines[-1].split())
        assert last not in headings and not is_subheading(last), (number, last)
        assert not re.fullmatch(r"第二十条第（[一二三四五六七八九十]+）项", last), (number, last)
