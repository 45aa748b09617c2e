"""The 《条例》第三十五条 letter: staff print it from the case page like the other letters."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gongkai.applications import actions, letters, printing

from .helpers import register

pytestmark = pytest.mark.django_db


def test_the_art_35_letter_states_the_new_deadline_and_the_reason(client, agency, officer, fixed_today, tmp_path):
    agency.short_name = "测退"
    agency.save()
    app = register(agency, officer)
    assert "special_deadline" not in [k for k, _l, _r in letters.available_letters(app)]
    actions.application_set_special_deadline(app, actor=officer, on=date(2026, 3, 2), new_due=date(2026, 5, 29),
                                             reason="申请人本月已提交申请35件，需逐件检索档案")
    assert ("special_deadline", "另行确定答复期限告知书", "") in letters.available_letters(app)
    letter = printing.letter_for(app, "special_deadline", actor=officer, issue=True)
    text = "\n".join(letter.paragraphs)
    assert letter.title == "政府信息公开申请另行确定答复期限告知书" and letter.recipient == "张三"
    assert "2026年5月29日前作出答复" in text and "申请人本月已提交申请35件，需逐件检索档案" in text
    assert "第三十五条" in text and letter.article == "《中华人民共和国政府信息公开条例》第三十五条"
    assert letter.doc_number == "测退依申期〔2026〕1号" and letter.signed_on == date(2026, 3, 2)

    client.force_login(officer)
    page = client.get(f"/admin/applications/{app.pk}/").content.decode()
    url = f"/admin/applications/{app.pk}/letter/special_deadline.pdf"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as doc:
        pdf_text = "".join(p.extract_text() for p in doc.pages)
    for expected in ("另行确定答复期限告知书", "测退依申期〔2026〕1号", "2026年5月29日", "第三十五条"):
        assert expected in pdf_text.replace(" ", "").replace("\n", ""), expected
    # The same number on a reprint.
    assert letters.build_letter(app, "special_deadline").doc_number == "测退依申期〔2026〕1号"
    out = Path(os.environ.get("GONGKAI_LETTER_PNG_DIR", tmp_path))
    (out / "art35.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out / "art35.pdf"), str(out / "art35")], check=True)
    assert list(out.glob("art35*.png"))
