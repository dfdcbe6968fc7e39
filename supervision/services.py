"""Every write to a supervision card. Keyword-only, atomic, checked against the actor and the declared workflow.

A status changes only in :func:`_move`: the card row is locked (SELECT … FOR UPDATE), the move is checked against
``choices.TRANSITIONS``, and a :class:`CardTransition` row records it. Two verifications at the same instant
therefore make one transition: the second waits for the lock, then finds the card closed and is refused.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import UnitKind
from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.models import Unit, User
from campaigns.notifications import notify
from campaigns.numbering import next_number
from campaigns.selectors import unit_officers
from campaigns.text import clean_text
from campaigns.uploads import CheckedImage, check_image
from supervision.choices import (
    EXTENSION_OPEN_STATUSES,
    AttachmentKind,
    CardAction,
    CardSource,
    CardStatus,
    ExtensionStatus,
    target_status,
)
from supervision.models import (
    CardAttachment,
    CardTransition,
    ExtensionRequest,
    SupervisionCard,
    format_card_number,
)

ASSIGNABLE_UNIT_KINDS = {UnitKind.DEPARTMENT, UnitKind.GOVERNMENT}
MAX_PHOTOS = 9
NUMBER_SERIES = "supervision-card"  # 督办〔YYYY〕第N号


# --- who may do what --------------------------------------------------------------------------------------------


def may_issue(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_headquarters or user.is_supervisor)


def is_assignee(user, card: SupervisionCard) -> bool:
    return (
        user.is_authenticated and user.is_officer and user.unit_id is not None and user.unit_id == card.assignee_unit_id
    )


def may_verify(user, card: SupervisionCard) -> bool:
    return user.is_authenticated and (user.is_headquarters or user.pk == card.issued_by_id)


def allowed_actions(user, card: SupervisionCard) -> set[str]:
    """What this viewer may do to this card now — the card page shows exactly these buttons."""
    actions = set()
    if is_assignee(user, card):
        for action in (CardAction.ACKNOWLEDGE, CardAction.SUBMIT):
            if target_status(action, card.status):
                actions.add(action)
        if card.status in EXTENSION_OPEN_STATUSES:
            actions.add("request_extension")
    if may_verify(user, card):
        if target_status(CardAction.CLOSE, card.status):
            actions |= {CardAction.CLOSE, CardAction.RETURN}
        actions.add("decide_extension")
    return actions


# --- helpers ----------------------------------------------------------------------------------------------------


def card_url(card) -> str:
    return reverse("supervision-card-detail", args=[card.pk])


def _check_photos(photos: Iterable) -> list[CheckedImage]:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [f"每次最多上传 {MAX_PHOTOS} 张照片。"]})
    checked = []
    for photo in photos:
        try:
            checked.append(check_image(photo))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    return checked


def _store_photos(card, transition, actor, checked: list[CheckedImage], kind: str, now) -> None:
    for image in checked:
        attachment = CardAttachment(
            card=card,
            transition=transition,
            kind=kind,
            original_name=image.original_name,
            content_type=image.content_type,
            size=image.size,
            uploaded_by=actor,
            uploaded_at=now,
        )
        attachment.file.save(image.content.name, image.content, save=False)
        # If the transaction rolls back after this, the file stays behind under a random name nobody links to.
        attachment.save()


def _lock(card: SupervisionCard | int) -> SupervisionCard:
    pk = card.pk if isinstance(card, SupervisionCard) else card
    return SupervisionCard.objects.select_for_update().get(pk=pk)


def _require(action: str, card: SupervisionCard) -> str:
    """The status ``action`` leads the card to; IllegalTransition when the workflow does not allow it now."""
    target = target_status(action, card.status)
    if target is None:
        raise IllegalTransition(
            f"督办卡当前状态为“{card.get_status_display()}”，不能执行“{CardAction(action).label}”操作。"
        )
    return target


def _move(card: SupervisionCard, *, action: str, actor, note: str, now: datetime) -> CardTransition:
    """Change the (locked) card's status by ``action`` and record it; refuse a move the workflow does not allow."""
    target = _require(action, card)
    move = CardTransition.objects.create(
        card=card, action=action, from_status=card.status, to_status=target, actor=actor, at=now, note=note
    )
    card.status = target
    card.status_changed_at = now
    return move


# --- issue ------------------------------------------------------------------------------------------------------


@transaction.atomic
def card_issue(
    *,
    actor,
    title: str,
    description: str,
    source: str,
    assignee_unit: Unit,
    deadline: date,
    requirement: str = "",
    instruction_leader: str = "",
    instruction_text: str = "",
    linked_refs: str = "",
    responsible_leader: User | None = None,
    attachments: Iterable = (),
    now: datetime | None = None,
) -> SupervisionCard:
    if not may_issue(actor):
        raise NotAllowed("只有指挥部和督导组可以下发督办卡。")
    now = now or timezone.now()
    errors = {}
    fields = {}
    for name, value, required, max_length in (
        ("title", title, True, 200),
        ("description", description, True, None),
        ("requirement", requirement, False, None),
        ("instruction_leader", instruction_leader, False, 50),
        ("instruction_text", instruction_text, False, None),
        ("linked_refs", linked_refs, False, 300),
    ):
        try:
            fields[name] = clean_text(value, name, required=required, max_length=max_length)
        except ValidationError as error:
            errors.update(error.message_dict)
    if source not in CardSource.values:
        errors["source"] = ["来源无效。"]
    elif source == CardSource.LEADER_INSTRUCTION and not fields.get("instruction_leader"):
        errors["instruction_leader"] = ["来源为领导批示时，请填写批示领导。"]
    if not isinstance(assignee_unit, Unit) or assignee_unit.kind not in ASSIGNABLE_UNIT_KINDS:
        errors["assignee_unit"] = ["督办卡只能下发给市直单位或区县人民政府。"]
    if not isinstance(deadline, date) or isinstance(deadline, datetime):
        errors["deadline"] = ["请填写有效的日期。"]
    elif deadline < timezone.localtime(now).date():
        errors["deadline"] = ["办结时限不能早于下发日期。"]
    if responsible_leader is not None and not isinstance(responsible_leader, User):
        errors["responsible_leader"] = ["责任领导无效。"]
    checked = []
    try:
        checked = _check_photos(attachments)
    except ValidationError as error:
        errors["attachments"] = error.message_dict["photos"]
    if errors:
        raise ValidationError(errors)

    year = timezone.localtime(now).year
    sequence = next_number(NUMBER_SERIES, year)
    card = SupervisionCard.objects.create(
        year=year,
        sequence=sequence,
        number=format_card_number(year, sequence),
        source=source,
        issued_by=actor,
        issued_at=now,
        assignee_unit=assignee_unit,
        division_id=assignee_unit.division_id,
        responsible_leader=responsible_leader,
        deadline=deadline,
        original_deadline=deadline,
        status=CardStatus.ISSUED,
        status_changed_at=now,
        **fields,
    )
    move = CardTransition.objects.create(
        card=card,
        action=CardAction.ISSUE,
        from_status="",
        to_status=CardStatus.ISSUED,
        actor=actor,
        at=now,
        note=fields["requirement"],
    )
    _store_photos(card, move, actor, checked, AttachmentKind.OTHER, now)
    notify(
        recipients=unit_officers(assignee_unit.pk),
        kind="supervision-issued",
        title=f"收到督办卡 {card.number}：{card.title}",
        body=f"请及时签收并于 {card.deadline:%Y-%m-%d} 前整改反馈。",
        url=card_url(card),
        key=f"supervision:{card.pk}:issued",
    )
    return card


# --- the loop ---------------------------------------------------------------------------------------------------


@transaction.atomic
def card_acknowledge(*, actor, card: SupervisionCard, note: str = "", now: datetime | None = None) -> SupervisionCard:
    card = _lock(card)
    if not is_assignee(actor, card):
        raise NotAllowed("只有责任单位的工作人员可以签收督办卡。")
    note = clean_text(note, "note", max_length=2000)
    now = now or timezone.now()
    _move(card, action=CardAction.ACKNOWLEDGE, actor=actor, note=note, now=now)
    card.save(update_fields=["status", "status_changed_at"])
    return card


@transaction.atomic
def card_submit(
    *,
    actor,
    card: SupervisionCard,
    feedback: str,
    before_photos: Iterable = (),
    after_photos: Iterable = (),
    now: datetime | None = None,
) -> SupervisionCard:
    card = _lock(card)
    if not is_assignee(actor, card):
        raise NotAllowed("只有责任单位的工作人员可以反馈整改情况。")
    _require(CardAction.SUBMIT, card)  # before reading the photos: a misplaced submit is 409 whatever it carries
    feedback = clean_text(feedback, "feedback", required=True, max_length=5000)
    before = _check_photos(before_photos)
    after = _check_photos(after_photos)
    now = now or timezone.now()
    move = _move(card, action=CardAction.SUBMIT, actor=actor, note=feedback, now=now)
    card.save(update_fields=["status", "status_changed_at"])
    _store_photos(card, move, actor, before, AttachmentKind.BEFORE, now)
    _store_photos(card, move, actor, after, AttachmentKind.AFTER, now)
    notify(
        recipients=[card.issued_by],
        kind="supervision-submitted",
        title=f"督办卡 {card.number} 已反馈整改情况",
        body=f"{card.assignee_unit}：{feedback[:200]}",
        url=card_url(card),
        key=f"supervision:{card.pk}:submitted:{move.pk}",
    )
    return card


@transaction.atomic
def card_verify(
    *, actor, card: SupervisionCard, approved: bool, comment: str = "", now: datetime | None = None
) -> SupervisionCard:
    card = _lock(card)
    if not may_verify(actor, card):
        raise NotAllowed("只有下发人或指挥部可以审核销号。")
    if not isinstance(approved, bool):
        raise ValidationError({"approved": ["请选择通过（销号）或退回。"]})
    action = CardAction.CLOSE if approved else CardAction.RETURN
    _require(action, card)
    comment = clean_text(comment, "comment", required=not approved, max_length=2000)
    now = now or timezone.now()
    _move(card, action=action, actor=actor, note=comment, now=now)
    if approved:
        card.closed_at = now
    else:
        card.rework_count += 1
    card.save(update_fields=["status", "status_changed_at", "closed_at", "rework_count"])
    notify(
        recipients=unit_officers(card.assignee_unit_id),
        kind="supervision-verified",
        title=f"督办卡 {card.number} {'已销号' if approved else '被退回整改'}",
        body=comment,
        url=card_url(card),
        key=f"supervision:{card.pk}:verified:{card.rework_count}:{action}",
    )
    return card


# --- extensions -------------------------------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, actor, card: SupervisionCard, reason: str, new_deadline: date, now: datetime | None = None
) -> ExtensionRequest:
    card = _lock(card)
    if not is_assignee(actor, card):
        raise NotAllowed("只有责任单位的工作人员可以申请延期。")
    if card.status not in EXTENSION_OPEN_STATUSES:
        raise IllegalTransition(f"督办卡当前状态为“{card.get_status_display()}”，不能申请延期。")
    if card.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise IllegalTransition("该督办卡已有待审批的延期申请。")
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    if not isinstance(new_deadline, date) or isinstance(new_deadline, datetime):
        raise ValidationError({"new_deadline": ["请填写有效的日期。"]})
    if new_deadline <= card.deadline:
        raise ValidationError({"new_deadline": ["申请延期的日期必须晚于现在的办结时限。"]})
    request = ExtensionRequest.objects.create(
        card=card,
        requested_by=actor,
        requested_at=now or timezone.now(),
        reason=reason,
        old_deadline=card.deadline,
        new_deadline=new_deadline,
    )
    notify(
        recipients=[card.issued_by],
        kind="supervision-extension",
        title=f"督办卡 {card.number} 申请延期至 {new_deadline:%Y-%m-%d}",
        body=reason,
        url=card_url(card),
        key=f"supervision:{card.pk}:extension:{request.pk}",
    )
    return request


@transaction.atomic
def extension_decide(
    *, actor, extension: ExtensionRequest, approved: bool, comment: str = "", now: datetime | None = None
) -> ExtensionRequest:
    card = _lock(extension.card_id)
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if not may_verify(actor, card):
        raise NotAllowed("只有下发人或指挥部可以审批延期申请。")
    if not isinstance(approved, bool):
        raise ValidationError({"approved": ["请选择批准或不批准。"]})
    if extension.status != ExtensionStatus.PENDING:
        raise IllegalTransition(f"该延期申请已{extension.get_status_display()}，不能再次审批。")
    if card.status == CardStatus.CLOSED:
        raise IllegalTransition("督办卡已销号，不能审批延期。")
    comment = clean_text(comment, "comment", max_length=2000)
    now = now or timezone.now()
    extension.status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = now
    extension.comment = comment
    extension.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    if approved:
        card.deadline = extension.new_deadline
        card.extension_count += 1
        card.save(update_fields=["deadline", "extension_count"])
    notify(
        recipients=[extension.requested_by],
        kind="supervision-extension-decided",
        title=f"督办卡 {card.number} 延期申请{'已批准' if approved else '未获批准'}",
        body=comment,
        url=card_url(card),
        key=f"supervision:{card.pk}:extension-decided:{extension.pk}",
    )
    return extension
