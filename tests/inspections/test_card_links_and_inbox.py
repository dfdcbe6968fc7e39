"""A card shows the problems raised into it (page and API), and one inbox lists cards and problems side by side.

Both come through the registry (campaigns/registry.py ``LinkedRecords`` and ``inbox``): supervision and campaigns
import nothing from inspections.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import User
from inspections import services
from inspections.choices import ProblemStatus
from inspections.models import Point
from supervision import services as card_services
from supervision.choices import CardSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(problem_in, supervisor):
    """A dispatched 平城区 problem raised into a card, and the card."""
    problem = problem_in(ProblemStatus.DISPATCHED)
    card = services.problem_raise_card(actor=supervisor, problem=problem)
    problem.refresh_from_db()
    assert problem.supervision_card == card
    return problem, card


def test_the_card_page_lists_its_problems_with_links(client_as, supervisor, raised):
    problem, card = raised
    page = client_as(supervisor).get(f"/supervision/{card.pk}/").content.decode()
    assert 'id="linked-problems"' in page and "关联问题" in page
    assert f'href="/inspections/problems/{problem.pk}/"' in page
    assert f"{problem.point.name} · {problem.standard.code}" in page
    assert f'data-status="{problem.status}">{problem.get_status_display()}<' in page


def test_a_card_without_problems_says_so(client_as, supervisor, government, yungang):
    card = card_services.supervision_card_issue(
        actor=supervisor,
        title="无关联问题的卡",
        description="领导批示事项。",
        source=CardSource.INSPECTION,
        assignee_unit=government(yungang),
        deadline=timezone.localdate() + timedelta(days=5),
        linked_refs="市政府专题会议纪要第3期",
    )
    page = client_as(supervisor).get(f"/supervision/{card.pk}/").content.decode()
    assert "本督办卡没有由点位测评问题升级而来的关联问题。" in page
    assert "关联说明" in page and "市政府专题会议纪要第3期" in page  # the free text stays, as a note


def test_the_card_api_lists_its_problems(api_as, supervisor, raised):
    problem, card = raised
    body = api_as(supervisor).get(f"/api/v1/supervision-cards/{card.pk}/").json()
    assert body["linked"] == {
        "problems": [
            {
                "id": problem.pk,
                "label": f"{problem.point.name} · {problem.standard.code}",
                "status": "dispatched",
                "status_display": problem.get_status_display(),
                "url": f"/inspections/problems/{problem.pk}/",
            }
        ]
    }
    listed = api_as(supervisor).get("/api/v1/supervision-cards/", {"page_size": 200}).json()["results"]
    row = next(r for r in listed if r["id"] == card.pk)
    assert [p["id"] for p in row["linked"]["problems"]] == [problem.pk]
    # The link follows the problem's status.
    services.problem_rectify(actor=User.objects.get(username="officer-cgj"), problem=problem, feedback="已整改。")
    body = api_as(supervisor).get(f"/api/v1/supervision-cards/{card.pk}/").json()
    assert body["linked"]["problems"][0]["status"] == "rectified"


def test_the_card_list_api_reads_the_links_in_one_query(
    api_as, hq, raised, visit, point, supervisor, django_assert_max_num_queries
):
    client = api_as(hq)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/supervision-cards/", {"page_size": 200})
    other = Point.objects.create(
        code="T-PC-002",
        name="第二测试点位",
        category=point.category,
        division=point.division,
        responsible_unit=point.responsible_unit,
    )
    problem = visit((True, False, True), target=other).results.get(outcome="failed").problem
    problem = services.problem_dispatch(actor=supervisor, problem=problem)
    services.problem_raise_card(actor=supervisor, problem=problem)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/supervision-cards/", {"page_size": 200}).json()
    assert sum(len(row["linked"]["problems"]) for row in body["results"]) >= 2


def test_another_districts_officer_sees_neither_the_card_nor_its_problems(client_as, api_as, officer_yungang, raised):
    problem, card = raised
    assert api_as(officer_yungang).get(f"/api/v1/supervision-cards/{card.pk}/").status_code == 404
    assert client_as(officer_yungang).get(f"/supervision/{card.pk}/").status_code == 404


# --- one inbox -------------------------------------------------------------------------------------------------------


@pytest.fixture
def pingcheng_work(issue_card_to, problem_in, pingcheng, government):
    """An overdue card for 平城区人民政府, a card due in a week, and an open 平城区 problem."""
    from tests.supervision.conftest import at

    overdue = issue_card_to(government(pingcheng), "逾期的平城卡", timezone.localdate() - timedelta(days=2), at(-6))
    later = issue_card_to(government(pingcheng), "下周到期的平城卡", timezone.localdate() + timedelta(days=7), None)
    problem = problem_in(ProblemStatus.OPEN)
    return overdue, later, problem


@pytest.fixture
def issue_card_to(supervisor):
    def issue(unit, title, deadline, now):
        return card_services.supervision_card_issue(
            actor=supervisor,
            title=title,
            description="测试",
            source=CardSource.INSPECTION,
            assignee_unit=unit,
            deadline=deadline,
            now=now,
        )

    return issue


def test_the_district_officers_inbox_shows_cards_and_problems_overdue_first(
    client_as, officer_pingcheng, pingcheng_work
):
    overdue, later, problem = pingcheng_work
    response = client_as(officer_pingcheng).get("/inbox/")
    assert response.status_code == 200
    page = response.content.decode()
    inbox = page[page.index('id="inbox"') :]
    card_url, later_url = f'href="/supervision/{overdue.pk}/"', f'href="/supervision/{later.pk}/"'
    problem_url = f'href="/inspections/problems/{problem.pk}/"'
    assert card_url in inbox and later_url in inbox and problem_url in inbox
    assert inbox.index(card_url) < inbox.index(later_url)  # overdue first
    assert "已逾期 2 天" in inbox
    items = response.context["inbox"]["items"]
    assert {item["kind"] for item in items} == {"督办卡", "问题"}
    assert [item["is_overdue"] for item in items] == sorted((item["is_overdue"] for item in items), reverse=True)
    sections = {section["kind"]: section["total"] for section in response.context["inbox"]["sections"]}
    assert sections["督办卡"] >= 2 and sections["问题"] >= 1
    assert 'href="/inbox/"' in page  # in the navigation bar


def test_another_districts_officer_and_a_community_officer_do_not_get_that_work(client_as, city, pingcheng_work):
    overdue, later, problem = pingcheng_work
    for username in ("officer-yungang", "team-leader"):
        page = client_as(city[username]).get("/inbox/").content.decode()
        assert overdue.title not in page and later.title not in page, username
        assert f"/inspections/problems/{problem.pk}/" not in page, username


def test_a_supervisor_gets_problems_to_recheck_and_a_reader_with_nothing_is_told(
    client_as, supervisor, leader, api_reader, problem_in
):
    problem = problem_in(ProblemStatus.RECTIFIED)
    page = client_as(supervisor).get("/inbox/").content.decode()
    assert f'href="/inspections/problems/{problem.pk}/"' in page
    leaders = client_as(leader).get("/inbox/")
    assert {item["kind"] for item in leaders.context["inbox"]["items"]} <= {"督办卡"}  # their cards, no problems
    assert "暂无待办事项。" in client_as(api_reader).get("/inbox/").content.decode()


def test_the_inbox_needs_a_sign_in(client):
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
