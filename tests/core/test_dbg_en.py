import io, re
import pytest
from django.core.management import call_command
from gongkai.core.visibletext import visible_text

pytestmark = pytest.mark.django_db

def test_dbg(client):
    call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model
    from gongkai.portal.models.pages import HomePage, PolicyDocumentPage
    home = HomePage.objects.filter(agency__name="洛阳市退役军人事务局").first()
    pol = PolicyDocumentPage.objects.filter(agency=home.agency).first()
    found = {}
    for user in ("demo_editor", "demo_head", "demo_officer", "demo_reviewer", "demo_admin"):
        client.force_login(get_user_model().objects.get(username=user))
        for url in ["/admin/", f"/admin/pages/{home.pk}/", f"/admin/pages/{pol.pk}/edit/", "/admin/documents/", "/admin/pages/search/?q=退役", f"/admin/pages/{pol.pk}/history/", "/admin/reports/locked/", "/admin/applications/", "/admin/interaction/messages/", "/admin/annual-reports/", f"/admin/pages/add/portal/articlepage/{home.pk}/", "/admin/documents/multiple/add/", f"/admin/pages/{pol.pk}/usage/"]:
            r = client.get(url)
            if r.status_code != 200: continue
            for part in visible_text(r.content.decode()):
                for w in re.findall(r"[A-Za-z][A-Za-z' .,…/-]*[A-Za-z…]", part):
                    found.setdefault(part[:80], set()).add(url)
    for w, urls in sorted(found.items()):
        print(repr(w), sorted(urls)[:2])
