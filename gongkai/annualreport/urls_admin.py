from django.urls import path

from . import views

app_name = "annualreport_admin"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("supervision/", views.SupervisionView.as_view(), name="supervision"),
    path("<int:pk>/", views.ReportView.as_view(), name="report"),
    path("<int:pk>/prose/", views.ProseView.as_view(), name="prose"),
    path("<int:pk>/figures/", views.FiguresView.as_view(), name="figures"),
    path("<int:pk>/figures/template.csv", views.figures_template, name="figures_template"),
    path("<int:pk>/previous/", views.PreviousView.as_view(), name="previous"),
    path("<int:pk>/cell/<str:key>/", views.CellView.as_view(), name="cell"),
    path("<int:pk>/download.<str:fmt>", views.download, name="download"),
]
