from taskforces.api import views

routes = [
    ("task-forces", views.TaskForceViewSet, "task-force"),
]
urlpatterns = []
