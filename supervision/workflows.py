"""The supervision card's workflow and its extensions' — declared once, applied by :mod:`campaigns.workflow`.

Issue (下发) → acknowledge (签收) → submit (反馈) → close (销号) | return (退回整改) → submit …; an extension (延期) is
requested by the assignee unit and approved or refused by the issuer or headquarters. Who may act is said here too:
the services, the card page's buttons and the API's ``allowed_actions`` all read these declarations.
"""

from campaigns.workflow import CREATED, Move, Workflow
from supervision.choices import OPEN_STATUSES, CardAction, CardStatus, ExtensionStatus

# --- who may act ----------------------------------------------------------------------------------------------------


def may_issue(user, card=None) -> bool:
    """Headquarters and the supervisors issue cards."""
    return user.is_authenticated and user.is_active and (user.is_headquarters or user.is_supervisor)


def is_assignee(user, card) -> bool:
    """An officer of the card's assignee unit."""
    return (
        user.is_authenticated and user.is_officer and user.unit_id is not None and user.unit_id == card.assignee_unit_id
    )


def may_verify(user, card) -> bool:
    """The issuer or headquarters."""
    return user.is_authenticated and (user.is_headquarters or user.pk == card.issued_by_id)


SUPERVISION_CARD_WORKFLOW = Workflow(
    name="督办卡",
    model="supervision.SupervisionCard",
    transition_model="supervision.CardTransition",
    subject_field="card",
    changed_at_field="status_changed_at",
    moves=(
        Move(
            CardAction.ISSUE,
            "下发",
            {CREATED},
            CardStatus.ISSUED,
            allowed=may_issue,
            refusal="只有指挥部和督导组可以下发督办卡。",
            button=False,
        ),
        Move(
            CardAction.ACKNOWLEDGE,
            "签收",
            {CardStatus.ISSUED},
            CardStatus.ACKNOWLEDGED,
            allowed=is_assignee,
            refusal="只有责任单位的工作人员可以签收督办卡。",
        ),
        Move(
            CardAction.SUBMIT,
            "反馈整改情况",
            {CardStatus.ACKNOWLEDGED, CardStatus.RETURNED},
            CardStatus.SUBMITTED,
            allowed=is_assignee,
            refusal="只有责任单位的工作人员可以反馈整改情况。",
            button=False,
        ),
        Move(
            CardAction.CLOSE,
            "销号",
            {CardStatus.SUBMITTED},
            CardStatus.CLOSED,
            allowed=may_verify,
            refusal="只有下发人或指挥部可以审核销号。",
        ),
        Move(
            CardAction.RETURN,
            "退回整改",
            {CardStatus.SUBMITTED},
            CardStatus.RETURNED,
            allowed=may_verify,
            refusal="只有下发人或指挥部可以审核销号。",
        ),
        # A card issued in error is withdrawn with a reason, never deleted: its number and history stay.
        Move(
            CardAction.WITHDRAW,
            "撤销",
            set(OPEN_STATUSES),
            CardStatus.WITHDRAWN,
            allowed=may_verify,
            refusal="只有下发人或指挥部可以撤销督办卡。",
            button=False,
        ),
    ),
)


# --- extensions -----------------------------------------------------------------------------------------------------


def may_request_extension(user, extension) -> bool:
    return is_assignee(user, extension.card)


def may_decide_extension(user, extension) -> bool:
    return may_verify(user, extension.card)


EXTENSION_WORKFLOW = Workflow(
    name="延期申请",
    model="supervision.ExtensionRequest",
    transition_model="supervision.ExtensionTransition",
    subject_field="extension",
    moves=(
        Move(
            "request",
            "申请延期",
            {CREATED},
            ExtensionStatus.PENDING,
            allowed=may_request_extension,
            refusal="只有责任单位的工作人员可以申请延期。",
            button=False,
        ),
        Move(
            "approve",
            "批准延期",
            {ExtensionStatus.PENDING},
            ExtensionStatus.APPROVED,
            allowed=may_decide_extension,
            refusal="只有下发人或指挥部可以审批延期申请。",
        ),
        Move(
            "refuse",
            "不批准延期",
            {ExtensionStatus.PENDING},
            ExtensionStatus.REFUSED,
            allowed=may_decide_extension,
            refusal="只有下发人或指挥部可以审批延期申请。",
        ),
    ),
)
