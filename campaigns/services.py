"""Every write to the organisation and the plan that matters. Keyword-only, atomic, checked against the actor.

A task's status moves only through :data:`campaigns.workflows.TASK_WORKFLOW`: it follows the figures (see
:func:`_follow_figures`), and headquarters closes or reopens a task (:func:`task_close`, :func:`task_reopen`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.choices import TaskStatus
from campaigns.errors import NotAllowed
from campaigns.models import Task
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
