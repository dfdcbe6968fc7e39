from datetime import timedelta

from django.db.models import Avg, Case, Count, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from campaigns.choices import Role, TaskStatus, UnitKind
from campaigns.models import ImprovementAction, Plan, Task, ThematicActivity, Unit, User
from campaigns.scoping import restrict

# A task's progress in per cent, computed in the database the same way as Task.progress.
TASK_PROGRESS = Case(
    When(
        target__gt=0,
        then=ExpressionWrapper(Least(F("done") * Value(100.0) / F("target"), Value(100.0)), output_field=FloatField()),
    ),
    When(status=TaskStatus.DONE, then=Value(100.0)),
    default=Value(0.0),
    output_field=FloatField(),
)


def tasks_visible_to(user):
    co_unit_tasks = (
        Task.co_units.through.objects.filter(unit_id=user.unit_id).values("task_id")
        if (user.is_authenticated and user.unit_id)
        else Task.objects.none().values("id")
    )
    return restrict(
        Task.objects.select_related("action", "lead_unit__division", "owner", "activity"),
        user,
        division="lead_unit__division",
        unit="lead_unit",
        also=Q(pk__in=co_unit_tasks),
    )


def tasks_for_export(user):
    """The battle map's rows with their co-units, for the .xlsx export (one query per chunk, not one per row)."""
    return tasks_visible_to(user).prefetch_related("co_units")


def units_visible_to(user):
    """The organisation itself is public inside the portal: everyone signed in sees every unit."""
    return Unit.objects.select_related("division", "parent")


def people_visible_to(user):
    """The active people ``user`` may pick (a task's owner, a card's leader): the whole city for those who read it,
    an officer's own unit and division for an officer."""
    return restrict(
        User.objects.filter(is_active=True).select_related("unit"), user, division="unit__division", unit="unit"
    )


def leaders_visible_to(user):
    """City leaders (市领导) are everyone's to name: they hold no district."""
    return User.objects.filter(is_active=True, role=Role.LEADER) if _signed_in(user) else User.objects.none()


def actions_visible_to(user):
    """The plan itself is public inside the portal."""
    return ImprovementAction.objects.all() if _signed_in(user) else ImprovementAction.objects.none()


def activities_visible_to(user):
    return ThematicActivity.objects.all() if _signed_in(user) else ThematicActivity.objects.none()


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def actions_with_progress(tasks=None):
    """The eight actions, each with ``progress`` (mean of its tasks' progress), ``task_count`` and ``overdue_count``."""
    tasks = tasks if tasks is not None else Task.objects.all()
    today = timezone.localdate()
    stats = {
        row["action_id"]: row
        for row in tasks.order_by()
        .values("action_id")
        .annotate(
            progress=Avg(TASK_PROGRESS),
            task_count=Count("id"),
            overdue_count=Count("id", filter=Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)),
            done_count=Count("id", filter=Q(status=TaskStatus.DONE)),
        )
    }
    actions = list(ImprovementAction.objects.select_related("lead_unit"))
    for action in actions:
        row = stats.get(action.id, {})
        action.progress = round(row.get("progress") or 0.0, 1)
        action.task_count = row.get("task_count", 0)
        action.overdue_count = row.get("overdue_count", 0)
        action.done_count = row.get("done_count", 0)
    return actions


def activities_with_progress(tasks=None):
    """The six thematic activities, each with the ``progress``, ``task_count`` and ``overdue_count`` of its tasks."""
    tasks = tasks if tasks is not None else Task.objects.all()
    today = timezone.localdate()
    stats = {
        row["activity_id"]: row
        for row in tasks.filter(activity__isnull=False)
        .order_by()
        .values("activity_id")
        .annotate(
            progress=Avg(TASK_PROGRESS),
            task_count=Count("id"),
            overdue_count=Count("id", filter=Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)),
        )
    }
    activities = list(ThematicActivity.objects.select_related("lead_unit"))
    for activity in activities:
        row = stats.get(activity.id, {})
        activity.progress = round(row.get("progress") or 0.0, 1)
        activity.task_count = row.get("task_count", 0)
        activity.overdue_count = row.get("overdue_count", 0)
    return activities


def plan_progress(actions) -> float:
    """The plan's progress: the mean of the progress of the actions that have tasks."""
    with_tasks = [a.progress for a in actions if a.task_count]
    return round(sum(with_tasks) / len(with_tasks), 1) if with_tasks else 0.0


def current_plan():
    return Plan.objects.prefetch_related("phases", "activities").order_by("-start_year").first()


def task_totals(tasks):
    today = timezone.localdate()
    return tasks.order_by().aggregate(
        total=Count("id"),
        done_count=Count("id", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)),
        due_soon=Count(
            "id",
            filter=Q(deadline__gte=today, deadline__lte=today + timedelta(days=7)) & ~Q(status=TaskStatus.DONE),
        ),
        progress=Coalesce(Avg(TASK_PROGRESS), Value(0.0)),
    )


__all__ = [
    "TASK_PROGRESS",
    "actions_with_progress",
    "current_plan",
    "plan_progress",
    "task_totals",
    "tasks_visible_to",
    "units_visible_to",
]


def headquarters_staff():
    """Who headquarters' notices go to: every active member of staff."""
    return User.objects.filter(role=Role.HEADQUARTERS, is_active=True)


def division_officers(division_id: int | None):
    """Who answers for a division: the active officers of its district/county government (创城办)."""
    return User.objects.filter(
        role=Role.OFFICER, is_active=True, unit__division_id=division_id, unit__kind=UnitKind.GOVERNMENT
    )


def unit_officers(unit_id: int | None):
    """Who answers for a unit: its active officers."""
    return User.objects.filter(unit_id=unit_id, role=Role.OFFICER, is_active=True)
