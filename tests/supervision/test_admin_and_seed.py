import pytest

from campaigns.management.commands.seed_datong import load_reference_data
from supervision import seed
from supervision.choices import CardStatus
from supervision.clock import escalate_cards
from supervision.models import SupervisionCard
from supervision.selectors import cards_listed_for_circular
from tests.supervision.conftest import at, workday

pytestmark = pytest.mark.django_db


def test_demo_cards_cover_every_status_in_two_districts_and_seeding_twice_adds_nothing(city):
    cards = SupervisionCard.objects.all()
    assert {c.status for c in cards} == set(CardStatus.values)
    assert {c.division.name for c in cards} == {"平城区", "云冈区"}
    assert any(c.is_overdue for c in cards)
    count = cards.count()
    seed.seed_demo(load_reference_data(), log=lambda message: None)
    assert SupervisionCard.objects.count() == count


def test_admin_lists_and_shows_cards(client_as, steward, card_in):
    card = card_in(CardStatus.SUBMITTED)
    client = client_as(steward)
    assert client.get("/admin/supervision/supervisioncard/").status_code == 200
    page = client.get(f"/admin/supervision/supervisioncard/{card.pk}/change/")
    assert page.status_code == 200 and card.number in page.content.decode()


def test_officers_cannot_open_the_admin(client_as, officer_yungang):
    response = client_as(officer_yungang).get("/admin/supervision/supervisioncard/")
    assert response.status_code == 302


def test_seventh_overdue_day_lists_the_card_for_the_next_circular(issue_card):

    card = issue_card(deadline=workday(-8), now=at(-30))  # ≥ 7 working days overdue, even on a Sunday
    assert card not in cards_listed_for_circular()
    escalate_cards(at(0, 8))
    assert card in cards_listed_for_circular()
