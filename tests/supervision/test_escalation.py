"""The daily sweep: each escalation step once per card, on the right day, however often it runs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Notification
from supervision import services
from supervision.choices import CardStatus, EscalationStep
from supervision.clock import SCHEDULE, SWEEPS, escalate_cards
from supervision.models import CardEscalation, SupervisionCard
from tests.supervision.conftest import at

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
    """A card whose deadline is five days from today, with the city leader as its responsible leader."""
    return issue_card(deadline=timezone.localdate() + timedelta(days=5), responsible_leader=leader)


def test_each_step_fires_once_on_its_day(due_in_five, officer_yungang, leader, hq):
    card = due_in_five
    expected_by_day = {
        3: [],
        4: [EscalationStep.REMINDER],
        5: [EscalationStep.REMINDER],
        6: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1],
        7: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1],
        8: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3],
        11: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3],
        12: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7],
        20: [EscalationStep.REMINDER, EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7],
    }
    for day, expected in expected_by_day.items():
        for _ in range(2):  # a second run the same day changes nothing
            escalate_cards(at(day, 8))
        assert steps_of(card) == expected, day
        fresh = SupervisionCard.objects.get(pk=card.pk)
        assert (fresh.flagged_at is not None) == (EscalationStep.OVERDUE_3 in expected)
        assert (fresh.circular_listed_at is not None) == (EscalationStep.OVERDUE_7 in expected)

    assert keys_for(officer_yungang, card) == sorted(["issued", "reminder", "overdue_1", "overdue_3", "overdue_7"])
    assert keys_for(leader, card) == ["overdue_3"]  # the unit's leader is told on the third day
    assert keys_for(hq, card) == ["overdue_7"]  # headquarters hears of the circular listing


def test_a_sweep_that_missed_days_catches_up_the_overdue_steps_but_not_the_reminder(due_in_five):
    escalate_cards(at(5 + 8, 8))
    assert sorted(steps_of(due_in_five)) == sorted(
        [EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7]
    )


def test_closed_and_submitted_cards_do_not_escalate(card_in):
    closed = card_in(CardStatus.CLOSED, deadline=timezone.localdate() + timedelta(days=1))
    submitted = card_in(CardStatus.SUBMITTED, deadline=timezone.localdate() + timedelta(days=1))
    escalate_cards(at(10, 8))
    assert steps_of(closed) == []
    assert steps_of(submitted) == []


def test_returned_card_escalates_again_after_rework_is_due(card_in):
    card = card_in(CardStatus.RETURNED, deadline=timezone.localdate() + timedelta(days=1))
    escalate_cards(at(3, 8))
    assert steps_of(card) == [EscalationStep.OVERDUE_1]


def test_extension_approved_before_the_deadline_postpones_the_overdue_notice(card_in, officer_yungang, supervisor):
    card = card_in(CardStatus.ACKNOWLEDGED, deadline=timezone.localdate() + timedelta(days=1))
    extension = services.extension_request(
        actor=officer_yungang, card=card, reason="需协调", new_deadline=timezone.localdate() + timedelta(days=10)
    )
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
