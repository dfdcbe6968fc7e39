"""The league table's and the circulars' pages, included by ``inspections/urls.py``."""

from django.urls import path

from inspections import league_views

urlpatterns = [
    path("league/", league_views.league_table, name="inspections-league"),
    path("league/<int:pk>/", league_views.league_division, name="inspections-league-division"),
    path("circulars/", league_views.circular_list, name="inspections-circular-list"),
    path("circulars/<int:pk>/", league_views.circular_detail, name="inspections-circular-detail"),
    path("circulars/<int:pk>/publish/", league_views.circular_publish, name="inspections-circular-publish"),
    path("circulars/<int:pk>/pdf/", league_views.circular_pdf, name="inspections-circular-pdf"),
]
