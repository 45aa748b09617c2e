from django.urls import path

from . import admin_views, admin_views_data

app_name = "interaction_admin"

urlpatterns = [
    path("messages/", admin_views.MessageListView.as_view(), name="list"),
    path("messages/edit/<int:pk>/", admin_views.CaseView.as_view(), name="case"),
    path("messages/attachment/<int:pk>/", admin_views.AttachmentView.as_view(), name="attachment"),
    path("messages/new/", admin_views.RegisterView.as_view(), name="register"),
    path("board/", admin_views.BoardView.as_view(), name="board"),
    path("import/", admin_views_data.ImportView.as_view(), name="import"),
    path("stats/", admin_views_data.StatsView.as_view(), name="stats"),
    path("from-application/<int:pk>/", admin_views.FromApplicationView.as_view(), name="from_application"),
]
