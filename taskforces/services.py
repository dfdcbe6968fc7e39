"""Every write to reminder cards and reports. Keyword-only, atomic; a report's status moves only through
:data:`taskforces.workflows.REPORT_WORKFLOW`."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.models import Task, Unit, User
from campaigns.notifications import notify
from campaigns.numbering import next_number
from campaigns.selectors import unit_officers
from campaigns.text import clean_text
from campaigns.uploads import check_document, removed_on_rollback, store
from taskforces import periods
from taskforces.choices import REPORT_EDITABLE, ReportKind
from taskforces.models import ReminderCard, Report, ReportAttachment, ReportCalendar
from taskforces.workflows import REPORT_WORKFLOW, may_write_report

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
NUMBER_SERIES = "reminder-card"  # 提示卡〔YYYY〕第N号


def _lines(value, field: str) -> str:
    """Guidance lists arrive as a list of strings or as text with one item per line."""
    if isinstance(value, list | tuple):
        if not all(isinstance(item, str) for item in value):
            raise ValidationError({field: ["应为文本列表。"]})
        value = "\n".join(value)
    return clean_text(value, field)


# --- reminder cards -------------------------------------------------------------------------------------------------


@transaction.atomic
def reminder_card_issue(
    *,
    actor: User,
    title: str,
    recipient_unit: Unit | None = None,
    recipient_leader: User | None = None,
    tasks: Iterable[Task] = (),
    now: datetime | None = None,
    **guidance,
) -> ReminderCard:
    """Issue a reminder card (headquarters only), number it 提示卡〔YYYY〕第N号 and open its holders' current slots."""
    if not actor.is_headquarters:
        raise NotAllowed("只有指挥部可以签发提示卡。")
    unknown = set(guidance) - set(ReminderCard.GUIDANCE_LISTS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), ["不能设置此字段。"]))
    title = clean_text(title, "title", max_length=200)
    if not title:
        raise ValidationError({"title": ["请填写标题。"]})
    if recipient_unit is None and recipient_leader is None:
        raise ValidationError({"recipient_unit": ["请至少指定责任单位或市领导之一。"]})
    if recipient_leader is not None and (not recipient_leader.is_leader or not recipient_leader.unit_id):
        raise ValidationError({"recipient_leader": ["请选择一位市领导账号（须有所属单位）。"]})
    cleaned = {field: _lines(value, field) for field, value in guidance.items()}
    now = now or timezone.now()
    year = timezone.localtime(now).year
    card = ReminderCard.objects.create(
        year=year,
        seq=next_number(NUMBER_SERIES, year),
        title=title,
        recipient_unit=recipient_unit,
        recipient_leader=recipient_leader,
        issued_by=actor,
        issued_at=now,
        **cleaned,
    )
    card.tasks.set(list(tasks))
    reports_open(now=now, cards=[card], current=True)
    recipients = list(_holder_people(recipient_unit.pk if recipient_unit else None, None))
    if recipient_leader is not None:
        recipients.append(recipient_leader)
    notify(
        recipients=recipients,
        kind="reminder_card",
        title=f"收到{card.number}：{card.title}",
        body="请查看提示卡的工作指引，并按时报送周一总结和月度报告。",
        url=reverse("remindercard-detail", args=[card.pk]),
        key=f"reminder-card:{card.pk}:issued",
    )
    return card


@transaction.atomic
def reminder_card_update(
    *, actor: User, card: ReminderCard, title: str, tasks: Iterable[Task] = (), **guidance
) -> ReminderCard:
    """Headquarters revises a card's title, linked tasks and guidance. Its number and holders stay as issued."""
    if not actor.is_headquarters:
        raise NotAllowed("只有指挥部可以修改提示卡。")
    unknown = set(guidance) - set(ReminderCard.GUIDANCE_LISTS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), ["不能设置此字段。"]))
    card = ReminderCard.objects.select_for_update().get(pk=card.pk)
    card.title = clean_text(title, "title", required=True, max_length=200)
    for field, value in guidance.items():
        setattr(card, field, _lines(value, field))
    card._history_user = actor  # the history row names the actor, in a request or not
    card.save()
    card.tasks.set(list(tasks))
    return card


def reminder_card_holders(cards) -> set[tuple[int, int | None]]:
    """(unit id, leader id or None) of every holder of the given cards."""
    holders = set()
    for card in cards:
        if card.recipient_unit_id:
            holders.add((card.recipient_unit_id, None))
        if card.recipient_leader_id:
            leader = card.recipient_leader
            holders.add((leader.unit_id, leader.pk))
    return holders


def _holder_people(unit_id: int | None, leader_id: int | None) -> list[User]:
    """Who answers for a holder: the leader in person, or the unit's active officers."""
    if leader_id:
        return list(User.objects.filter(pk=leader_id, is_active=True))
    if unit_id is None:
        return []
    return list(unit_officers(unit_id))


def report_people(report: Report) -> list[User]:
    return _holder_people(report.unit_id, report.leader_id)


# --- report slots ---------------------------------------------------------------------------------------------------


def reports_open(*, now: datetime, cards=None, current: bool = False) -> int:
    """Open the expected weekly and monthly slots for every holder of the active cards; return how many are new.

    With ``current`` (a card just issued) the slot is the running week and month; otherwise the round (the period
    whose deadline falls in this week/month), for the cards issued before that period ended. The unique constraints
    make a second or concurrent run create nothing.
    """
    calendar = ReportCalendar.current()
    if cards is None:
        cards = ReminderCard.objects.filter(active=True, issued_at__lte=now).select_related("recipient_leader")
    cards = list(cards)
    rows = []
    for kind in (ReportKind.WEEKLY, ReportKind.MONTHLY):
        period = periods.running_period(kind, now) if current else periods.round_period(kind, now)
        due = periods.due_at(kind, period, calendar)
        period_over = periods.period_end(kind, period)
        eligible = cards if current else [c for c in cards if c.issued_at < period_over]
        for unit_id, leader_id in reminder_card_holders(eligible):
            rows.append(Report(unit_id=unit_id, leader_id=leader_id, kind=kind, period=period, due_at=due))
    if not rows:
        return 0
    before = Report.objects.count()
    Report.objects.bulk_create(rows, ignore_conflicts=True)
    return max(0, Report.objects.count() - before)


@transaction.atomic
def report_open(*, actor: User, unit: Unit, kind: str, period: str, leader: User | None = None) -> Report:
    """Headquarters opens one slot by hand (a holder added mid-period, a catch-up). Idempotent."""
    if not actor.is_headquarters:
        raise NotAllowed("只有指挥部可以设立报送任务。")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": ["类型应为 weekly 或 monthly。"]})
    if leader is not None:
        if not leader.is_leader or leader.unit_id is None:
            raise ValidationError({"leader": ["请选择一位市领导账号。"]})
        unit = leader.unit
    due = periods.due_at(kind, period, ReportCalendar.current())
    lookup = {"leader": leader} if leader else {"unit": unit, "leader__isnull": True}
    report = Report.objects.filter(kind=kind, period=period, **lookup).first()
    if report:
        return report
    Report.objects.bulk_create(
        [Report(unit=unit, leader=leader, kind=kind, period=period, due_at=due)], ignore_conflicts=True
    )
    return Report.objects.get(kind=kind, period=period, **lookup)


# --- the report workflow ----------------------------------------------------------------------------------------------


def _clean_figures(value) -> list:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError({"figures": ["应为列表：[{task, value, note}]。"]})
    cleaned = []
    for row in value:
        if not isinstance(row, dict) or set(row) - {"task", "value", "note"}:
            raise ValidationError({"figures": ["每一项应为 {task, value, note}。"]})
        task = row.get("task")
        number = row.get("value")
        if task is not None and (isinstance(task, bool) or not isinstance(task, int)):
            raise ValidationError({"figures": ["task 应为任务 id。"]})
        if task is not None and not Task.objects.filter(pk=task).exists():
            raise ValidationError({"figures": [f"任务 {task} 不存在。"]})
        if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
            raise ValidationError({"figures": ["value 应为数字。"]})
        cleaned.append({"task": task, "value": number, "note": clean_text(row.get("note"), "figures", max_length=500)})
    return cleaned


REPORT_DRAFT_FIELDS = {"summary", "problems", "next_plan", "figures"}


@transaction.atomic
def report_update(*, actor: User, report: Report, **fields) -> Report:
    """The holder edits the draft while it is expected or returned."""
    unknown = set(fields) - REPORT_DRAFT_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), ["不能修改此字段。"]))
    report = REPORT_WORKFLOW.lock(report)
    if not may_write_report(actor, report):
        raise NotAllowed("只有持卡单位（本单位创城办）或持卡领导本人可以填写报告。")
    if report.status not in REPORT_EDITABLE:
        raise IllegalTransition(f"报告当前状态为“{report.get_status_display()}”，不能修改。")
    for name, value in fields.items():
        setattr(report, name, _clean_figures(value) if name == "figures" else clean_text(value, name, max_length=20000))
    report.save(update_fields=[*fields, "updated_at"])
    return report


@transaction.atomic
def report_submit(*, actor: User, report: Report, now: datetime | None = None, **fields) -> Report:
    """Submit (or resubmit after a return); late when after ``due_at``. Drafted fields may come along."""
    if fields:
        report = report_update(actor=actor, report=report, **fields)
    report = REPORT_WORKFLOW.lock(report)
    REPORT_WORKFLOW.check(report, "submit", actor=actor)
    now = now or timezone.now()
    if not (report.summary or "").strip():
        raise ValidationError({"summary": ["请填写工作完成情况后再报送。"]})
    was_late = now > report.due_at
    report.submitted_at = now
    report.submitted_by = actor
    report.is_late = was_late
    REPORT_WORKFLOW.apply(
        report,
        "submit",
        actor=actor,
        at=now,
        note="迟报" if was_late else "",
        update_fields=["submitted_at", "submitted_by", "is_late"],
    )
    return report


@transaction.atomic
def report_accept(*, actor: User, report: Report, note: str = "") -> Report:
    report = REPORT_WORKFLOW.lock(report)
    REPORT_WORKFLOW.check(report, "accept", actor=actor)
    note = clean_text(note, "note", max_length=2000)
    REPORT_WORKFLOW.apply(report, "accept", actor=actor, note=note)
    _tell_holder(report, "report_accepted", f"{report.period}{report.get_kind_display()}已通过审核", note)
    return report


@transaction.atomic
def report_return(*, actor: User, report: Report, reason) -> Report:
    report = REPORT_WORKFLOW.lock(report)
    REPORT_WORKFLOW.check(report, "return", actor=actor)
    reason = clean_text(reason, "reason", max_length=2000)
    if not reason:
        raise ValidationError({"reason": ["请填写退回理由。"]})
    REPORT_WORKFLOW.apply(report, "return", actor=actor, note=reason)
    _tell_holder(
        report, "report_returned", f"{report.period}{report.get_kind_display()}被退回，请修改后重新报送", reason
    )
    return report


def _tell_holder(report: Report, kind: str, title: str, body: str) -> None:
    notify(
        recipients=report_people(report),
        kind=kind,
        title=title,
        body=body,
        url=reverse("report-detail", args=[report.pk]),
    )


@removed_on_rollback()
@transaction.atomic
def report_attach(*, actor: User, report: Report, upload) -> ReportAttachment:
    report = REPORT_WORKFLOW.lock(report)
    if not may_write_report(actor, report):
        raise NotAllowed("只有持卡单位或持卡领导本人可以上传附件。")
    if report.status not in REPORT_EDITABLE:
        raise IllegalTransition(f"报告当前状态为“{report.get_status_display()}”，不能上传附件。")
    try:
        checked = check_document(upload, max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = ReportAttachment(report=report, name=checked.original_name, uploaded_by=actor)
    store(attachment.file, checked.content.name, checked.content)  # removed again if the service rolls back
    attachment.save()
    return attachment


# --- headquarters sets up the task forces and the report calendar (taskforces/views.py, 创城设置) ---------------------


def _require_headquarters(actor) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_headquarters):
        raise NotAllowed("只有指挥部可以进行创城设置。")


def _active_people(people, field: str) -> list:
    people = list(people or [])
    if any(not person.is_active for person in people):
        raise ValidationError({field: ["不能选择已停用的账号。"]})
    return people


@transaction.atomic
def task_force_update(*, actor, task_force, field: str, leader, members, liaison_divisions):
    """A task force's field (负责领域), leader, members and the districts it liaises with."""
    from taskforces.models import TaskForce

    _require_headquarters(actor)
    task_force = TaskForce.objects.select_for_update().get(pk=task_force.pk)
    _active_people([leader] if leader else [], "leader")
    members = _active_people(members, "members")
    task_force.field = clean_text(field, "field", max_length=2000)
    task_force.leader = leader
    task_force._history_user = actor
    task_force.save(update_fields=["field", "leader"])
    task_force.members.set(members)
    task_force.liaison_divisions.set(liaison_divisions or [])
    return task_force


@transaction.atomic
def task_force_group_save(*, actor, task_force, group=None, name: str, responsibility: str = "", leader, members):
    """Add a group (小组) to a task force, or change one: its name, duty, leader and members."""
    from taskforces.models import TaskForceGroup

    _require_headquarters(actor)
    name = clean_text(name, "name", required=True, max_length=100)
    if TaskForceGroup.objects.filter(task_force=task_force, name=name).exclude(pk=getattr(group, "pk", None)).exists():
        raise ValidationError({"name": [f"本专班已有名为“{name}”的小组。"]})
    _active_people([leader] if leader else [], "leader")
    members = _active_people(members, "members")
    if group is None:
        group = TaskForceGroup(task_force=task_force)
    else:
        group = TaskForceGroup.objects.select_for_update().get(pk=group.pk, task_force=task_force)
    group.name = name
    group.responsibility = clean_text(responsibility, "responsibility", max_length=2000)
    group.leader = leader
    group._history_user = actor
    group.save()
    group.members.set(members)
    return group


CALENDAR_FIELDS = {"weekly_due_time", "monthly_due_day", "monthly_due_time", "monthly_remind_days_before"}


@transaction.atomic
def report_calendar_update(*, actor, **fields) -> ReportCalendar:
    """The report calendar (报送日历): the monthly report's due day and the deadlines' times. Applies to slots opened
    afterwards; a due day that falls on a rest day moves to the next working day (campaigns/workdays.py)."""
    _require_headquarters(actor)
    unknown = set(fields) - CALENDAR_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "不能设置此字段。"))
    calendar = ReportCalendar.objects.select_for_update().get(pk=ReportCalendar.current().pk)
    for name, value in fields.items():
        setattr(calendar, name, value)
    calendar.full_clean()
    calendar._history_user = actor
    calendar.save()
    return calendar
