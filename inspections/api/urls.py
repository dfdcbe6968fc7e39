from inspections.api import views

routes = [
    ("points", views.PointViewSet, "point"),
    ("checklists", views.ChecklistViewSet, "checklist"),
    ("inspection-rounds", views.InspectionRoundViewSet, "inspection-round"),
    ("inspections", views.InspectionViewSet, "inspection"),
    ("problems", views.ProblemViewSet, "problem"),
]
urlpatterns = []
