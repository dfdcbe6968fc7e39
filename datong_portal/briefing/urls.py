from django.urls import path

from datong_portal.briefing import views

urlpatterns = [
    path("briefings/", views.briefing_list, name="briefing-list"),
    path("briefings/<int:pk>/progress/", views.briefing_progress, name="briefing-progress"),
    path("briefings/<int:pk>/pdf/", views.briefing_download, name="briefing-download"),
]
