from django.urls import path

from inspections import views

urlpatterns = [
    path("inspections/points/", views.point_list, name="inspections-point-list"),
    path("inspections/points/new/", views.point_create, name="inspections-point-create"),
    path("inspections/points/import/", views.point_import, name="inspections-point-import"),
    path("inspections/points/export/", views.point_export, name="inspections-point-export"),
    path("inspections/points/<int:pk>/", views.point_detail, name="inspections-point-detail"),
    path("inspections/points/<int:pk>/edit/", views.point_edit, name="inspections-point-edit"),
    path("inspections/points/<int:pk>/visit/", views.visit_form, name="inspections-visit-form"),
    path("inspections/checklists/", views.checklist_list, name="inspections-checklist-list"),
    path("inspections/checklists/<int:pk>/", views.checklist_detail, name="inspections-checklist-detail"),
    path("inspections/standards/<int:pk>/edit/", views.standard_edit, name="inspections-standard-edit"),
    path("inspections/rounds/", views.round_list, name="inspections-round-list"),
    path("inspections/rounds/new/", views.round_create, name="inspections-round-create"),
    path("inspections/rounds/<int:pk>/", views.round_detail, name="inspections-round-detail"),
    path("inspections/visits/<int:pk>/", views.visit_detail, name="inspections-visit-detail"),
    path("inspections/problems/", views.problem_list, name="inspections-problem-list"),
    path("inspections/problems/inbox/", views.problem_inbox, name="inspections-problem-inbox"),
    path("inspections/problems/<int:pk>/", views.problem_detail, name="inspections-problem-detail"),
    path("inspections/problems/<int:pk>/dispatch/", views.problem_dispatch, name="inspections-problem-dispatch"),
    path("inspections/problems/<int:pk>/rectify/", views.problem_rectify, name="inspections-problem-rectify"),
    path("inspections/problems/<int:pk>/recheck/", views.problem_recheck, name="inspections-problem-recheck"),
    path("inspections/problems/<int:pk>/raise-card/", views.problem_raise_card, name="inspections-problem-raise-card"),
    path("inspections/photos/<int:pk>/", views.photo, name="inspections-photo"),
]

# The league table and the circulars (inspections/league_urls.py).
from inspections.league_urls import urlpatterns as league_urlpatterns  # noqa: E402

urlpatterns += league_urlpatterns
