from django.contrib import admin

from taskforces.models import TaskForce, TaskForceGroup


class TaskForceGroupInline(admin.StackedInline):
    model = TaskForceGroup
    extra = 0
    autocomplete_fields = ["leader", "members"]


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "code", "leader"]
    list_display_links = ["name"]
    autocomplete_fields = ["leader", "members"]
    filter_horizontal = ["liaison_divisions"]
    inlines = [TaskForceGroupInline]
