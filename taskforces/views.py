from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from taskforces.models import TaskForce, TaskForceGroup


@login_required
def taskforce_list(request):
    task_forces = (
        TaskForce.objects.select_related("leader")
        .prefetch_related("liaison_divisions")
        .annotate(group_count=Count("groups", distinct=True), member_count=Count("members", distinct=True))
    )
    return render(request, "taskforces/taskforce_list.html", {"task_forces": task_forces})


@login_required
def taskforce_detail(request, pk):
    groups = TaskForceGroup.objects.select_related("leader__unit").prefetch_related("members__unit")
    task_force = get_object_or_404(
        TaskForce.objects.select_related("leader__unit").prefetch_related(
            "liaison_divisions", "members__unit", Prefetch("groups", queryset=groups)
        ),
        pk=pk,
    )
    return render(request, "taskforces/taskforce_detail.html", {"task_force": task_force})
