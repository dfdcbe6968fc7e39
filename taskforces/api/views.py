from django.db.models import Prefetch
from rest_framework import viewsets

from taskforces.api.serializers import TaskForceSerializer
from taskforces.models import TaskForce, TaskForceGroup


class TaskForceViewSet(viewsets.ReadOnlyModelViewSet):
    """The eight task forces with their groups. The organisation is public inside the portal."""

    serializer_class = TaskForceSerializer
    search_fields = ["name", "code", "field"]
    filterset_fields = ["code"]

    def get_queryset(self):
        return TaskForce.objects.select_related("leader").prefetch_related(
            "members",
            "liaison_divisions",
            Prefetch("groups", queryset=TaskForceGroup.objects.select_related("leader").prefetch_related("members")),
        )
