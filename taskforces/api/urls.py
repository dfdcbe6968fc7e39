from taskforces.api import views

routes = [
    ("task-forces", views.TaskForceViewSet, "task-force"),
    ("reminder-cards", views.ReminderCardViewSet, "reminder-card"),
    ("reports", views.ReportViewSet, "report"),
]
urlpatterns = []
