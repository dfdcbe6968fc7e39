from volunteers.api import views

routes = [
    ("practice-sites", views.PracticeSiteViewSet, "practice-site"),
    ("volunteer-teams", views.VolunteerTeamViewSet, "volunteer-team"),
    ("volunteers", views.VolunteerViewSet, "volunteer"),
    ("service-projects", views.ServiceProjectViewSet, "service-project"),
    ("service-records", views.ServiceRecordViewSet, "service-record"),
    ("volunteer-import-jobs", views.ImportJobViewSet, "volunteer-import-job"),
]
urlpatterns = []
