"""Who may do what to the inspections' resources: each role × each resource × each action, API and pages.

The point (and its visits and problems) is 平城区's, its responsible unit 市城市管理局. The roles: headquarters, a
supervisor, a city leader, the read-only API client, 平城区's district officer, the responsible unit's officer, the
team leader (an officer of a 平城区 community: sees the district, does not act for it — campaigns/scoping.py
``acts_for_division``) and 云冈区's officer, the outsider. Expected: 404 where the role may not see the record (and
nothing of it in its lists), 403 where it sees but may not act, success where it may; a refusal changes nothing.
A role allowed to act gets its own fresh record, so each success is proven on a record in the right state.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import periods
from campaigns.models import User
from inspections import circulars, services
from inspections.choices import CircularStatus, ProblemStatus
from inspections.models import Circular, InspectionRound, Point, Problem

pytestmark = pytest.mark.django_db

ROLES = ["hq", "supervisor", "leader", "api_reader", "district", "unit", "team_leader", "outsider"]
SEE_ALL = dict.fromkeys(ROLES[:-1], 200) | {"outsider": 404}


@pytest.fixture
def people(city, department_officer):
    return {
        "hq": city["hq"],
        "supervisor": city["supervisor"],
        "leader": city["leader"],
        "api_reader": city["api-reader"],
        "district": city["officer-pingcheng"],
        "unit": department_officer,
        "team_leader": User.objects.select_related("unit__division").get(username="team-leader"),
        "outsider": city["officer-yungang"],
    }


def test_the_team_leader_is_a_pingcheng_community_officer(people, point):
    leader = people["team_leader"]
    assert leader.is_officer and leader.division_id == point.division_id and leader.unit.kind == "community"


@pytest.fixture
def fresh(point, standards, supervisor, hq, department_officer):
    """``fresh(status)``: a problem in ``status`` at a new 平城区 point (so no other problem merges into it)."""
    made = []

    def make(status):
        copy = Point.objects.create(
            code=f"T-PC-M{len(made):03d}",
            name=f"矩阵测试点位{len(made)}",
            category=point.category,
            division=point.division,
            responsible_unit=point.responsible_unit,
        )
        made.append(copy)
        results = [{"standard": s.pk, "passed": s != standards[1]} for s in standards]
        inspection = services.inspection_record(actor=supervisor, point=copy, results=results)
        problem = inspection.results.get(outcome="failed").problem
        if status != ProblemStatus.OPEN:
            problem = services.problem_dispatch(actor=supervisor, problem=problem)
        if status == ProblemStatus.RECTIFIED:
            problem = services.problem_rectify(actor=department_officer, problem=problem, feedback="已整改。")
        problem.refresh_from_db()
        assert problem.status == status
        return problem

    return make


def _state(problem) -> tuple:
    problem = Problem.objects.get(pk=problem.pk)
    return (problem.status, problem.supervision_card_id, problem.transitions.count(), problem.deadline)


def _answers(api_as, people, method, url, body=None):
    return {role: getattr(api_as(people[role]), method)(url, body, format="json").status_code for role in ROLES}


# --- reads -----------------------------------------------------------------------------------------------------------


def test_reading_points_visits_problems_and_rounds(api_as, people, point, visit, yungang_point):
    inspection = visit((True, False, True))
    problem = inspection.results.get(outcome="failed").problem
    round_ = services.round_plan(
        actor=people["hq"],
        name="矩阵测试轮次",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + timedelta(days=7),
        points=[point],
    )
    for url in (
        f"/api/v1/points/{point.pk}/",
        f"/api/v1/inspections/{inspection.pk}/",
        f"/api/v1/problems/{problem.pk}/",
    ):
        assert _answers(api_as, people, "get", url) == SEE_ALL, url
    everyone = dict.fromkeys(ROLES, 200)
    assert _answers(api_as, people, "get", f"/api/v1/checklists/{point.category_id}/") == everyone
    assert _answers(api_as, people, "get", f"/api/v1/inspection-rounds/{round_.pk}/") == everyone
    # The outsider's round results hold no 平城区 point; its lists name none of them.
    outsider = api_as(people["outsider"])
    results = outsider.get(f"/api/v1/inspection-rounds/{round_.pk}/results/").content.decode()
    assert point.code not in results and point.name not in results
    for url in ("/api/v1/points/", "/api/v1/inspections/", "/api/v1/problems/"):
        body = outsider.get(url, {"page_size": 200}).content.decode()
        assert point.code not in body and point.name not in body, url
    assert yungang_point.code in outsider.get("/api/v1/points/", {"page_size": 200}).content.decode()


def test_reading_the_pages(client, people, point, visit):
    inspection = visit((True, False, True))
    problem = inspection.results.get(outcome="failed").problem
    for url in (
        f"/inspections/points/{point.pk}/",
        f"/inspections/visits/{inspection.pk}/",
        f"/inspections/problems/{problem.pk}/",
    ):
        answers = {}
        for role in ROLES:
            client.force_login(people[role])
            answers[role] = client.get(url).status_code
        assert answers == SEE_ALL, url
        client.logout()
        assert client.get(url).status_code == 302  # anonymous: to the login page


# --- writes through the API ------------------------------------------------------------------------------------------


def test_creating_a_point(api_as, people, category, pingcheng, city_department):
    expected = dict.fromkeys(ROLES, 403) | {"hq": 201, "district": 201, "outsider": 400}
    for role in ROLES:
        body = {
            "code": f"T-NEW-{role}",
            "name": "矩阵新点位",
            "category": category.pk,
            "division": pingcheng.pk,
            "responsible_unit": city_department.pk,
        }
        response = api_as(people[role]).post("/api/v1/points/", body, format="json")
        assert response.status_code == expected[role], (role, response.content)
        if response.status_code == 400:  # another division's id is answered as if it did not exist
            assert response.json() == {"division": ["区县不存在。"]}
        assert Point.objects.filter(code=f"T-NEW-{role}").exists() == (expected[role] == 201), role


def test_changing_a_point(api_as, people, point):
    expected = dict.fromkeys(ROLES, 403) | {"hq": 200, "district": 200, "outsider": 404}
    for role in ROLES:
        before = Point.objects.get(pk=point.pk).name
        response = api_as(people[role]).patch(f"/api/v1/points/{point.pk}/", {"name": f"改名-{role}"}, format="json")
        assert response.status_code == expected[role], (role, response.content)
        after = Point.objects.get(pk=point.pk).name
        assert after == (f"改名-{role}" if expected[role] == 200 else before), role


def test_planning_a_round(api_as, people, point):
    expected = dict.fromkeys(ROLES, 403) | {"hq": 201}
    today = timezone.localdate().isoformat()
    for role in ROLES:
        body = {"name": f"轮次-{role}", "start_date": today, "end_date": today, "points": [point.pk]}
        response = api_as(people[role]).post("/api/v1/inspection-rounds/", body, format="json")
        assert response.status_code == expected[role], (role, response.content)
        assert InspectionRound.objects.filter(name=f"轮次-{role}").exists() == (expected[role] == 201), role


def test_recording_a_visit(api_as, people, point, standards):
    expected = dict.fromkeys(ROLES, 403) | {"hq": 201, "supervisor": 201}
    for role in ROLES:
        before = point.inspections.count()
        body = {"point": point.pk, "results": [{"standard": standards[0].pk, "passed": True}]}
        response = api_as(people[role]).post("/api/v1/inspections/", body, format="json")
        assert response.status_code == expected[role], (role, response.content)
        assert point.inspections.count() == before + (expected[role] == 201), role


PROBLEM_ACTIONS = {
    # action: (the problem's status before, the body, who may)
    "dispatch": (ProblemStatus.OPEN, {"note": "请尽快整改"}, {"hq", "supervisor", "district"}),
    "rectify": (ProblemStatus.DISPATCHED, {"feedback": "已清理。"}, {"district", "unit"}),
    "recheck": (ProblemStatus.RECTIFIED, {"approved": True}, {"hq", "supervisor", "district"}),
    "raise-card": (ProblemStatus.DISPATCHED, {}, {"hq", "supervisor"}),
}


@pytest.mark.parametrize("action", list(PROBLEM_ACTIONS))
def test_each_move_of_the_problem_loop(action, api_as, people, fresh):
    status, body, allowed = PROBLEM_ACTIONS[action]
    refused_problem = fresh(status)
    before = _state(refused_problem)
    for role in ROLES:
        if role in allowed:
            continue
        response = api_as(people[role]).post(f"/api/v1/problems/{refused_problem.pk}/{action}/", body, format="json")
        assert response.status_code == (404 if role == "outsider" else 403), (role, response.content)
        if response.status_code == 404:
            assert "平城" not in response.content.decode()
        else:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"]), role  # said in Chinese
        assert _state(refused_problem) == before, role
    for role in sorted(allowed):
        problem = fresh(status)
        ready = _state(problem)
        response = api_as(people[role]).post(f"/api/v1/problems/{problem.pk}/{action}/", body, format="json")
        assert response.status_code == 200, (role, response.content)
        after = _state(problem)
        if action == "raise-card":
            assert ready[1] is None and after[1] is not None, role
        else:
            assert after[0] != ready[0] and after[2] == ready[2] + 1, role


# --- writes through the pages ----------------------------------------------------------------------------------------


def test_editing_checklists_and_points_in_the_pages(client, people, point, standards):
    expected_standard = dict.fromkeys(ROLES, 403) | {"hq": 200}
    expected_point = dict.fromkeys(ROLES, 403) | {"hq": 200, "district": 200, "outsider": 404}
    expected_round = dict.fromkeys(ROLES, 403) | {"hq": 200}
    for role in ROLES:
        client.force_login(people[role])
        assert client.get(f"/inspections/standards/{standards[0].pk}/edit/").status_code == expected_standard[role]
        assert client.get(f"/inspections/points/{point.pk}/edit/").status_code == expected_point[role], role
        assert client.get("/inspections/rounds/new/").status_code == expected_round[role], role
        if role != "hq":
            before = list(point.category.standards.values_list("id", "text"))
            response = client.post(f"/inspections/checklists/{point.category_id}/", {"code": "X", "text": "越权"})
            assert response.status_code == 403, role
            assert list(point.category.standards.values_list("id", "text")) == before


def test_the_league_table_and_a_districts_breakdown(client, people, pingcheng):
    # Officers see their own division only; an officer without one (a city department's) has no row to see.
    expected_table = dict.fromkeys(ROLES, 200) | {"unit": 404}
    expected_division = dict.fromkeys(ROLES, 200) | {"unit": 404, "outsider": 404}
    for role in ROLES:
        client.force_login(people[role])
        assert client.get("/league/").status_code == expected_table[role], role
        assert client.get(f"/league/{pingcheng.pk}/").status_code == expected_division[role], role
    client.force_login(people["outsider"])
    assert "平城区" not in client.get("/league/").content.decode()


def test_circulars_drafts_are_headquarters_and_only_headquarters_publishes(client, people):
    period = periods.current_period(periods.WEEK)
    draft, _ = circulars.circular_compile(period=period, actor=people["hq"])
    assert draft.status == CircularStatus.DRAFT
    for role in ROLES:
        client.force_login(people[role])
        expected = 200 if role == "hq" else 404
        assert client.get(f"/circulars/{draft.pk}/").status_code == expected, role
        assert (draft.number in client.get("/circulars/").content.decode()) == (role == "hq"), role
        if role != "hq":
            assert client.post(f"/circulars/{draft.pk}/publish/").status_code == 404, role
            assert Circular.objects.get(pk=draft.pk).status == CircularStatus.DRAFT
    client.force_login(people["hq"])
    assert client.post(f"/circulars/{draft.pk}/publish/").status_code == 302
    assert Circular.objects.get(pk=draft.pk).status == CircularStatus.PUBLISHED
    for role in ROLES:
        client.force_login(people[role])
        assert client.get(f"/circulars/{draft.pk}/").status_code == 200, role
