"""The supervision cards' calendar: one daily sweep that climbs the escalation ladder, each rung once per card.

- the last working day before the deadline: a reminder to the unit's officers (Friday for a Monday deadline, the eve
  of the National Day holiday for a deadline just after it);
- the first overdue working day: a notice to the unit;
- the third overdue working day: a notice to the unit's leader (its officers and the card's responsible leader) and a
  flag on headquarters' board;
- the seventh overdue working day: the card is listed for the next circular (通报), and headquarters is told.

Overdue is counted in working days (工作日, campaigns/workdays.py: the official calendar with its make-up days and
headquarters' local exceptions): a card due on 30 September is one working day overdue on 8 October, not eight.

A ``CardEscalation`` row per (card, step), inserted in the same transaction as the notices, decides; two sweeps at
once, a replay with ``campaign_clock --now`` or a retried task do each step once. A sweep that missed days catches up
the overdue steps the next time it runs; the reminder is only sent on its own day, which is why the sweep runs every ten
minutes through the day rather than once: a lost tick is made up ten minutes later.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import workdays
from campaigns.notifications import notify
from campaigns.selectors import headquarters_staff, unit_officers
from supervision.choices import ESCALATING_STATUSES, OVERDUE_STEPS, EscalationStep
from supervision.models import CardEscalation, SupervisionCard
from supervision.services import card_url

REMINDER_HORIZON = timedelta(days=15)  # longer than any run of rest days (Spring Festival: 9 days)


def _message(card, step, days):
    url = card_url(card)
    if step == EscalationStep.REMINDER:
        return (
            list(unit_officers(card.assignee_unit_id)),
            f"督办卡 {card.number} 将于 {card.deadline:%m月%d日} 到期",
            f"“{card.title}”须于 {card.deadline:%Y-%m-%d} 前办结反馈。",
            url,
        )
    if step == EscalationStep.OVERDUE_1:
        return (
            list(unit_officers(card.assignee_unit_id)),
            f"督办卡 {card.number} 已逾期",
            f"“{card.title}”已超过办结时限，请立即整改反馈。",
            url,
        )
    if step == EscalationStep.OVERDUE_3:
        recipients = list(unit_officers(card.assignee_unit_id)) + (
            [card.responsible_leader] if card.responsible_leader_id else []
        )
        return (
            recipients,
            f"督办卡 {card.number} 逾期{days}个工作日，请单位领导督促",
            f"{card.assignee_unit}承办的“{card.title}”已逾期{days}个工作日，指挥部已列为重点督办。",
            url,
        )
    return (
        list(unit_officers(card.assignee_unit_id)) + list(headquarters_staff()),
        f"督办卡 {card.number} 逾期{days}个工作日，列入下期通报",
        f"{card.assignee_unit}承办的“{card.title}”已逾期{days}个工作日，将在下期通报中通报。",
        url,
    )


def _fire(card, step, now, days) -> bool:
    """Reach ``step`` for ``card`` once: the unique row, the card's flag and the notices commit together."""
    try:
        with transaction.atomic():
            CardEscalation.objects.create(card=card, step=step, fired_at=now, deadline=card.deadline)
            if step == EscalationStep.OVERDUE_3:
                SupervisionCard.objects.filter(pk=card.pk, flagged_at__isnull=True).update(flagged_at=now)
            elif step == EscalationStep.OVERDUE_7:
                SupervisionCard.objects.filter(pk=card.pk, circular_listed_at__isnull=True).update(
                    circular_listed_at=now
                )
            recipients, title, body, url = _message(card, step, days)
            notify(
                recipients=recipients,
                kind=f"supervision-{step}",
                title=title,
                body=body,
                url=url,
                key=f"supervision:{card.pk}:{step}",
            )
    except IntegrityError:
        return False  # another sweep got there first
    return True


def escalate_cards(now: datetime) -> str:
    today = timezone.localtime(now).date()
    exceptions = workdays.local_exceptions()  # once for the sweep
    # The reminder's day is the last working day before the deadline: at most a long holiday ahead of today.
    horizon = today + REMINDER_HORIZON
    cards = (
        SupervisionCard.objects.filter(status__in=ESCALATING_STATUSES, deadline__lte=horizon)
        .select_related("assignee_unit", "responsible_leader")
        .order_by("id")
    )
    fired = dict.fromkeys(EscalationStep.values, 0)
    for card in cards.iterator(chunk_size=500):
        done = set(card.escalations.values_list("step", flat=True))
        due = []
        if card.deadline > today:
            if workdays.previous_working_day(card.deadline, exceptions=exceptions) == today:
                due.append(EscalationStep.REMINDER)
            days = 0
        else:
            days = workdays.working_days_between(card.deadline, today, exceptions=exceptions)
        due += [step for step, after in OVERDUE_STEPS if days >= after]
        for step in due:
            if step not in done and _fire(card, step, now, days):
                fired[step] += 1
    labels = {step: EscalationStep(step).label for step in EscalationStep.values}
    return "督办卡逐级督办：" + "，".join(f"{labels[step]} {count} 张" for step, count in fired.items())


SWEEPS = {"supervision-escalation": escalate_cards}
# Every ten minutes through the working day: a tick lost to an outage is made up by the next, each step still once.
SCHEDULE = [
    (
        "supervision-escalation",
        {"minute": "*/10", "hour": "8-22"},
        "督办卡到期提醒与逾期逐级督办（每日 8:00–22:50 每 10 分钟，错过的补上）",
    )
]
