from django.urls import path

from datong_portal.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("screen/", views.screen, name="cockpit-screen"),
]
