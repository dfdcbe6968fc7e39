from django.contrib import admin

from datong_portal.briefing.models import Briefing


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    """Read-only: briefings are asked for on the briefing page and built by the worker."""

    list_display = ["__str__", "status", "pages", "build_seconds", "requested_by", "finished_at"]
    list_filter = ["status", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
