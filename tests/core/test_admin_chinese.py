"""The Chinese admin is complete: each role's everyday screens show no English UI phrase.

Visits the screens each demo role uses (start page, page tree, editor, history, usage,
documents, search, the case, message and report lists, the add-page form) and fails on any
visible text (text nodes, titles, placeholders, labels read out) with a Latin word that is
not a technical term or data. The project's own translations of the Wagtail strings that
Wagtail 8 leaves in English are in gongkai/locale/zh_Hans (compiled .mo checked in too).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.core.visibletext import visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]
LOCALE = Path(__file__).resolve().parents[2] / "gongkai" / "locale" / "zh_Hans" / "LC_MESSAGES"

# Names and codes, not UI language: product and format names, file types, units, ticket numbers.
ALLOWED = re.compile(r"^(Wagtail|Gongkai|PDF|DOCX|XLSX|CSV|JSON|HTML|RSS|Atom|URL|ID|ICP|HTTP|https?|www|"
                     r"Word|Excel|WPS|LY|MB|N|mzj|localhost|demo|bm|px|ok|OK)$")
# Data, not UI: query codes (HC4ZGGE63F, GEW3-46EH-C5QE) and the demo's user names.
DATA = re.compile(r"\b[A-Z0-9]{8,}\b|\b[A-Z0-9]{4}(?:-[A-Z0-9]{4})+\b|\bdemo_[a-z]+\b")
ROLES = ("demo_editor", "demo_reviewer", "demo_head", "demo_officer", "demo_messages", "demo_admin")


def screens():
    from django.contrib.auth import get_user_model

    from gongkai.annualreport.actions.draft import report_start
    from gongkai.annualreport.models import AnnualReport
    from gongkai.applications.models import Application
    from gongkai.interaction.models import Message
    from gongkai.portal.models.pages import HomePage, PolicyDocumentPage
    from wagtail.models import Page

    home = HomePage.objects.filter(agency__name="洛阳市退役军人事务局").first()
    policy = PolicyDocumentPage.objects.filter(agency=home.agency).first()
    records = [f"/admin/applications/{case.pk}/" for case in Application.objects.filter(agency=home.agency)[:3]]
    in_review = [p.pk for p in Page.objects.descendant_of(home).filter(live=False, _workflow_states__status="in_progress")]
    records += [f"/admin/pages/{pk}/{screen}/" for pk in in_review for screen in ("edit", "history", "workflow_history")]
    records += [f"/admin/portal/review/{pk}/" for pk in in_review]
    records += [f"/admin/interaction/messages/edit/{m.pk}/" for m in Message.objects.filter(agency=home.agency)[:2]]
    if not AnnualReport.objects.filter(agency=home.agency, year=2025).exists():  # a draft whose checks show findings
        report_start(home.agency, 2025, actor=get_user_model().objects.get(username="demo_editor"))
    records += [f"/admin/annual-reports/{r.pk}/" for r in AnnualReport.objects.filter(agency=home.agency)]
    return records + [f"/admin/portal/review/{policy.pk}/", "/admin/interaction/board/", "/admin/interaction/stats/",
                      "/admin/annual-reports/supervision/", "/admin/", f"/admin/pages/{home.pk}/", f"/admin/pages/{policy.pk}/edit/", f"/admin/pages/{policy.pk}/history/",
            f"/admin/pages/{policy.pk}/usage/", "/admin/documents/", "/admin/documents/multiple/add/",
            "/admin/pages/search/?q=%E9%80%80%E5%BD%B9", f"/admin/pages/add/portal/articlepage/{home.pk}/",
            "/admin/applications/", "/admin/applications/board/", "/admin/interaction/messages/",
            "/admin/annual-reports/", "/admin/portal/publish-jobs/"]


def english_words(text: str) -> list[str]:
    if text.startswith("规则代码："):
        return []  # a check's internal code, kept out of the message and offered as its tooltip
    words = re.findall(r"[A-Za-z]+", DATA.sub(" ", text))
    return [w for w in words if not ALLOWED.match(w) and len(w) > 1]


def test_every_role_sees_a_chinese_admin(client):
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=io.StringIO())
    left = {}
    for username in ROLES:
        client.force_login(get_user_model().objects.get(username=username))
        for url in screens():
            response = client.get(url)
            if response.status_code != 200:
                continue  # a screen this role may not open
            for part in visible_text(response.content.decode()):
                if english_words(part):
                    left.setdefault(part[:100], f"{username} {url}")
    assert not left, "\n".join(f"{text!r}  ({where})" for text, where in sorted(left.items()))


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_translations_match_their_source(domain):
    """The .mo in the repository is the compiled .po (a fresh machine need not have gettext)."""
    import gettext

    catalog = gettext.GNUTranslations(open(LOCALE / f"{domain}.mo", "rb"))
    source = (LOCALE / f"{domain}.po").read_text()
    singles = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, re.M)
    plurals = re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"\nmsgstr\[0\] "(.+)"$', source, re.M)
    assert len(singles) + len(plurals) >= 15
    unescape = lambda s: s.replace('\\"', '"')  # noqa: E731
    for msgid, msgstr in singles:
        assert catalog.gettext(unescape(msgid)) == unescape(msgstr), msgid
    for msgid, plural, msgstr in plurals:
        assert catalog.ngettext(unescape(msgid), unescape(plural), 2) == unescape(msgstr), msgid


def test_the_editor_scripts_speak_chinese(client):
    """Every string of the Wagtail admin's JavaScript catalog (the rich-text editor's placeholder, autosave,
    the sidebar) is served in Chinese by /admin/jsi18n/: Wagtail's own zh_Hans plus ours."""
    import json

    import wagtail.admin
    from django.contrib.auth import get_user_model

    from tests.helpers.foreign import login

    english = Path(wagtail.admin.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
    msgids = [m.replace('\\"', '"') for m in re.findall(r'^msgid "(.+)"$', english.read_text(), re.M)]
    assert len(msgids) > 50
    user = get_user_model().objects.create_superuser("js_reader", "js@example.com", "x-Password-123")
    login(client, user)
    page = client.get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", page, re.S).group(1))
    untranslated = [m for m in msgids if not catalog.get(m)]
    assert not untranslated, untranslated
    assert catalog["Write something or type ‘/’ to insert a block"] == "在此输入正文，或输入“/”插入内容块"
