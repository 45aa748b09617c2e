from django.urls import path

from . import views_public

app_name = "applications_public"

urlpatterns = [
    path("", views_public.apply, name="apply"),
    path("receipt/", views_public.receipt, name="receipt"),
    path("status/", views_public.status, name="status"),
    path("status/download/<str:token>/", views_public.download, name="download"),
    path("published/", views_public.published, name="published"),
]
