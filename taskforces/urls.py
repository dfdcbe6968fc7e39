from django.urls import path

from taskforces import views

urlpatterns = [
    path("task-forces/", views.taskforce_list, name="taskforce-list"),
    path("task-forces/<int:pk>/", views.taskforce_detail, name="taskforce-detail"),
]
