from django.urls import path

from . import views_admin

app_name = "annualreport_admin"

urlpatterns = [
    path("", views_admin.IndexView.as_view(), name="index"),
    path("supervision/", views_admin.SupervisionView.as_view(), name="supervision"),
    path("<int:pk>/", views_admin.ReportView.as_view(), name="report"),
    path("<int:pk>/prose/", views_admin.ProseView.as_view(), name="prose"),
    path("<int:pk>/figures/", views_admin.FiguresView.as_view(), name="figures"),
    path("<int:pk>/figures/template.csv", views_admin.figures_template, name="figures_template"),
    path("<int:pk>/previous/", views_admin.PreviousView.as_view(), name="previous"),
    path("<int:pk>/cell/<str:key>/", views_admin.CellView.as_view(), name="cell"),
    path("<int:pk>/download.<str:fmt>", views_admin.download, name="download"),
]
