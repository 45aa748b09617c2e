from django.urls import path

from . import views_admin

app_name = "accounts"
urlpatterns = [path("2fa/", views_admin.otp, name="otp")]
