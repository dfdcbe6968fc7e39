"""The daily sweep: each escalation step once per card, on the right day, however often it runs.

Steps count working days (campaigns/workdays.py), so the days here are fixed: an ordinary fortnight of November 2026
(Wednesday 4th = day 0) whose weekends are known, rather than "today", whose weekends move with the calendar.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Notification
from supervision import services
from supervision.choices import CardStatus, EscalationStep
from supervision.clock import SCHEDULE, SWEEPS, escalate_cards
from supervision.models import CardEscalation, SupervisionCard

BASE = date(2026, 11, 4)  # a Wednesday; no public holiday until New Year


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


def at(offset: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day(offset), time(hour, 0)))


pytestmark = pytest.mark.django_db


def steps_of(card):
    return list(CardEscalation.objects.filter(card=card).order_by("fired_at", "id").values_list("step", flat=True))


def keys_for(user, card):
    prefix = f"supervision:{card.pk}:"
    return sorted(
        k.removeprefix(prefix)
        for k in Notification.objects.filter(recipient=user, key__startswith=prefix).values_list("key", flat=True)
    )


@pytest.fixture
def due_in_five(issue_card, leader):
    """A card issued on day 0 due on day 5 (Monday 9 November), with the city leader as its responsible leader."""
    return issue_card(deadline=day(5), responsible_leader=leader, now=at(0))


def test_each_step_fires_once_on_its_day(due_in_five, officer_yungang, leader, hq):
    card = due_in_five
    expected_by_day = {
        1: [],
        2: [EscalationStep.REMINDER],  # Friday: the last working day before Monday's deadline
        3: [EscalationStep.REMINDER],
        5: [EscalationStep.REMINDER],
        6: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1],
        7: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1],
        8: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3],
        # the weekend of the 14th and 15th counts for nothing: 5 working days overdue on Monday 16th, 6 on Tuesday
        12: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3],
        13: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3],
        14: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7],
        20: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7],
    }
    for offset, expected in expected_by_day.items():
        for _ in range(2):  # a second run the same day changes nothing
            escalate_cards(at(offset, 8))
        assert steps_of(card) == expected, offset
        fresh = SupervisionCard.objects.get(pk=card.pk)
        assert (fresh.flagged_at is not None) == (EscalationStep.OVERDUE_3 in expected)
        assert (fresh.circular_listed_at is not None) == (EscalationStep.OVERDUE_7 in expected)

    assert keys_for(officer_yungang, card) == sorted(["issued", "reminder", "overdue_1", "overdue_3", "overdue_7"])
    assert keys_for(leader, card) == ["overdue_3"]  # the unit's leader is told on the third day
    assert keys_for(hq, card) == ["overdue_7"]  # headquarters hears of the circular listing


def _on(year, month, dd, hour=9):
    return timezone.make_aware(datetime.combine(date(year, month, dd), time(hour, 0)))


def test_national_day_holiday_does_not_count_towards_overdue_and_the_make_up_saturday_does(issue_card, officer_yungang):
    """2026: 1–7 October off, Saturday 10 October worked (调休). Due Wednesday 30 September."""
    card = issue_card(deadline=date(2026, 9, 30), now=_on(2026, 9, 21))
    assert card.deadline == date(2026, 9, 30)
    expected_by_day = {
        (9, 28): [],
        (9, 29): [EscalationStep.REMINDER],
        (10, 7): [EscalationStep.REMINDER],  # seven holiday days after the deadline: not one working day overdue
        (10, 8): [EscalationStep.REMINDER, EscalationStep.OVERDUE_1],
        (10, 9): [EscalationStep.REMINDER, EscalationStep.OVERDUE_1],
        (10, 10): [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3],  # make-up Saturday
    }
    for (month, dd), expected in expected_by_day.items():
        escalate_cards(_on(2026, month, dd, 8))
        assert steps_of(card) == expected, (month, dd)
    notice = Notification.objects.get(key=f"supervision:{card.pk}:overdue_3", recipient=officer_yungang)
    assert "逾期3个工作日" in notice.title


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(issue_card):
    card = issue_card(deadline=date(2026, 10, 3), now=_on(2026, 9, 21))
    assert card.deadline == date(2026, 10, 8)  # Saturday of the National Day holiday → Thursday 8 October
    assert card.original_deadline == date(2026, 10, 8)


def test_a_sweep_that_missed_days_catches_up_the_overdue_steps_but_not_the_reminder(due_in_five):
    escalate_cards(at(14, 8))
    assert sorted(steps_of(due_in_five)) == sorted(
        [EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7]
    )


def test_closed_and_submitted_cards_do_not_escalate(card_in):
    closed = card_in(CardStatus.CLOSED, deadline=day(1), now=at(0))
    submitted = card_in(CardStatus.SUBMITTED, deadline=day(1), now=at(0))
    escalate_cards(at(10, 8))
    assert steps_of(closed) == []
    assert steps_of(submitted) == []


def test_returned_card_escalates_again_after_rework_is_due(card_in):
    card = card_in(CardStatus.RETURNED, deadline=day(1), now=at(0))
    escalate_cards(at(3, 8))
    assert steps_of(card) == [EscalationStep.OVERDUE_1]


def test_extension_approved_before_the_deadline_postpones_the_overdue_notice(card_in, officer_yungang, supervisor):
    card = card_in(CardStatus.ACKNOWLEDGED, deadline=day(1), now=at(0))
    extension = services.extension_request(actor=officer_yungang, card=card, reason="需协调", new_deadline=day(10))
    services.extension_decide(actor=supervisor, extension=extension, approved=True)
    escalate_cards(at(3, 8))
    assert steps_of(card) == []


def test_campaign_clock_replays_the_sweep_by_name(due_in_five):
    now = timezone.localtime(at(5 + 3, 9)).isoformat()
    call_command("campaign_clock", "--now", now, "--only", "supervision-escalation")
    call_command("campaign_clock", "--now", now, "--only", "supervision-escalation")
    assert sorted(steps_of(due_in_five)) == sorted([EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3])


def test_the_sweep_is_scheduled_daily():
    names = {name for name, _cron, _help in SCHEDULE}
    assert names == set(SWEEPS) == {"supervision-escalation"}
    _name, cron, _help = SCHEDULE[0]
    assert cron.get("day_of_week", "*") == "*" and cron.get("day_of_month", "*") == "*"
