"""Every write to the organisation and the plan that matters. Keyword-only, atomic, checked against the actor."""

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.choices import TaskStatus
from campaigns.errors import NotAllowed
from campaigns.models import Task
from campaigns.scoping import may_change

# What an officer may change on a task of their own; headquarters may change everything.
OFFICER_TASK_FIELDS = {"done", "status", "description"}
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
    "status",
}


def _clean_and_save(task: Task):
    if task.target is not None and task.done is not None and task.target > 0 and task.done >= task.target:
        task.status = TaskStatus.DONE
    task.full_clean(exclude=["co_units"])
    task.save()


@transaction.atomic
def task_create(*, actor, co_units=(), **fields) -> Task:
    if not actor.is_headquarters:
        raise NotAllowed("只有指挥部可以创建任务。")
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    task = Task(**fields)
    task._history_user = actor  # the history row names the actor, in a request or not
    _clean_and_save(task)
    task.co_units.set(co_units)
    return task


@transaction.atomic
def task_update(*, actor, task: Task, co_units=None, **fields) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)
    if not may_change(actor, task.lead_unit.division_id, task.lead_unit_id):
        raise NotAllowed("您无权修改此任务。")
    allowed = TASK_FIELDS if actor.is_headquarters else OFFICER_TASK_FIELDS
    forbidden = set(fields) - allowed
    if co_units is not None and not actor.is_headquarters:
        forbidden.add("co_units")
    if forbidden:
        raise NotAllowed("您只能更新任务的完成值、状态和说明。" if not actor.is_headquarters else "不能设置这些字段。")
    for name, value in fields.items():
        setattr(task, name, value)
    task._history_user = actor  # the history row names the actor, in a request or not
    _clean_and_save(task)
    if co_units is not None:
        task.co_units.set(co_units)
    return task
