"""THE problem loop (发现 → 派发 → 整改 → 复核 → 销号 | 退回重新整改), declared once for the engine.

Who may take each move:

- dispatch (派发): headquarters, a supervisor, or an officer of the problem's division (its 创城办 passes it on; a
  community's officer does not act for the division, campaigns/scoping.py ``acts_for_division``);
- rectify (反馈整改): an officer of the responsible unit or of the problem's division;
- re-check (复核: close or return): headquarters, a supervisor, or an officer of the problem's division — but never
  the person who sent the rectification (checked in ``services.problem_recheck`` with its own message).
"""

from campaigns.scoping import acts_for_division
from campaigns.workflow import CREATED, Move, Workflow
from inspections.choices import ProblemAction, ProblemStatus


def _finds(actor, problem) -> bool:
    return actor.is_headquarters or actor.is_supervisor


def _division_officer(actor, problem) -> bool:
    """An officer acting for the problem's division: a community's officer (a team leader) does not."""
    return (
        actor.is_officer
        and actor.division_id is not None
        and actor.division_id == problem.division_id
        and acts_for_division(actor)
    )


def _unit_officer(actor, problem) -> bool:
    return actor.is_officer and actor.unit_id is not None and actor.unit_id == problem.responsible_unit_id


def may_dispatch(actor, problem) -> bool:
    return actor.is_headquarters or actor.is_supervisor or _division_officer(actor, problem)


def may_rectify(actor, problem) -> bool:
    return _unit_officer(actor, problem) or _division_officer(actor, problem)


def may_recheck(actor, problem) -> bool:
    return (
        actor.is_headquarters or actor.is_supervisor or _division_officer(actor, problem)
    ) and actor.pk != problem.rectified_by_id


PROBLEM_WORKFLOW = Workflow(
    name="问题",
    model="inspections.Problem",
    transition_model="inspections.ProblemTransition",
    subject_field="problem",
    changed_at_field="status_changed_at",
    moves=(
        Move(
            ProblemAction.FIND,
            "发现问题",
            {CREATED},
            ProblemStatus.OPEN,
            allowed=_finds,
            refusal="只有指挥部和督导组可以登记问题。",
            button=False,
        ),
        Move(
            ProblemAction.DISPATCH,
            "派发",
            {ProblemStatus.OPEN},
            ProblemStatus.DISPATCHED,
            allowed=may_dispatch,
            refusal="只有指挥部、督导组或本区县创城办可以派发问题。",
            button=False,
        ),
        Move(
            ProblemAction.RECTIFY,
            "反馈整改",
            {ProblemStatus.DISPATCHED},
            ProblemStatus.RECTIFIED,
            allowed=may_rectify,
            refusal="只有责任单位或本区县创城办可以反馈整改情况。",
            button=False,
        ),
        Move(
            ProblemAction.CLOSE,
            "复核通过，销号",
            {ProblemStatus.RECTIFIED},
            ProblemStatus.CLOSED,
            allowed=may_recheck,
            refusal="复核须由整改反馈人以外的指挥部、督导组或区县创城办人员进行。",
            button=False,
        ),
        Move(
            ProblemAction.RETURN,
            "复核退回，重新整改",
            {ProblemStatus.RECTIFIED},
            ProblemStatus.DISPATCHED,
            allowed=may_recheck,
            refusal="复核须由整改反馈人以外的指挥部、督导组或区县创城办人员进行。",
            button=False,
        ),
    ),
)
