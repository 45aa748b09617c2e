from django.urls import path

from . import views_admin, views_admin_data

app_name = "interaction_admin"

urlpatterns = [
    path("messages/", views_admin.MessageListView.as_view(), name="list"),
    path("messages/edit/<int:pk>/", views_admin.CaseView.as_view(), name="case"),
    path("messages/attachment/<int:pk>/", views_admin.AttachmentView.as_view(), name="attachment"),
    path("messages/new/", views_admin.RegisterView.as_view(), name="register"),
    path("board/", views_admin.BoardView.as_view(), name="board"),
    path("import/", views_admin_data.ImportView.as_view(), name="import"),
    path("stats/", views_admin_data.StatsView.as_view(), name="stats"),
    path("from-application/<int:pk>/", views_admin.FromApplicationView.as_view(), name="from_application"),
]
