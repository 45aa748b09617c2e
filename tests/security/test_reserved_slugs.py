"""A page cannot take a slug that would hide an application route once published."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import path

from gongkai.agencies.roles import Role
from gongkai.portal.reserved import reserved_slug_error, reserved_top_level
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(agency, settings, tmp_path):
    from gongkai.portal.setup import ensure_agency_portal

    settings.PUBLISH_ROOT = tmp_path / "publish"
    return ensure_agency_portal(agency, hostname="testserver", port=80, default=True)


def _column(slug, kind="policy"):
    from gongkai.portal.models.pages import ColumnPage

    return ColumnPage(title=f"栏目{slug}", slug=slug, kind=kind)


@pytest.mark.parametrize("slug", ["apply", "hudong", "admin", "search", "documents", "static", "media", "accounts",
                                  "annual-reports", "api", "healthz", "sitemap", "feeds", "Apply"])
def test_model_refuses_a_reserved_slug_under_the_site_root(home, slug):
    with pytest.raises(ValidationError) as excinfo:
        home.add_child(instance=_column(slug))
    message = excinfo.value.message_dict["slug"][0]
    assert "不能使用" in message and "请换一个网址名称" in message


def test_an_ordinary_slug_and_a_deeper_reserved_word_are_allowed(home):
    column = home.add_child(instance=_column("zcwj"))
    assert column.pk
    # Under a column, /zcwj/search/ hides nothing.
    child = column.add_child(instance=_column("search", kind="news"))
    assert child.pk


def test_a_child_cannot_hide_its_column_feed(home):
    column = home.add_child(instance=_column("zcwj"))
    with pytest.raises(ValidationError) as excinfo:
        column.add_child(instance=_column("feed", kind="news"))
    assert "订阅或导出" in excinfo.value.message_dict["slug"][0]


def test_renaming_an_existing_page_to_a_reserved_slug_is_refused(home):
    column = home.add_child(instance=_column("zcwj"))
    column.slug = "hudong"
    with pytest.raises(ValidationError):
        column.full_clean()


def test_a_new_route_is_reserved_without_editing_a_list(home, settings):
    import types

    from django.urls import clear_url_caches

    from gongkai import urls

    module = types.ModuleType("gongkai_test_urls")
    module.urlpatterns = [path("brand-new-route/", lambda request: None)] + list(urls.urlpatterns)
    import sys

    sys.modules["gongkai_test_urls"] = module
    settings.ROOT_URLCONF = "gongkai_test_urls"
    clear_url_caches()
    try:
        assert "brand-new-route" in reserved_top_level()
        assert reserved_slug_error("brand-new-route", home)
    finally:
        settings.ROOT_URLCONF = "gongkai.urls"
        clear_url_caches()
        sys.modules.pop("gongkai_test_urls", None)


def test_every_first_segment_of_the_urlconf_is_reserved():
    names = reserved_top_level()
    for expected in ("apply", "hudong", "admin", "search", "documents", "accounts", "annual-reports", "healthz",
                     "sitemap.xml", "static", "media", "robots.txt", "favicon.ico"):
        assert expected in names


def test_the_editor_form_refuses_a_reserved_slug(client, home, agency):
    from django.contrib.contenttypes.models import ContentType

    from gongkai.portal.models.pages import ColumnPage

    editor = make_user("slug-editor", agency=agency, role=Role.SYSADMIN)
    editor.is_superuser = True
    editor.save()
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=editor, name="备用码")
    device.token_set.create(token="11223344")
    client.force_login(editor)
    assert client.post("/accounts/2fa/", {"token": "11223344", "next": "/admin/"}).status_code == 302
    ct = ContentType.objects.get_for_model(ColumnPage)
    url = f"/admin/pages/add/{ct.app_label}/{ct.model}/{home.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, {"title": "申请", "slug": "apply", "kind": "policy", "action-publish": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "网址名称“apply”不能使用" in body
    assert not ColumnPage.objects.filter(slug="apply").exists()
