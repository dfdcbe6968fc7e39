from django.urls import path

from volunteers import views

urlpatterns = [
    path("volunteers/", views.volunteer_list, name="volunteer-list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer-create"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer-detail"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer-edit"),
    path("volunteers/export-unmasked/", views.volunteer_export_unmasked, name="volunteer-export-unmasked"),
    path("volunteers/personal-data-access/", views.personal_data_access_log, name="volunteer-personal-data-access"),
    path("volunteers/<int:pk>/certificate.pdf", views.volunteer_certificate, name="volunteer-certificate"),
    path("volunteers/import/", views.volunteer_import, name="volunteer-import"),
    path("volunteers/import/<int:pk>/", views.import_job, name="volunteer-import-job"),
    path("volunteers/sites/", views.site_tree, name="volunteer-site-tree"),
    path("volunteers/sites/new/", views.site_create, name="volunteer-site-create"),
    path("volunteers/sites/<int:pk>/edit/", views.site_edit, name="volunteer-site-edit"),
    path("volunteers/sites/dormant/", views.dormant_stations, name="volunteer-dormant-stations"),
    path("volunteers/teams/", views.team_list, name="volunteer-team-list"),
    path("volunteers/teams/new/", views.team_create, name="volunteer-team-create"),
    path("volunteers/teams/<int:pk>/", views.team_detail, name="volunteer-team-detail"),
    path("volunteers/teams/<int:pk>/edit/", views.team_edit, name="volunteer-team-edit"),
    path("volunteers/projects/<int:pk>/edit/", views.project_edit, name="volunteer-project-edit"),
    path("volunteers/teams/<int:team_pk>/projects/new/", views.project_create, name="volunteer-project-create"),
    path("volunteers/projects/<int:pk>/rating-card/", views.project_rating_card, name="volunteer-project-rating-card"),
    # The one page here open to everyone: a resident's rating through a project's signed link (public_rating.py).
    path("volunteers/rate/<str:token>/", views.public_rate, name="volunteer-rating-public"),
    path("volunteers/records/", views.record_list, name="volunteer-record-list"),
    path("volunteers/records/new/", views.record_create, name="volunteer-record-create"),
    path("volunteers/records/bulk-confirm/", views.record_bulk_confirm, name="volunteer-record-bulk-confirm"),
    path("volunteers/records/bulk-reject/", views.record_bulk_reject, name="volunteer-record-bulk-reject"),
    path("volunteers/records/<int:pk>/confirm/", views.record_confirm, name="volunteer-record-confirm"),
    path("volunteers/records/<int:pk>/reject/", views.record_reject, name="volunteer-record-reject"),
    path("volunteers/statistics/", views.statistics, name="volunteer-statistics"),
    path("volunteers/stars/", views.star_thresholds, name="volunteer-star-thresholds"),
]
