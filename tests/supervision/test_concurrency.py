"""Concurrency on PostgreSQL: threads with their own connections race for the same rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.errors import IllegalTransition
from campaigns.models import Notification, YearlyNumber
from supervision import services
from supervision.choices import CardAction, CardSource, CardStatus, EscalationStep
from supervision.clock import escalate_cards
from supervision.models import CardEscalation, CardTransition, SupervisionCard
from tests.concurrency import run_together
from tests.supervision.conftest import at, workday

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_verifications_at_once_make_exactly_one_transition(card_in, hq, supervisor):
    # Five cards, each verified twice at the same instant (one close, one return): ten racing threads.
    cards = [card_in(CardStatus.SUBMITTED) for _ in range(5)]

    def close(card):
        return lambda: services.supervision_card_verify(actor=hq, card=card, approved=True, comment="指挥部销号")

    def send_back(card):
        return lambda: services.supervision_card_verify(
            actor=supervisor, card=card, approved=False, comment="督导组退回"
        )

    results = run_together([make(card) for card in cards for make in (close, send_back)])

    for index, card in enumerate(cards):
        pair = results[2 * index : 2 * index + 2]
        assert sorted(kind for kind, _ in pair) == ["error", "ok"], pair
        error = next(value for kind, value in pair if kind == "error")
        assert isinstance(error, IllegalTransition)
        verifications = CardTransition.objects.filter(card=card, action__in=[CardAction.CLOSE, CardAction.RETURN])
        assert verifications.count() == 1
        fresh = SupervisionCard.objects.get(pk=card.pk)
        assert fresh.status == verifications.get().to_status
        assert fresh.rework_count == (1 if fresh.status == CardStatus.RETURNED else 0)


def test_twenty_cards_issued_at_once_get_twenty_consecutive_numbers(supervisor, hq, government, yungang, pingcheng):
    year = timezone.localdate().year
    start = (
        YearlyNumber.objects.filter(series="supervision-card", year=year).values_list("last_number", flat=True).first()
        or 0
    )
    units = [government(yungang), government(pingcheng)]

    def issue(i):
        return lambda: services.supervision_card_issue(
            actor=supervisor if i % 2 else hq,
            title=f"并发下发测试 {i}",
            description="测试",
            source=CardSource.INSPECTION,
            assignee_unit=units[i % 2],
            deadline=timezone.localdate() + timedelta(days=5),
        )

    results = run_together([issue(i) for i in range(20)])

    assert all(kind == "ok" for kind, _ in results), results
    cards = SupervisionCard.objects.filter(title__startswith="并发下发测试", year=year)
    sequences = sorted(cards.values_list("sequence", flat=True))
    assert sequences == list(range(start + 1, start + 21))
    assert {c.number for c in cards} == {f"督办〔{year}〕第{n}号" for n in sequences}
    assert YearlyNumber.objects.get(series="supervision-card", year=year).last_number == start + 20


def test_concurrent_sweeps_escalate_each_step_once(issue_card, officer_yungang):
    card = issue_card(deadline=workday(-8), now=at(-30))
    now = at(0, 10)

    results = run_together([lambda: escalate_cards(now) for _ in range(4)])

    assert all(kind == "ok" for kind, _ in results), results
    steps = list(CardEscalation.objects.filter(card=card).values_list("step", flat=True))
    assert sorted(steps) == sorted([EscalationStep.OVERDUE_1, EscalationStep.OVERDUE_3, EscalationStep.OVERDUE_7])
    for step in steps:
        assert Notification.objects.filter(recipient=officer_yungang, key=f"supervision:{card.pk}:{step}").count() == 1
