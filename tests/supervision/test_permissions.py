"""Who may do what: each role × each action × own vs another division's card, and nothing leaks into lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.choices import CardStatus
from supervision.models import SupervisionCard
from tests.supervision.conftest import snapshot

pytestmark = pytest.mark.django_db

ROLES = ["hq", "supervisor", "other_supervisor", "leader", "api_reader", "assignee", "street_officer", "outsider"]

# For each action: the card's status before it, and the expected answer per role (the card belongs to 云冈区政府,
# issued by `supervisor`; `assignee` is officer-yungang, `street_officer` another 云冈区 unit, `outsider` 平城区).
MATRIX = {
    "retrieve": (
        CardStatus.ISSUED,
        {
            "hq": 200,
            "supervisor": 200,
            "other_supervisor": 200,
            "leader": 200,
            "api_reader": 200,
            "assignee": 200,
            "street_officer": 200,
            "outsider": 404,
        },
    ),
    "acknowledge": (
        CardStatus.ISSUED,
        {
            "hq": 403,
            "supervisor": 403,
            "other_supervisor": 403,
            "leader": 403,
            "api_reader": 403,
            "assignee": 200,
            "street_officer": 403,
            "outsider": 404,
        },
    ),
    "submit": (
        CardStatus.ACKNOWLEDGED,
        {
            "hq": 403,
            "supervisor": 403,
            "other_supervisor": 403,
            "leader": 403,
            "api_reader": 403,
            "assignee": 200,
            "street_officer": 403,
            "outsider": 404,
        },
    ),
    "verify": (
        CardStatus.SUBMITTED,
        {
            "hq": 200,
            "supervisor": 200,
            "other_supervisor": 403,
            "leader": 403,
            "api_reader": 403,
            "assignee": 403,
            "street_officer": 403,
            "outsider": 404,
        },
    ),
    "request_extension": (
        CardStatus.ACKNOWLEDGED,
        {
            "hq": 403,
            "supervisor": 403,
            "other_supervisor": 403,
            "leader": 403,
            "api_reader": 403,
            "assignee": 201,
            "street_officer": 403,
            "outsider": 404,
        },
    ),
    "decide_extension": (
        CardStatus.ACKNOWLEDGED,
        {
            "hq": 200,
            "supervisor": 200,
            "other_supervisor": 403,
            "leader": 403,
            "api_reader": 403,
            "assignee": 403,
            "street_officer": 403,
            "outsider": 404,
        },
    ),
}


@pytest.fixture
def actors(city, other_supervisor, street_officer_yungang):
    return {
        "hq": city["hq"],
        "supervisor": city["supervisor"],
        "other_supervisor": other_supervisor,
        "leader": city["leader"],
        "api_reader": city["api-reader"],
        "assignee": city["officer-yungang"],
        "street_officer": street_officer_yungang,
        "outsider": city["officer-pingcheng"],
    }


def _request(client, action, card, extension_id=None):
    base = f"/api/v1/supervision-cards/{card.pk}/"
    later = (card.deadline + timedelta(days=5)).isoformat()
    return {
        "retrieve": lambda: client.get(base),
        "acknowledge": lambda: client.post(base + "acknowledge/", {}, format="json"),
        "submit": lambda: client.post(base + "submit/", {"feedback": "已整改"}, format="json"),
        "verify": lambda: client.post(base + "verify/", {"approved": True, "comment": "好"}, format="json"),
        "request_extension": lambda: client.post(
            base + "extensions/", {"reason": "需协调", "new_deadline": later}, format="json"
        ),
        "decide_extension": lambda: client.post(
            base + f"extensions/{extension_id}/decide/", {"approved": True}, format="json"
        ),
    }[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(action, role, actors, card_in, api_as, officer_yungang):
    status, expected = MATRIX[action]
    card = card_in(status)
    extension_id = None
    if action == "decide_extension":
        from supervision import services

        extension_id = services.extension_request(
            actor=officer_yungang, card=card, reason="需协调", new_deadline=card.deadline + timedelta(days=5)
        ).pk
    before = snapshot(card)

    response = _request(api_as(actors[role]), action, card, extension_id)

    assert response.status_code == expected[role], response.content
    if expected[role] >= 400:
        assert snapshot(card) == before
        assert response.json()["detail"]
        assert card.number not in response.content.decode()


@pytest.mark.parametrize("role", ["hq", "supervisor"])
def test_headquarters_and_supervisors_may_issue(role, actors, api_as, yungang_government):
    response = api_as(actors[role]).post(
        "/api/v1/supervision-cards/",
        {
            "title": "路灯维修",
            "description": "主干道路灯不亮。",
            "source": "inspection",
            "assignee_unit": yungang_government.pk,
            "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "issued"
    assert body["number"].startswith(f"督办〔{timezone.localdate().year}〕第")
    assert body["issued_by"] == actors[role].pk
    assert body["division"] == yungang_government.division_id
    assert [t["to_status"] for t in body["transitions"]] == ["issued"]


@pytest.mark.parametrize("role", ["leader", "api_reader", "assignee", "outsider"])
def test_other_roles_may_not_issue(role, actors, api_as, yungang_government):
    count = SupervisionCard.objects.count()
    response = api_as(actors[role]).post(
        "/api/v1/supervision-cards/",
        {
            "title": "路灯维修",
            "description": "主干道路灯不亮。",
            "source": "inspection",
            "assignee_unit": yungang_government.pk,
            "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 403
    assert "督导组" in response.json()["detail"]
    assert SupervisionCard.objects.count() == count


def test_anonymous_is_401_everywhere(anonymous_api, card_in):
    card = card_in(CardStatus.ISSUED)
    assert anonymous_api.get("/api/v1/supervision-cards/").status_code == 401
    assert anonymous_api.get(f"/api/v1/supervision-cards/{card.pk}/").status_code == 401
    for action in ("acknowledge", "submit", "verify", "extensions"):
        assert (
            anonymous_api.post(f"/api/v1/supervision-cards/{card.pk}/{action}/", {}, format="json").status_code == 401
        )


def test_officer_list_holds_only_their_own_division(api_as, officer_pingcheng, card_in, pingcheng):
    yungang_card = card_in(CardStatus.ISSUED)
    response = api_as(officer_pingcheng).get("/api/v1/supervision-cards/?page_size=200")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results, "the demo data gives 平城区 cards"
    assert {row["division"] for row in results} == {pingcheng.pk}
    assert yungang_card.number not in response.content.decode()
    # Filtering for the other division does not reveal it either.
    other = api_as(officer_pingcheng).get(f"/api/v1/supervision-cards/?division={yungang_card.division_id}")
    assert other.json()["count"] == 0


def test_street_officer_sees_the_division_but_cannot_act(api_as, street_officer_yungang, card_in):
    card = card_in(CardStatus.ISSUED)
    listed = api_as(street_officer_yungang).get("/api/v1/supervision-cards/?page_size=200").json()["results"]
    assert card.pk in {row["id"] for row in listed}
