from django.urls import path

from taskforces import views

urlpatterns = [
    path("task-forces/", views.taskforce_list, name="taskforce-list"),
    path("task-forces/<int:pk>/", views.taskforce_detail, name="taskforce-detail"),
    path("setup/task-forces/", views.taskforce_setup, name="taskforce-setup"),
    path("setup/task-forces/<int:pk>/", views.taskforce_edit, name="taskforce-edit"),
    path("setup/task-forces/<int:pk>/groups/new/", views.taskforce_group_edit, name="taskforce-group-create"),
    path("setup/task-forces/<int:pk>/groups/<int:group_pk>/", views.taskforce_group_edit, name="taskforce-group-edit"),
    path("setup/report-calendar/", views.report_calendar_edit, name="report-calendar-edit"),
    path("reminder-cards/", views.remindercard_list, name="remindercard-list"),
    path("reminder-cards/new/", views.remindercard_create, name="remindercard-create"),
    path("reminder-cards/<int:pk>/", views.remindercard_detail, name="remindercard-detail"),
    path("reminder-cards/<int:pk>/pdf/", views.remindercard_pdf, name="remindercard-pdf"),
    path("reminder-cards/<int:pk>/edit/", views.remindercard_edit, name="remindercard-edit"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/board/", views.report_board, name="report-board"),
    path("reports/bulk/", views.report_bulk, name="report-bulk"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("reports/<int:pk>/attachments/", views.report_attach, name="report-attach"),
    path("reports/<int:pk>/attachments/<int:attachment_pk>/", views.report_attachment, name="report-attachment"),
]
