from django.urls import path

from . import views_admin

app_name = "inspection_admin"

urlpatterns = [
    path("", views_admin.IndexView.as_view(), name="index"),
    path("site/<int:pk>/", views_admin.SiteView.as_view(), name="site"),
    path("supervision/", views_admin.SupervisionView.as_view(), name="supervision"),
    path("supervision/export.<str:fmt>", views_admin.SupervisionExportView.as_view(), name="supervision_export"),
]
