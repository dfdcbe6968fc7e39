from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin import NeverDeleted
from taskforces.models import (
    ReminderCard,
    Report,
    ReportAttachment,
    ReportCalendar,
    ReportTransition,
    TaskForce,
    TaskForceGroup,
)


class TaskForceGroupInline(admin.StackedInline):
    model = TaskForceGroup
    extra = 0
    autocomplete_fields = ["leader", "members"]


@admin.register(TaskForce)
class TaskForceAdmin(SimpleHistoryAdmin):
    list_display = ["order", "name", "code", "leader"]
    list_display_links = ["name"]
    autocomplete_fields = ["leader", "members"]
    filter_horizontal = ["liaison_divisions"]
    inlines = [TaskForceGroupInline]


@admin.register(ReportCalendar)
class ReportCalendarAdmin(SimpleHistoryAdmin):
    """Headquarters sets the deadlines here: weekly due time, the monthly due day and time, the reminder lead."""

    list_display = ["__str__", "weekly_due_time", "monthly_due_day", "monthly_due_time", "monthly_remind_days_before"]

    def has_add_permission(self, request):
        return not ReportCalendar.objects.exists()


@admin.register(ReminderCard)
class ReminderCardAdmin(NeverDeleted, SimpleHistoryAdmin):
    list_display = ["number", "title", "recipient_unit", "recipient_leader", "issued_at", "active"]
    list_filter = ["year", "active"]
    search_fields = ["title", "recipient_unit__name"]
    autocomplete_fields = ["recipient_unit", "recipient_leader", "issued_by", "tasks"]
    readonly_fields = ["year", "seq"]


class ReportTransitionInline(NeverDeleted, admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class ReportAttachmentInline(NeverDeleted, admin.TabularInline):
    model = ReportAttachment
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Report)
class ReportAdmin(NeverDeleted, admin.ModelAdmin):
    """Read-mostly: status moves happen in the portal (services), so the admin does not offer the status field."""

    list_display = ["period", "kind", "unit", "leader", "due_at", "status", "submitted_at", "is_late"]
    list_filter = ["kind", "status", "is_late", "period"]
    search_fields = ["unit__name", "period"]
    autocomplete_fields = ["unit", "leader"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "is_late", "missing_marked_at"]
    inlines = [ReportTransitionInline, ReportAttachmentInline]
