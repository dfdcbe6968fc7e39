from django.urls import path

from campaigns.api import views

routes = [
    ("divisions", views.DivisionViewSet, "division"),
    ("units", views.UnitViewSet, "unit"),
    ("improvement-actions", views.ImprovementActionViewSet, "improvement-action"),
    ("tasks", views.TaskViewSet, "task"),
]

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("notifications/mark-read/", views.NotificationMarkReadView.as_view(), name="api-notifications-mark-read"),
]
