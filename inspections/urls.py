from django.urls import path

from inspections import views

urlpatterns = [
    path("inspections/rounds/<int:pk>/", views.round_detail, name="inspections-round-detail"),
    path("inspections/problems/<int:pk>/", views.problem_detail, name="inspections-problem-detail"),
]
