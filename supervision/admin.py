from django.contrib import admin

from campaigns.admin import NeverDeleted
from supervision.models import (
    CardAttachment,
    CardEscalation,
    CardTransition,
    ExtensionRequest,
    SupervisionCard,
)


class CardTransitionInline(NeverDeleted, admin.TabularInline):
    model = CardTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionRequestInline(NeverDeleted, admin.TabularInline):
    model = ExtensionRequest
    extra = 0
    can_delete = False
    readonly_fields = [
        "requested_by",
        "requested_at",
        "reason",
        "old_deadline",
        "new_deadline",
        "status",
        "decided_by",
        "decided_at",
        "comment",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class CardEscalationInline(NeverDeleted, admin.TabularInline):
    model = CardEscalation
    extra = 0
    can_delete = False
    readonly_fields = ["step", "fired_at", "deadline"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionCard)
class SupervisionCardAdmin(NeverDeleted, admin.ModelAdmin):
    """Data stewards read cards and correct texts here; status moves only happen through the portal's services."""

    list_display = ["number", "title", "assignee_unit", "source", "deadline", "status", "rework_count", "issued_at"]
    list_filter = ["status", "source", "division", "year"]
    search_fields = ["number", "title", "description"]
    date_hierarchy = "issued_at"
    list_select_related = ["assignee_unit"]
    raw_id_fields = ["issued_by", "responsible_leader"]
    readonly_fields = [
        "number",
        "year",
        "sequence",
        "status",
        "status_changed_at",
        "closed_at",
        "issued_by",
        "issued_at",
        "assignee_unit",
        "division",
        "deadline",
        "original_deadline",
        "rework_count",
        "extension_count",
        "flagged_at",
        "circular_listed_at",
    ]
    inlines = [CardTransitionInline, ExtensionRequestInline, CardEscalationInline]

    def has_add_permission(self, request):
        return False  # issued through the portal, which numbers it


@admin.register(CardAttachment)
class CardAttachmentAdmin(NeverDeleted, admin.ModelAdmin):
    list_display = ["card", "kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    readonly_fields = ["card", "transition", "kind", "file", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CardEscalation)
class CardEscalationAdmin(NeverDeleted, admin.ModelAdmin):
    list_display = ["card", "step", "fired_at", "deadline"]
    list_filter = ["step"]
