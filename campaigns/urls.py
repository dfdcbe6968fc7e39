from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plan/", views.plan_detail, name="plan"),
    path("divisions/", views.division_list, name="division-list"),
    path("divisions/<int:pk>/", views.division_detail, name="division-detail"),
    path("units/", views.unit_list, name="unit-list"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/new/", views.task_create, name="task-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/close/", views.task_move, {"action": "close"}, name="task-close"),
    path("tasks/<int:pk>/reopen/", views.task_move, {"action": "reopen"}, name="task-reopen"),
    path("inbox/", views.inbox, name="inbox"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("setup/", include("campaigns.setup_urls")),
    path("notifications/read/", views.notification_read, name="notification-read"),
    path("exports/<int:pk>/", views.export_job, name="export-job"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export-job-download"),
]
