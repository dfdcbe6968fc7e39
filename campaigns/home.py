"""The plan's section of the home page (the cockpit, ``datong_portal/dashboard/views.py``): the user's tasks, the eight
actions' progress and what is overdue or due soon."""

from django.utils import timezone

from campaigns import selectors


def _action_chart(actions):
    return {
        "labels": [f"{a.no}. {a.name[:10]}" for a in actions],
        "datasets": [{"label": "进度 %", "data": [a.progress for a in actions], "backgroundColor": "#a4161a"}],
    }


def home_context(request) -> dict:
    tasks = selectors.tasks_visible_to(request.user)
    actions = selectors.actions_with_progress(tasks)
    return {
        "actions": actions,
        "plan_progress": selectors.plan_progress(actions),
        "totals": selectors.task_totals(tasks),
        # Lists, not querysets: the context is kept pickled (campaigns/figures.py), and an officer's queryset names
        # the co-units' auto-created through model, which pickle cannot find by name.
        "urgent_tasks": list(tasks.overdue()[:8]),
        "upcoming_tasks": list(tasks.exclude(status="done").filter(deadline__gte=timezone.localdate())[:8]),
        "plan": selectors.current_plan(),
        "action_chart": _action_chart(actions),
    }
