"""The admin for headquarters' data stewards. Saves and deletes change the dashboard counters by the difference they
make (``volunteers/stats.py``), in the admin's own transaction — never by a recount."""

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin import NeverDeleted
from volunteers import stats
from volunteers.models import (
    ImportJob,
    PersonalDataAccess,
    PracticeSite,
    Rating,
    ServiceProject,
    ServiceRecord,
    StarThreshold,
    Volunteer,
    VolunteerTeam,
)


def _counted_with_cascade(obj) -> dict:
    """What deleting ``obj`` uncounts: itself and the counted rows the delete cascades to (a project's ratings)."""
    parts = [stats.contribution(obj)]
    if isinstance(obj, ServiceProject):
        parts += [stats.contribution(rating) for rating in Rating.objects.filter(project=obj)]
    return stats.summed(parts)


class CountersKeptInStep(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = stats.contribution(type(obj).objects.select_for_update().get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        stats.apply(stats.difference(before, stats.contribution(obj)))

    def delete_model(self, request, obj):
        counted = _counted_with_cascade(obj)
        super().delete_model(request, obj)
        stats.apply(stats.negated(counted))

    @transaction.atomic  # the changelist's delete action runs outside the admin's atomic views
    def delete_queryset(self, request, queryset):
        counted = stats.summed(_counted_with_cascade(obj) for obj in queryset.select_for_update())
        super().delete_queryset(request, queryset)
        stats.apply(stats.negated(counted))


@admin.register(PracticeSite)
class PracticeSiteAdmin(CountersKeptInStep):
    list_display = ["name", "level", "division", "parent", "responsible_person"]
    list_filter = ["level", "division"]
    search_fields = ["name"]
    raw_id_fields = ["parent"]


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(CountersKeptInStep):
    list_display = ["name", "level", "division", "leader_name", "leader_user", "members_count"]
    list_filter = ["level", "division"]
    search_fields = ["name"]
    raw_id_fields = ["practice_site", "leader_user"]
    readonly_fields = ["members_count"]


@admin.register(Volunteer)
class VolunteerAdmin(CountersKeptInStep):
    list_display = ["volunteer_no", "name", "division", "registered_at", "confirmed_hours", "star"]
    list_filter = ["division", "star"]
    search_fields = ["=volunteer_no", "name"]
    readonly_fields = ["confirmed_hours", "star", "last_service_date"]
    show_full_result_count = False  # no COUNT(*) over 400,000 rows on every page


@admin.register(ServiceProject)
class ServiceProjectAdmin(CountersKeptInStep):
    list_display = ["title", "team", "division", "start_date", "end_date"]
    list_filter = ["division"]
    search_fields = ["title"]
    raw_id_fields = ["team", "practice_site"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(NeverDeleted, admin.ModelAdmin):
    list_display = ["volunteer", "project", "date", "hours", "status"]
    list_filter = ["status", "division"]
    raw_id_fields = ["volunteer", "project", "decided_by"]
    readonly_fields = ["hours", "status", "decided_by", "decided_at"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # status moves only through the confirm/reject services


@admin.register(Rating)
class RatingAdmin(CountersKeptInStep):
    list_display = ["project", "rater_kind", "score", "answer", "satisfied", "comment", "created_at"]
    list_filter = ["division", "satisfied", "rater_kind", "answer"]
    raw_id_fields = ["project"]


@admin.register(StarThreshold)
class StarThresholdAdmin(SimpleHistoryAdmin):
    """Read-only here: the page /volunteers/stars/ changes all five at once and re-rates every volunteer."""

    list_display = ["star", "min_hours"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "total", "created", "updated", "created_by", "created_at"]
    readonly_fields = ["errors"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(NeverDeleted, admin.ModelAdmin):
    """The log of full reads of personal data: read only, never changed or deleted."""

    list_display = ["at", "user", "via", "volunteer", "rows", "purpose"]
    list_filter = ["via"]
    list_select_related = ["user", "volunteer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
