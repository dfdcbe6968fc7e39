"""Every status × every action, through the API: legal moves change the card and leave one transition row; illegal
ones answer 409 with a Chinese message and change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.choices import CardStatus
from supervision.models import CardTransition, SupervisionCard
from supervision.workflows import SUPERVISION_CARD_WORKFLOW
from tests.supervision.conftest import snapshot

pytestmark = pytest.mark.django_db

STATUSES = [CardStatus.ISSUED, CardStatus.ACKNOWLEDGED, CardStatus.SUBMITTED, CardStatus.RETURNED, CardStatus.CLOSED]

# Written out by hand from the issue, not derived from the declared workflow: (status, action) -> resulting status.
LEGAL = {
    (CardStatus.ISSUED, "acknowledge"): CardStatus.ACKNOWLEDGED,
    (CardStatus.ACKNOWLEDGED, "submit"): CardStatus.SUBMITTED,
    (CardStatus.RETURNED, "submit"): CardStatus.SUBMITTED,
    (CardStatus.SUBMITTED, "close"): CardStatus.CLOSED,
    (CardStatus.SUBMITTED, "return"): CardStatus.RETURNED,
    (CardStatus.ISSUED, "extension"): None,
    (CardStatus.ACKNOWLEDGED, "extension"): None,
    (CardStatus.RETURNED, "extension"): None,
}
ACTIONS = ["acknowledge", "submit", "close", "return", "extension"]


def _perform(action, card, api_as, officer, issuer):
    base = f"/api/v1/supervision-cards/{card.pk}/"
    if action == "acknowledge":
        return api_as(officer).post(base + "acknowledge/", {"note": "收到"}, format="json")
    if action == "submit":
        return api_as(officer).post(base + "submit/", {"feedback": "已整改"}, format="json")
    if action == "close":
        return api_as(issuer).post(base + "verify/", {"approved": True, "comment": "同意销号"}, format="json")
    if action == "return":
        return api_as(issuer).post(base + "verify/", {"approved": False, "comment": "仍有问题"}, format="json")
    new_deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    return api_as(officer).post(base + "extensions/", {"reason": "需协调", "new_deadline": new_deadline}, format="json")


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_action_pair_is_allowed_or_refused_with_409(
    status, action, card_in, api_as, officer_yungang, supervisor
):
    card = card_in(status)
    before = snapshot(card)

    response = _perform(action, card, api_as, officer_yungang, supervisor)

    if (status, action) in LEGAL:
        assert response.status_code in (200, 201), response.content
        after = snapshot(card)
        if action == "extension":
            assert after["status"] == status
            assert len(after["extensions"]) == len(before["extensions"]) + 1
            assert after["transitions"] == before["transitions"]
        else:
            assert response.json()["status"] == LEGAL[(status, action)]
            assert after["status"] == LEGAL[(status, action)]
            assert len(after["transitions"]) == len(before["transitions"]) + 1
            move = CardTransition.objects.get(pk=after["transitions"][-1])
            assert (move.from_status, move.to_status) == (status, LEGAL[(status, action)])
    else:
        assert response.status_code == 409, response.content
        assert "督办卡" in response.json()["detail"]
        assert snapshot(card) == before


def test_declared_table_matches_the_issue():
    """The one declared table says the same as the issue: issued → acknowledged → submitted → closed | returned;
    any open card may be withdrawn (撤销) instead of deleted."""
    moves = {(source, m.action): m.target for m in SUPERVISION_CARD_WORKFLOW.moves for source in m.sources}
    assert moves == {
        ("", "issue"): CardStatus.ISSUED,
        (CardStatus.ISSUED, "acknowledge"): CardStatus.ACKNOWLEDGED,
        (CardStatus.ACKNOWLEDGED, "submit"): CardStatus.SUBMITTED,
        (CardStatus.RETURNED, "submit"): CardStatus.SUBMITTED,
        (CardStatus.SUBMITTED, "close"): CardStatus.CLOSED,
        (CardStatus.SUBMITTED, "return"): CardStatus.RETURNED,
        (CardStatus.ISSUED, "withdraw"): CardStatus.WITHDRAWN,
        (CardStatus.ACKNOWLEDGED, "withdraw"): CardStatus.WITHDRAWN,
        (CardStatus.SUBMITTED, "withdraw"): CardStatus.WITHDRAWN,
        (CardStatus.RETURNED, "withdraw"): CardStatus.WITHDRAWN,
    }


def test_full_loop_with_rework_is_recorded_in_order(card_in, api_as, officer_yungang, supervisor):
    card = card_in(CardStatus.RETURNED)
    api_as(officer_yungang).post(
        f"/api/v1/supervision-cards/{card.pk}/submit/", {"feedback": "再次整改"}, format="json"
    )
    response = api_as(supervisor).post(
        f"/api/v1/supervision-cards/{card.pk}/verify/", {"approved": True, "comment": "销号"}, format="json"
    )

    body = response.json()
    assert body["status"] == "closed"
    assert body["is_overdue"] is False
    assert [(t["from_status"], t["to_status"]) for t in body["transitions"]] == [
        ("", "issued"),
        ("issued", "acknowledged"),
        ("acknowledged", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "closed"),
    ]
    assert {"from_status", "to_status", "actor", "at", "note"} <= set(body["transitions"][0])
    assert body["rework_count"] == 1
    assert SupervisionCard.objects.get(pk=card.pk).closed_at is not None


def test_returning_without_a_reason_is_refused_and_changes_nothing(card_in, api_as, supervisor):
    card = card_in(CardStatus.SUBMITTED)
    before = snapshot(card)
    response = api_as(supervisor).post(
        f"/api/v1/supervision-cards/{card.pk}/verify/", {"approved": False, "comment": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "必填" in str(response.json())
    assert snapshot(card) == before


def test_approved_extension_moves_the_deadline_and_is_counted(card_in, api_as, officer_yungang, supervisor):
    card = card_in(CardStatus.ACKNOWLEDGED)
    new_deadline = card.deadline + timedelta(days=7)
    created = api_as(officer_yungang).post(
        f"/api/v1/supervision-cards/{card.pk}/extensions/",
        {"reason": "需协调供电部门", "new_deadline": new_deadline.isoformat()},
        format="json",
    )
    assert created.status_code == 201
    again = api_as(officer_yungang).post(
        f"/api/v1/supervision-cards/{card.pk}/extensions/",
        {"reason": "再申请", "new_deadline": (new_deadline + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert again.status_code == 409  # one pending request at a time

    url = f"/api/v1/supervision-cards/{card.pk}/extensions/{created.json()['id']}/decide/"
    decided = api_as(supervisor).post(url, {"approved": True, "comment": "同意"}, format="json")
    assert decided.status_code == 200
    assert decided.json()["deadline"] == new_deadline.isoformat()
    assert decided.json()["extension_count"] == 1
    assert decided.json()["extensions"][0]["status"] == "approved"

    twice = api_as(supervisor).post(url, {"approved": False}, format="json")
    assert twice.status_code == 409
    assert SupervisionCard.objects.get(pk=card.pk).deadline == new_deadline


def test_refused_extension_keeps_the_deadline(card_in, api_as, officer_yungang, supervisor):
    card = card_in(CardStatus.ISSUED)
    created = api_as(officer_yungang).post(
        f"/api/v1/supervision-cards/{card.pk}/extensions/",
        {"reason": "人手不足", "new_deadline": (card.deadline + timedelta(days=3)).isoformat()},
        format="json",
    )
    response = api_as(supervisor).post(
        f"/api/v1/supervision-cards/{card.pk}/extensions/{created.json()['id']}/decide/",
        {"approved": False, "comment": "不予延期"},
        format="json",
    )
    assert response.status_code == 200
    fresh = SupervisionCard.objects.get(pk=card.pk)
    assert (fresh.deadline, fresh.extension_count) == (card.deadline, 0)


def test_extension_to_an_earlier_date_is_refused(card_in, api_as, officer_yungang):
    card = card_in(CardStatus.ISSUED)
    before = snapshot(card)
    response = api_as(officer_yungang).post(
        f"/api/v1/supervision-cards/{card.pk}/extensions/",
        {"reason": "x", "new_deadline": (card.deadline - timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "晚于" in str(response.json())
    assert snapshot(card) == before
