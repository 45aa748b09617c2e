from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from gongkai.applications import views_public as applications_public
from gongkai.core import views_public as core_views
from gongkai.portal import views_public as portal_views
from gongkai.portal.search.views_public import search as portal_search

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("accounts/", include("gongkai.accounts.urls_admin")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("apply/", include("gongkai.applications.urls_public", namespace="applications_public")),
    path("verify/", applications_public.verify, name="letter_verify"),
    path("hudong/", include("gongkai.interaction.urls_public", namespace="interaction")),
    path("search/", portal_search, name="portal_search"),
    path("sitemap.xml", portal_views.sitemap, name="portal_sitemap"),
    path("wzdt/", portal_views.site_map, name="portal_site_map"),
    path("annual-reports/", include("gongkai.annualreport.urls_public", namespace="annualreport_public")),
    path("", include(wagtail_urls)),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
