from django.urls import path

from . import views_admin, views_admin_release

app_name = "applications_admin"

urlpatterns = [
    path("", views_admin.CaseListView.as_view(), name="list"),
    path("board/", views_admin.BoardView.as_view(), name="board"),
    path("same-info/", views_admin.SameInfoBoardView.as_view(), name="same_info"),
    path("same-info/<int:pk>/dismiss/", views_admin.SameInfoDismissView.as_view(), name="same_info_dismiss"),
    path("new/", views_admin.RegisterView.as_view(), name="register"),
    path("<int:pk>/", views_admin.CaseView.as_view(), name="case"),
    path("<int:pk>/do/<str:verb>/", views_admin.CaseActionView.as_view(), name="action"),
    path("<int:pk>/letter/<str:key>.<str:fmt>", views_admin.letter_download, name="letter"),
    path("record/<str:kind>/<int:pk>/", views_admin.SubRecordActionView.as_view(), name="sub"),
    path("<int:pk>/release/add/", views_admin_release.ReleaseAddView.as_view(), name="release_add"),
    path("release/<int:pk>/redact/", views_admin_release.RedactView.as_view(), name="release_redact"),
    path("release/<int:pk>/confirm/", views_admin_release.ConfirmView.as_view(), name="release_confirm"),
    path("release/<int:pk>/remove/", views_admin_release.RemoveView.as_view(), name="release_remove"),
    path("release/<int:pk>/original/", views_admin_release.download_original, name="release_original"),
    path("release/<int:pk>/released/", views_admin_release.download_released, name="release_released"),
    path("release/<int:pk>/job/", views_admin_release.job_status, name="release_job"),
]
