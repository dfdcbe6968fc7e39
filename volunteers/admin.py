"""The admin for headquarters' data stewards. Saves and deletes change the dashboard counters by the difference they
make (``volunteers/stats.py``), in the admin's own transaction — never by a recount."""

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin import NeverDeleted
from volunteers import privacy, stats
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
    # Minimum necessary (volunteers/privacy.py): a steward sees an existing volunteer's ID number and phone masked
    # here, like everywhere else; the full values only through the logged reveal on the volunteer's page. A new
    # volunteer's numbers are typed in on the add form, which therefore shows them.
    personal_fields = ("id_number", "phone")
    masked_fields = ("masked_id_number", "masked_phone", "personal_data_reveal")

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f not in self.masked_fields]
        if obj is None:
            return fields
        fields = [f for f in fields if f not in self.personal_fields]
        at = fields.index("birth_date") + 1 if "birth_date" in fields else len(fields)
        return fields[:at] + list(self.masked_fields) + fields[at:]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else readonly + list(self.masked_fields)

    @admin.display(description="身份证号（已遮挡）")
    def masked_id_number(self, obj):
        return privacy.mask_id_number(obj.id_number)

    @admin.display(description="手机号（已遮挡）")
    def masked_phone(self, obj):
        return privacy.mask_phone(obj.phone)

    @admin.display(description="完整信息")
    def personal_data_reveal(self, obj):
        return format_html(
            '<a href="{}">在志愿者页面查看完整身份证号和手机号（查看将记入个人信息访问日志）</a>',
            reverse("volunteer-detail", args=[obj.pk]),
        )


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
