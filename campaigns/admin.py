from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_celery_beat.admin import CrontabScheduleAdmin, PeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import (
    Division,
    ImprovementAction,
    Notification,
    Plan,
    PlanPhase,
    Task,
    ThematicActivity,
    Unit,
    User,
    YearlyNumber,
)


class NeverDeleted:
    """For records with a number or a history, and for people: they are withdrawn, cancelled or deactivated through
    their workflow (a status with a reason), never deleted — the admin offers no delete, alone or in bulk."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "urban"]
    search_fields = ["name", "code", "pinyin"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "division", "parent", "leader_name"]
    list_filter = ["kind", "division"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class PortalUserAdmin(NeverDeleted, SimpleHistoryAdmin, UserAdmin):
    """People are deactivated (``is_active``), never deleted: their names stay on what they did."""

    list_display = ["username", "display_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__division"]
    search_fields = ["username", "display_name", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = UserAdmin.fieldsets + (("创城平台", {"fields": ["display_name", "role", "unit", "title", "phone"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("创城平台", {"fields": ["display_name", "role", "unit"]}),)


class PlanPhaseInline(admin.TabularInline):
    model = PlanPhase
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year"]
    inlines = [PlanPhaseInline]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(SimpleHistoryAdmin):
    list_display = ["no", "name", "lead_unit"]
    autocomplete_fields = ["lead_unit"]


@admin.register(ThematicActivity)
class ThematicActivityAdmin(SimpleHistoryAdmin):
    list_display = ["no", "name"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "action", "lead_unit", "owner", "deadline", "status", "target", "done"]
    list_filter = ["action", "status", "lead_unit__division"]
    search_fields = ["title", "lead_unit__name"]
    autocomplete_fields = ["lead_unit", "co_units", "owner"]
    date_hierarchy = "deadline"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "key"]
    raw_id_fields = ["recipient"]


@admin.register(YearlyNumber)
class YearlyNumberAdmin(admin.ModelAdmin):
    list_display = ["series", "year", "last_number"]
    readonly_fields = ["series", "year", "last_number"]

    def has_add_permission(self, request):
        return False


# The beat schedule: django-celery-beat's own admin, with the history kept in this app (campaigns/models.py).
admin.site.unregister(PeriodicTask)
admin.site.unregister(CrontabSchedule)


def _recorded(action):
    """One of the beat admin's switch actions, which write with ``update()``, followed by a history row per task."""

    def switch(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        action(self, request, queryset)
        PeriodicTask.history.bulk_history_create(
            list(PeriodicTask.objects.filter(pk__in=ids)), update=True, default_user=request.user
        )

    return admin.action(description=action.short_description)(switch)


@admin.register(PeriodicTask)
class PeriodicTaskHistoryAdmin(SimpleHistoryAdmin, PeriodicTaskAdmin):
    enable_tasks = _recorded(PeriodicTaskAdmin.enable_tasks)
    disable_tasks = _recorded(PeriodicTaskAdmin.disable_tasks)
    toggle_tasks = _recorded(PeriodicTaskAdmin.toggle_tasks)


@admin.register(CrontabSchedule)
class CrontabScheduleHistoryAdmin(SimpleHistoryAdmin, CrontabScheduleAdmin):
    pass
