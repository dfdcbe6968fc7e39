"""Every write to a supervision card. Keyword-only, atomic, checked against the actor and the declared workflow.

A status changes only through :data:`supervision.workflows.SUPERVISION_CARD_WORKFLOW` (and an extension's through
``EXTENSION_WORKFLOW``): the row is locked (SELECT … FOR UPDATE), the move is checked against the declaration and the
actor, and a transition row records it. Two verifications at the same instant therefore make one transition: the
second waits for the lock, then finds the card closed and is refused.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import workdays
from campaigns.choices import UnitKind
from campaigns.errors import IllegalTransition
from campaigns.models import Unit, User
from campaigns.notifications import notify
from campaigns.numbering import next_number
from campaigns.selectors import unit_officers
from campaigns.text import clean_text
from campaigns.uploads import CheckedImage, check_image, removed_on_rollback, store
from supervision.choices import (
    EXTENSION_OPEN_STATUSES,
    FINISHED_STATUSES,
    AttachmentKind,
    CardAction,
    CardSource,
    CardStatus,
    ExtensionStatus,
)
from supervision.models import CardAttachment, ExtensionRequest, SupervisionCard, format_card_number
from supervision.workflows import EXTENSION_WORKFLOW, SUPERVISION_CARD_WORKFLOW

ASSIGNABLE_UNIT_KINDS = {UnitKind.DEPARTMENT, UnitKind.GOVERNMENT}
MAX_PHOTOS = 9
NUMBER_SERIES = "supervision-card"  # 督办〔YYYY〕第N号


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
        store(attachment.file, image.content.name, image.content)  # removed again if the service rolls back
        attachment.save()


# --- issue ------------------------------------------------------------------------------------------------------


@transaction.atomic
def supervision_card_issue(
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
    SUPERVISION_CARD_WORKFLOW.check_creation(CardAction.ISSUE, actor=actor)
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
    deadline = workdays.next_working_day(deadline)  # a deadline on a rest day moves to the next working day

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
    move = SUPERVISION_CARD_WORKFLOW.record_creation(
        card, CardAction.ISSUE, actor=actor, at=now, note=fields["requirement"]
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
def supervision_card_acknowledge(
    *, actor, card: SupervisionCard, note: str = "", now: datetime | None = None
) -> SupervisionCard:
    card = SUPERVISION_CARD_WORKFLOW.lock(card)
    SUPERVISION_CARD_WORKFLOW.check(card, CardAction.ACKNOWLEDGE, actor=actor)
    note = clean_text(note, "note", max_length=2000)
    SUPERVISION_CARD_WORKFLOW.apply(card, CardAction.ACKNOWLEDGE, actor=actor, note=note, at=now)
    return card


@removed_on_rollback()
@transaction.atomic
def supervision_card_submit(
    *,
    actor,
    card: SupervisionCard,
    feedback: str,
    before_photos: Iterable = (),
    after_photos: Iterable = (),
    now: datetime | None = None,
) -> SupervisionCard:
    card = SUPERVISION_CARD_WORKFLOW.lock(card)
    # Before reading the photos: a misplaced submit is 409 whatever it carries.
    SUPERVISION_CARD_WORKFLOW.check(card, CardAction.SUBMIT, actor=actor)
    feedback = clean_text(feedback, "feedback", required=True, max_length=5000)
    before = _check_photos(before_photos)
    after = _check_photos(after_photos)
    now = now or timezone.now()
    move = SUPERVISION_CARD_WORKFLOW.apply(card, CardAction.SUBMIT, actor=actor, note=feedback, at=now)
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
def supervision_card_verify(
    *, actor, card: SupervisionCard, approved: bool, comment: str = "", now: datetime | None = None
) -> SupervisionCard:
    card = SUPERVISION_CARD_WORKFLOW.lock(card)
    if not isinstance(approved, bool):
        raise ValidationError({"approved": ["请选择通过（销号）或退回。"]})
    action = CardAction.CLOSE if approved else CardAction.RETURN
    SUPERVISION_CARD_WORKFLOW.check(card, action, actor=actor)
    comment = clean_text(comment, "comment", required=not approved, max_length=2000)
    now = now or timezone.now()
    if approved:
        card.closed_at = now
    else:
        card.rework_count += 1
    SUPERVISION_CARD_WORKFLOW.apply(
        card, action, actor=actor, note=comment, at=now, update_fields=["closed_at", "rework_count"]
    )
    notify(
        recipients=unit_officers(card.assignee_unit_id),
        kind="supervision-verified",
        title=f"督办卡 {card.number} {'已销号' if approved else '被退回整改'}",
        body=comment,
        url=card_url(card),
        key=f"supervision:{card.pk}:verified:{card.rework_count}:{action}",
    )
    return card


@transaction.atomic
def supervision_card_withdraw(*, actor, card: SupervisionCard, reason: str, now: datetime | None = None):
    """The issuer or headquarters withdraws (撤销) an open card with a reason; it keeps its number and history."""
    card = SUPERVISION_CARD_WORKFLOW.lock(card)
    SUPERVISION_CARD_WORKFLOW.check(card, CardAction.WITHDRAW, actor=actor)
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    SUPERVISION_CARD_WORKFLOW.apply(card, CardAction.WITHDRAW, actor=actor, note=reason, at=now or timezone.now())
    return card


# --- extensions -------------------------------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, actor, card: SupervisionCard, reason: str, new_deadline: date, now: datetime | None = None
) -> ExtensionRequest:
    card = SUPERVISION_CARD_WORKFLOW.lock(card)
    EXTENSION_WORKFLOW.check_creation("request", actor=actor, obj=ExtensionRequest(card=card))
    if card.status not in EXTENSION_OPEN_STATUSES:
        raise IllegalTransition(f"督办卡当前状态为“{card.get_status_display()}”，不能申请延期。")
    if card.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise IllegalTransition("该督办卡已有待审批的延期申请。")
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    if not isinstance(new_deadline, date) or isinstance(new_deadline, datetime):
        raise ValidationError({"new_deadline": ["请填写有效的日期。"]})
    if new_deadline <= card.deadline:
        raise ValidationError({"new_deadline": ["申请延期的日期必须晚于现在的办结时限。"]})
    new_deadline = workdays.next_working_day(new_deadline)
    now = now or timezone.now()
    request = ExtensionRequest.objects.create(
        card=card,
        requested_by=actor,
        requested_at=now,
        reason=reason,
        old_deadline=card.deadline,
        new_deadline=new_deadline,
        status=ExtensionStatus.PENDING,
    )
    EXTENSION_WORKFLOW.record_creation(request, "request", actor=actor, at=now, note=reason)
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
    card = SUPERVISION_CARD_WORKFLOW.lock(extension.card_id)
    extension = EXTENSION_WORKFLOW.lock(extension)
    extension.card = card
    if not isinstance(approved, bool):
        raise ValidationError({"approved": ["请选择批准或不批准。"]})
    action = "approve" if approved else "refuse"
    if extension.status != ExtensionStatus.PENDING:
        raise IllegalTransition(f"该延期申请已{extension.get_status_display()}，不能再次审批。")
    EXTENSION_WORKFLOW.check(extension, action, actor=actor)
    if card.status in FINISHED_STATUSES:
        raise IllegalTransition(f"督办卡{card.get_status_display()}，不能审批延期。")
    comment = clean_text(comment, "comment", max_length=2000)
    now = now or timezone.now()
    extension.decided_by = actor
    extension.decided_at = now
    extension.comment = comment
    EXTENSION_WORKFLOW.apply(
        extension, action, actor=actor, note=comment, at=now, update_fields=["decided_by", "decided_at", "comment"]
    )
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
