"""The API contract: fields, filters, bad input (4xx in Chinese, nothing created), list query counts, dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Division, Unit
from supervision import services
from supervision.choices import CardSource, CardStatus
from supervision.models import SupervisionCard
from tests.supervision.conftest import at, workday

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "id",
    "number",
    "title",
    "description",
    "source",
    "issued_by",
    "issued_at",
    "assignee_unit",
    "division",
    "deadline",
    "status",
    "is_overdue",
    "transitions",
}


def _payload(unit, **overrides):
    payload = {
        "title": "占道经营整治",
        "description": "迎宾街沿街商铺占道经营。",
        "source": "citizen_report",
        "assignee_unit": unit.pk,
        "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    payload.update(overrides)
    return payload


def test_card_carries_the_contract_fields(api_as, hq, card_in):
    card = card_in(CardStatus.ACKNOWLEDGED)
    body = api_as(hq).get(f"/api/v1/supervision-cards/{card.pk}/").json()
    assert set(body) >= CONTRACT_FIELDS
    assert body["issued_at"].endswith("+08:00")
    assert [set(t) >= {"from_status", "to_status", "actor", "at", "note"} for t in body["transitions"]] == [True, True]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": "明天"}, "deadline"),
        ({"deadline": "2000-01-01"}, "deadline"),
        ({"source": "gossip"}, "source"),
        ({"assignee_unit": 999999999}, "assignee_unit"),
        ({"assignee_unit": "abc"}, "assignee_unit"),
        ({"title": "  "}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": ["list"]}, "title"),
        ({"source": "leader_instruction"}, "instruction_leader"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_issued(overrides, field, api_as, supervisor, government, yungang):
    count = SupervisionCard.objects.count()
    response = api_as(supervisor).post(
        "/api/v1/supervision-cards/", _payload(government(yungang), **overrides), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert SupervisionCard.objects.count() == count


def test_card_cannot_go_to_a_community(api_as, supervisor):
    community = Unit.objects.filter(kind="community").first()
    response = api_as(supervisor).post("/api/v1/supervision-cards/", _payload(community), format="json")
    assert response.status_code == 400
    assert "区县人民政府" in response.json()["assignee_unit"][0]


def test_malformed_json_is_400_in_chinese(api_as, supervisor, card_in):
    card = card_in(CardStatus.SUBMITTED)
    for url in ("/api/v1/supervision-cards/", f"/api/v1/supervision-cards/{card.pk}/verify/"):
        response = api_as(supervisor).post(url, data='{"approved": tru', content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"] == "请求内容不是有效的 JSON 或表单数据。"
    assert SupervisionCard.objects.get(pk=card.pk).status == CardStatus.SUBMITTED


def test_verify_with_a_non_boolean_is_400(api_as, supervisor, card_in):
    card = card_in(CardStatus.SUBMITTED)
    response = api_as(supervisor).post(
        f"/api/v1/supervision-cards/{card.pk}/verify/", {"approved": "perhaps"}, format="json"
    )
    assert response.status_code == 400
    assert SupervisionCard.objects.get(pk=card.pk).status == CardStatus.SUBMITTED


def test_unknown_ids_are_404(api_as, hq, card_in):
    card = card_in(CardStatus.ACKNOWLEDGED)
    assert api_as(hq).get("/api/v1/supervision-cards/99999999/").status_code == 404
    assert api_as(hq).get("/api/v1/supervision-cards/abc/").status_code == 404
    response = api_as(hq).post(
        f"/api/v1/supervision-cards/{card.pk}/extensions/99999999/decide/", {"approved": True}, format="json"
    )
    assert response.status_code == 404


def test_filters_status_division_unit_source_overdue_and_deadline_range(api_as, hq, issue_card, government, pingcheng):
    overdue = issue_card(title="逾期卡", deadline=workday(-2), now=at(-20))
    later = issue_card(
        title="远期卡",
        source=CardSource.CIRCULAR,
        assignee_unit=government(pingcheng),
        deadline=timezone.localdate() + timedelta(days=40),
    )
    client = api_as(hq)

    def ids(query):
        response = client.get(f"/api/v1/supervision-cards/?page_size=200&{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert overdue.pk in ids("overdue=true") and later.pk not in ids("overdue=true")
    assert later.pk in ids("overdue=false")
    assert later.pk in ids(f"division={pingcheng.pk}") and overdue.pk not in ids(f"division={pingcheng.pk}")
    assert ids(f"unit={later.assignee_unit_id}") >= {later.pk}
    assert overdue.pk not in ids(f"unit={later.assignee_unit_id}")
    assert later.pk in ids("source=circular") and overdue.pk not in ids("source=circular")
    assert overdue.pk in ids("status=issued")
    after = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert ids(f"deadline_after={after}") == {later.pk}
    assert overdue.pk in ids(f"deadline_before={timezone.localdate().isoformat()}")
    assert client.get("/api/v1/supervision-cards/?deadline_after=yesterday").status_code == 400
    assert client.get("/api/v1/supervision-cards/?status=lost").status_code == 400


def test_list_query_count_does_not_grow_with_rows(api_as, hq, card_in, django_assert_max_num_queries):
    client = api_as(hq)
    for status in (CardStatus.SUBMITTED, CardStatus.RETURNED, CardStatus.CLOSED):
        card_in(status)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/supervision-cards/?page_size=200")
    assert response.json()["count"] >= 10


def test_dashboard_summary_counts_cards_of_the_division(api_as, hq, supervisor, officer_yungang, government):
    division = Division.objects.get(name="新荣区")
    unit = government(division)
    from campaigns.choices import Role
    from campaigns.models import User

    officer = User.objects.get(username=f"officer-{division.pinyin.lower()}")
    assert officer.role == Role.OFFICER

    def card(deadline_offset, *, close_on=None, issued=-20):
        made = services.supervision_card_issue(
            actor=supervisor,
            title="统计用",
            description="统计",
            source=CardSource.INSPECTION,
            assignee_unit=unit,
            deadline=timezone.localdate() + timedelta(days=deadline_offset),
            now=at(issued),
        )
        if close_on is not None:
            services.supervision_card_acknowledge(actor=officer, card=made, now=at(close_on - 1))
            services.supervision_card_submit(actor=officer, card=made, feedback="好", now=at(close_on - 1, 10))
            services.supervision_card_verify(actor=supervisor, card=made, approved=True, now=at(close_on))
        return made

    card(-10, close_on=-11)  # closed on time
    card(-10, close_on=-5)  # closed late
    card(-3)  # open, overdue
    card(5)  # open, not yet due

    body = api_as(hq).get(f"/api/v1/dashboard/summary/?division={division.pk}").json()["supervision_cards"]
    assert body == {"open": 2, "overdue": 1, "closed": 2, "on_time_rate": 33.3}

    city = api_as(hq).get("/api/v1/dashboard/summary/").json()["supervision_cards"]
    assert city["open"] >= 2 + 5  # the demo cards of 平城区 and 云冈区 count city-wide

    rows = {row["division"]: row for row in api_as(hq).get("/api/v1/dashboard/districts/").json()}
    assert rows[division.pk]["supervision_on_time_rate"] == 33.3
    quiet = Division.objects.get(name="左云县")  # no card issued there: no rate rather than a rate of zero
    assert rows[quiet.pk]["supervision_on_time_rate"] is None and rows[quiet.pk]["supervision_overdue"] == 0
