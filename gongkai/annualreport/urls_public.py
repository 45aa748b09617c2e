from django.urls import path

from . import views_public

app_name = "annualreport_public"

urlpatterns = [
    path("<str:credit_code>/<int:year>/", views_public.page, name="page"),
    path("<str:credit_code>/<int:year>/report.<str:fmt>", views_public.download, name="download"),
]
