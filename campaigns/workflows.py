"""The task workflow — declared once, applied by :mod:`campaigns.workflow`.

A task's status follows its figures: it starts (``not_started`` → ``in_progress``) when some progress is recorded and
completes (→ ``done``) when the target is met — both moved by :func:`campaigns.services.task_update` in the name of
whoever recorded the figures. Nobody sets the status by hand: headquarters closes a task (办结, e.g. one without a
target) and may reopen it. Whether a task is overdue follows from its deadline and is never stored.
"""

from campaigns.choices import TaskStatus
from campaigns.scoping import may_change
from campaigns.workflow import CREATED, Move, Workflow


def may_record_progress(actor, task) -> bool:
    """Headquarters anywhere, an officer of the lead unit or its division."""
    return may_change(actor, task.lead_unit.division_id, task.lead_unit_id)


def is_headquarters(actor, task=None) -> bool:
    return actor.is_headquarters


OPEN = {TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS}

TASK_WORKFLOW = Workflow(
    name="任务",
    model="campaigns.Task",
    transition_model="campaigns.TaskTransition",
    subject_field="task",
    moves=(
        Move(
            "create",
            "创建",
            {CREATED},
            TaskStatus.NOT_STARTED,
            allowed=is_headquarters,
            refusal="只有指挥部可以创建任务。",
            button=False,
        ),
        Move(
            "start",
            "开始推进",
            {TaskStatus.NOT_STARTED},
            TaskStatus.IN_PROGRESS,
            allowed=may_record_progress,
            refusal="您无权更新此任务的进展。",
            button=False,
            automatic=True,
        ),
        Move(
            "complete",
            "达到目标",
            OPEN,
            TaskStatus.DONE,
            allowed=may_record_progress,
            refusal="您无权更新此任务的进展。",
            button=False,
            automatic=True,
        ),
        Move("close", "办结", OPEN, TaskStatus.DONE, allowed=is_headquarters, refusal="只有指挥部可以办结任务。"),
        Move(
            "reopen",
            "重新打开",
            {TaskStatus.DONE},
            TaskStatus.IN_PROGRESS,
            allowed=is_headquarters,
            refusal="只有指挥部可以重新打开任务。",
        ),
    ),
)
