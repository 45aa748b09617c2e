"""Public URLs of 互动交流 (mounted at /hudong/)."""

from django.urls import path

from . import views_public

app_name = "interaction"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<int:pk>/", views_public.detail, name="detail"),
    path("xie/", views_public.write, name="write"),
    path("xie/wancheng/", views_public.done, name="done"),
    path("chaxun/", views_public.query, name="query"),
]
