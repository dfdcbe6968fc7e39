from django.contrib import admin

from inspections.models import (
    Inspection,
    InspectionResult,
    InspectionRound,
    Point,
    PointCategory,
    Problem,
    ProblemEscalation,
    ProblemTransition,
    SeverityDeadline,
    Standard,
)


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0
    fields = ["position", "aspect", "code", "text", "weight", "indicator", "severity", "is_active"]


@admin.register(PointCategory)
class PointCategoryAdmin(admin.ModelAdmin):
    list_display = ["position", "name"]
    inlines = [StandardInline]


@admin.register(SeverityDeadline)
class SeverityDeadlineAdmin(admin.ModelAdmin):
    """Headquarters sets how many days each severity gives a unit to rectify."""

    list_display = ["severity", "days"]


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "division", "responsible_unit", "is_active", "last_inspected_at"]
    list_filter = ["division", "category", "is_active"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["responsible_unit"]
    raw_id_fields = ["leader"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "created_by"]
    filter_horizontal = ["supervisors"]
    raw_id_fields = ["points"]


class ResultInline(admin.TabularInline):
    model = InspectionResult
    extra = 0
    can_delete = False
    readonly_fields = ["standard", "standard_code", "standard_text", "aspect", "weight", "outcome", "note", "problem"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["point", "division", "inspector", "inspected_at", "score_rate"]
    list_filter = ["division", "round"]
    readonly_fields = ["weighted_passed", "weighted_applicable", "score_rate", "client_key"]
    raw_id_fields = ["point"]
    inlines = [ResultInline]


class ProblemTransitionInline(admin.TabularInline):
    model = ProblemTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read-mostly: the loop moves only through the services (pages and API)."""

    list_display = ["id", "point", "division", "responsible_unit", "status", "deadline", "rework_count"]
    list_filter = ["status", "division", "severity", "is_recurrence"]
    readonly_fields = [f.name for f in Problem._meta.concrete_fields]
    inlines = [ProblemTransitionInline]


@admin.register(ProblemEscalation)
class ProblemEscalationAdmin(admin.ModelAdmin):
    list_display = ["problem", "step", "fired_at", "deadline"]
