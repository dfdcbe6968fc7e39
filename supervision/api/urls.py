from supervision.api import views

routes = [("supervision-cards", views.SupervisionCardViewSet, "supervision-card")]
urlpatterns = []
