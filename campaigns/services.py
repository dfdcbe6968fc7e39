"""Every write to the organisation and the plan that matters. Keyword-only, atomic, checked against the actor.

A task's status moves only through :data:`campaigns.workflows.TASK_WORKFLOW`: it follows the figures (see
:func:`_follow_figures`), and headquarters closes or reopens a task (:func:`task_close`, :func:`task_reopen`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.choices import TaskStatus
from campaigns.errors import NotAllowed
from campaigns.models import Task, Unit, User
from campaigns.scoping import may_change
from campaigns.text import clean_text
from campaigns.workflows import TASK_WORKFLOW

# What an officer may change on a task of their own; headquarters may change everything but the status.
OFFICER_TASK_FIELDS = {"done", "description"}
TASK_FIELDS = {
    "title",
    "description",
    "action",
    "activity",
    "lead_unit",
    "owner",
    "deadline",
    "target",
    "done",
    "measure",
}
STATUS_FOLLOWS = "任务状态随完成情况自动变化，或由指挥部办结、重新打开，不能直接设置。"


def _clean_and_save(task: Task):
    task.full_clean(exclude=["co_units"])
    task.save()


OWNER_CANNOT_SEE = "责任人须能看到此任务：请从牵头单位、配合单位或牵头单位所在区县的人员中选择。"


def _check_owner_sees(task: Task) -> None:
    """A task's owner is chosen from the people who can see it (campaigns/scoping.py): checked once the lead unit and
    the co-units are in place; the atomic block undoes the save."""
    from campaigns.selectors import tasks_visible_to

    if task.owner_id is not None and not tasks_visible_to(task.owner).filter(pk=task.pk).exists():
        raise ValidationError({"owner": [OWNER_CANNOT_SEE]})


def _follow_figures(task: Task, *, actor) -> None:
    """Move the (locked) task as its figures say: started once some progress is recorded, done once the target is
    met. A closed or completed task stays done until headquarters reopens it."""
    if task.status == TaskStatus.DONE:
        return
    if task.target and task.done >= task.target:
        TASK_WORKFLOW.apply(task, "complete", actor=actor, note=f"完成值 {task.done} 达到目标值 {task.target}")
    elif task.status == TaskStatus.NOT_STARTED and task.done > 0:
        TASK_WORKFLOW.apply(task, "start", actor=actor, note=f"完成值 {task.done}")


def _refuse_status(fields) -> None:
    if "status" in fields:
        raise ValidationError({"status": [STATUS_FOLLOWS]})


@transaction.atomic
def task_create(*, actor, co_units=(), **fields) -> Task:
    TASK_WORKFLOW.check_creation("create", actor=actor)
    _refuse_status(fields)
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    task = Task(**fields, status=TaskStatus.NOT_STARTED)
    task._history_user = actor  # the history row names the actor, in a request or not
    _clean_and_save(task)
    task.co_units.set(co_units)
    _check_owner_sees(task)
    TASK_WORKFLOW.record_creation(task, "create", actor=actor)
    _follow_figures(task, actor=actor)
    return task


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)


@transaction.atomic
def task_update(*, actor, task: Task, co_units=None, **fields) -> Task:
    task = _locked(task)
    if not may_change(actor, task.lead_unit.division_id, task.lead_unit_id):
        raise NotAllowed("您无权修改此任务。")
    _refuse_status(fields)
    allowed = TASK_FIELDS if actor.is_headquarters else OFFICER_TASK_FIELDS
    forbidden = set(fields) - allowed
    if co_units is not None and not actor.is_headquarters:
        forbidden.add("co_units")
    if forbidden:
        raise NotAllowed("您只能更新任务的完成值和说明。" if not actor.is_headquarters else "不能设置这些字段。")
    for name, value in fields.items():
        setattr(task, name, value)
    task._history_user = actor  # the history row names the actor, in a request or not
    _clean_and_save(task)
    if co_units is not None:
        task.co_units.set(co_units)
    _check_owner_sees(task)
    _follow_figures(task, actor=actor)
    return task


@transaction.atomic
def task_close(*, actor, task: Task, note: str = "") -> Task:
    """Headquarters closes (办结) an open task, whatever its figures say."""
    task = _locked(task)
    TASK_WORKFLOW.check(task, "close", actor=actor)
    TASK_WORKFLOW.apply(task, "close", actor=actor, note=clean_text(note, "note", max_length=2000))
    return task


@transaction.atomic
def task_reopen(*, actor, task: Task, note: str = "") -> Task:
    """Headquarters reopens a done task; it stays open until the figures or headquarters say otherwise."""
    task = _locked(task)
    TASK_WORKFLOW.check(task, "reopen", actor=actor)
    TASK_WORKFLOW.apply(task, "reopen", actor=actor, note=clean_text(note, "note", max_length=2000))
    return task


# --- headquarters sets up the campaign (the set-up pages, campaigns/setup_views.py) ----------------------------------


def _require_headquarters(actor) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_headquarters):
        raise NotAllowed("只有指挥部可以进行创城设置。")


def _saved(record, *, actor, exclude=()):
    """Validate ``record`` as its model says (Chinese messages), name ``actor`` in its history row, and save it."""
    record.full_clean(exclude=list(exclude))
    record._history_user = actor
    record.save()
    return record


UNIT_FIELDS = {"name", "short_name", "kind", "division", "parent", "leader_name", "leader_title", "phone"}


def _check_unit_tree(unit: Unit) -> None:
    """A unit's parent chain never comes back to itself."""
    seen, parent = {unit.pk}, unit.parent
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": ["上级单位不能是本单位或其下级单位。"]})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def unit_create(*, actor, **fields) -> Unit:
    _require_headquarters(actor)
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    return _saved(Unit(**fields), actor=actor)


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    _require_headquarters(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    for name, value in fields.items():
        setattr(unit, name, value)
    _check_unit_tree(unit)
    return _saved(unit, actor=actor)


PERSON_FIELDS = {"display_name", "role", "unit", "title", "phone", "email"}


def _check_person(person: User) -> None:
    from campaigns.choices import Role

    if person.role != Role.API_READER and person.unit_id is None:
        raise ValidationError({"unit": ["请选择所属单位：每个人都属于一个单位。"]})


@transaction.atomic
def person_invite(*, actor, username: str, password: str, **fields) -> User:
    """Headquarters opens an account with a first password (the person changes it after signing in)."""
    from django.contrib.auth.password_validation import validate_password

    _require_headquarters(actor)
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    person = User(username=(username or "").strip(), **fields)
    _check_person(person)
    try:
        validate_password(password or "", person)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    person.set_password(password)
    person.full_clean(exclude=["password"])
    person._history_user = actor
    person.save()
    return person


@transaction.atomic
def person_update(*, actor, person: User, **fields) -> User:
    _require_headquarters(actor)
    person = User.objects.select_for_update().get(pk=person.pk)
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    for name, value in fields.items():
        setattr(person, name, value)
    _check_person(person)
    if person.pk == actor.pk and not person.is_headquarters:
        raise ValidationError({"role": ["不能取消自己的指挥部角色。"]})
    return _saved(person, actor=actor, exclude=["password"])


@transaction.atomic
def person_set_active(*, actor, person: User, active: bool) -> User:
    """Deactivate (停用) or reactivate an account. People are never deleted: their name stays on what they did."""
    from campaigns.api.authentication import revoke_tokens

    _require_headquarters(actor)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.pk == actor.pk and not active:
        raise ValidationError("不能停用自己的账号。")
    if person.is_active == active:
        return person
    person.is_active = active
    person._history_user = actor
    person.save(update_fields=["is_active"])
    if not active:
        revoke_tokens(person)
    return person


@transaction.atomic
def plan_phase_update(*, actor, phase, goal: str, programme: str = ""):
    from campaigns.models import PlanPhase

    _require_headquarters(actor)
    phase = PlanPhase.objects.select_for_update().get(pk=phase.pk)
    phase.goal = clean_text(goal, "goal", max_length=100)
    phase.programme = clean_text(programme, "programme", max_length=200)
    if not phase.goal:
        raise ValidationError({"goal": ["请填写年度目标。"]})
    phase.full_clean()
    phase._history_user = actor
    phase.save()
    return phase


@transaction.atomic
def lead_unit_set(*, actor, record, lead_unit: Unit | None):
    """The lead unit (牵头单位) of an improvement action or a thematic activity."""
    _require_headquarters(actor)
    record = type(record).objects.select_for_update().get(pk=record.pk)
    record.lead_unit = lead_unit
    record._history_user = actor
    record.save(update_fields=["lead_unit"])
    return record


@transaction.atomic
def workday_exception_set(*, actor, day, is_working_day: bool, reason: str):
    """Headquarters' local exception to the official calendar (campaigns/workdays.py); one per day, replaced if set."""
    from datetime import date

    from campaigns.models import WorkdayException

    _require_headquarters(actor)
    reason = clean_text(reason, "reason", max_length=100)
    errors = {}
    if not isinstance(day, date):
        errors["day"] = ["请填写有效的日期。"]
    if not reason:
        errors["reason"] = ["请填写调整事由。"]
    if errors:
        raise ValidationError(errors)
    exception = WorkdayException.objects.select_for_update().filter(day=day).first() or WorkdayException(day=day)
    exception.is_working_day = bool(is_working_day)
    exception.reason = reason
    return _saved(exception, actor=actor)


@transaction.atomic
def workday_exception_remove(*, actor, exception) -> None:
    _require_headquarters(actor)
    exception._history_user = actor
    exception.delete()


@transaction.atomic
def schedule_update(
    *, actor, task, enabled: bool, minute: str, hour: str, day_of_week: str, day_of_month: str, month_of_year: str
):
    """Headquarters switches a calendar schedule (django-celery-beat's PeriodicTask) on or off and edits its crontab.

    The crontab is validated by celery's own parser; a crontab row shared with other tasks is not edited in place: the
    task moves to a row with the new fields (in the campaign's time zone), so the others keep theirs.
    """
    from celery.schedules import crontab as celery_crontab
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    _require_headquarters(actor)
    task = PeriodicTask.objects.select_for_update(of=("self",)).select_related("crontab").get(pk=task.pk)
    fields = {
        "minute": (minute or "").strip(),
        "hour": (hour or "").strip(),
        "day_of_week": (day_of_week or "").strip(),
        "day_of_month": (day_of_month or "").strip(),
        "month_of_year": (month_of_year or "").strip(),
    }
    errors = {}
    for name, value in fields.items():
        if not value:
            errors[name] = ["请填写（任意值填 *）。"]
            continue
        try:
            celery_crontab(**{name: value})
        except (ValueError, TypeError, IndexError, KeyError):
            errors[name] = [f"“{value}”不是有效的 crontab 写法。"]
    if errors:
        raise ValidationError(errors)
    if task.crontab is None:
        raise ValidationError("此计划任务不是按 crontab 运行的，不能在此修改。")
    timezone_name = str(task.crontab.timezone) if task.crontab.timezone else settings.TIME_ZONE
    current = {name: getattr(task.crontab, name) for name in fields}
    if current != fields:
        same = CrontabSchedule.objects.filter(**fields, timezone=timezone_name).order_by("pk").first()
        task.crontab = same or CrontabSchedule.objects.create(**fields, timezone=timezone_name)
    task.enabled = bool(enabled)
    task._history_user = actor
    task.save()
    return task
