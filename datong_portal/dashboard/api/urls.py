from django.urls import path

from datong_portal.dashboard.api import views

urlpatterns = [
    path("dashboard/summary/", views.SummaryView.as_view(), name="api-dashboard-summary"),
    path("dashboard/cockpit/", views.CockpitView.as_view(), name="api-dashboard-cockpit"),
    path("dashboard/districts/", views.DistrictsView.as_view(), name="api-dashboard-districts"),
]
