from django.urls import path

from campaigns import setup_views as views

urlpatterns = [
    path("", views.setup_home, name="setup"),
    path("units/", views.unit_tree_page, name="setup-units"),
    path("units/new/", views.unit_create, name="setup-unit-create"),
    path("units/<int:pk>/", views.unit_edit, name="setup-unit-edit"),
    path("people/", views.person_list, name="setup-people"),
    path("people/new/", views.person_invite, name="setup-person-invite"),
    path("people/<int:pk>/", views.person_edit, name="setup-person-edit"),
    path("people/<int:pk>/deactivate/", views.person_set_active, {"active": False}, name="setup-person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_set_active, {"active": True}, name="setup-person-reactivate"),
    path("plan/", views.plan_setup, name="setup-plan"),
    path("plan/phases/<int:pk>/", views.plan_phase_edit, name="setup-plan-phase"),
    path("plan/actions/<int:pk>/lead-unit/", views.lead_unit_edit, {"kind": "action"}, name="setup-action-lead"),
    path("plan/activities/<int:pk>/lead-unit/", views.lead_unit_edit, {"kind": "activity"}, name="setup-activity-lead"),
    path("workdays/", views.workday_list, name="setup-workdays"),
    path("workdays/<int:pk>/remove/", views.workday_remove, name="setup-workday-remove"),
    path("schedules/", views.schedule_list, name="setup-schedules"),
    path("schedules/<int:pk>/", views.schedule_edit, name="setup-schedule-edit"),
]
