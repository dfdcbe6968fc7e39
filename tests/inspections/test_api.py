"""points/, checklists/, inspections/, problems/ and rounds through the API: scoping (404 elsewhere), writes, filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspections.choices import ProblemStatus
from inspections.models import Inspection, Point, Problem
from tests.inspections.conftest import photo

pytestmark = pytest.mark.django_db


def test_officers_see_their_own_divisions_points_and_another_is_404(api_as, officer_yungang, point, yungang_point):
    client = api_as(officer_yungang)
    codes = {row["code"] for row in client.get("/api/v1/points/?page_size=200").json()["results"]}
    assert "T-YG-001" in codes and "T-PC-001" not in codes
    assert client.get(f"/api/v1/points/{point.pk}/").status_code == 404
    assert client.get(f"/api/v1/points/{yungang_point.pk}/").status_code == 200


def test_headquarters_creates_and_patches_a_point(api_as, hq, category, pingcheng, government):
    client = api_as(hq)
    body = {
        "code": "PC-NEW-1",
        "name": "新建南路",
        "category": category.pk,
        "division": pingcheng.pk,
        "responsible_unit": government(pingcheng).pk,
        "latitude": "40.07",
        "longitude": "113.29",
    }
    response = client.post("/api/v1/points/", body, format="json")
    assert response.status_code == 201, response.content
    point_id = response.json()["id"]
    assert response.json()["latitude"] == 40.07
    response = client.patch(f"/api/v1/points/{point_id}/", {"latitude": "45.1"}, format="json")
    assert response.status_code == 400
    assert "大同市范围" in response.json()["latitude"][0]
    response = client.patch(f"/api/v1/points/{point_id}/", {"name": "新建南路（南段）"}, format="json")
    assert response.json()["name"] == "新建南路（南段）"


def test_an_officer_cannot_create_a_point_in_another_division(api_as, officer_yungang, category, pingcheng, government):
    body = {
        "code": "PC-NEW-2",
        "name": "别区点位",
        "category": category.pk,
        "division": pingcheng.pk,
        "responsible_unit": government(pingcheng).pk,
    }
    response = api_as(officer_yungang).post("/api/v1/points/", body, format="json")
    # Another division's ids are answered as if they did not exist (campaigns/api/fields.py), naming no one.
    assert response.status_code == 400
    assert response.json()["division"] == ["区县不存在。"]
    assert "平城" not in response.content.decode()
    assert not Point.objects.filter(code="PC-NEW-2").exists()


def test_checklists_list_standards_per_category(api_as, api_reader, category):
    data = api_as(api_reader).get(f"/api/v1/checklists/{category.pk}/").json()
    assert data["category"] == "测试类别"
    assert [(s["code"], s["weight"]) for s in data["standards"]] == [("T-01", 3.0), ("T-02", 2.0), ("T-03", 1.0)]


def test_posting_a_visit_scores_it_and_opens_problems(api_as, supervisor, point, standards):
    body = {
        "point": point.pk,
        "results": [
            {"standard": standards[0].pk, "passed": True, "note": ""},
            {"standard": standards[1].pk, "passed": False, "note": "占道经营"},
            {"standard": standards[2].pk, "passed": None},
        ],
    }
    response = api_as(supervisor).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["score_rate"] == 60.0
    assert [r["passed"] for r in data["results"]] == [True, False, None]
    problem = Problem.objects.get(point__code="T-PC-001")
    assert data["results"][1]["problem"] == problem.pk
    listed = api_as(supervisor).get(f"/api/v1/problems/?point={point.pk}&status=open").json()
    assert [row["id"] for row in listed["results"]] == [problem.pk]


def test_a_visit_with_photos_goes_as_multipart(api_as, supervisor, point, standards, client_as, officer_yungang):
    import json

    body = {
        "point": point.pk,
        "results": json.dumps([{"standard": standards[1].pk, "passed": False, "note": "垃圾"}]),
        f"photos_{standards[1].pk}": [photo()],
    }
    response = api_as(supervisor).post("/api/v1/inspections/", body, format="multipart")
    assert response.status_code == 201, response.content
    url = response.json()["results"][0]["photos"][0]["url"]
    assert client_as(supervisor).get(url).status_code == 200
    assert client_as(officer_yungang).get(url).status_code == 404  # another division's point: not even there


def test_bad_visits_are_400_in_chinese(api_as, supervisor, point, standards):
    client = api_as(supervisor)
    for results in ([], [{"standard": standards[0].pk, "passed": "maybe"}], [{"standard": 999999, "passed": True}]):
        response = client.post("/api/v1/inspections/", {"point": point.pk, "results": results}, format="json")
        assert response.status_code == 400, (results, response.content)
    assert Inspection.objects.filter(point__code="T-PC-001").count() == 0


def test_officers_cannot_post_visits_and_see_only_their_divisions(api_as, officer_yungang, officer_pingcheng, visit):
    inspection = visit((True, False, True))
    assert api_as(officer_yungang).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert api_as(officer_pingcheng).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 200
    response = api_as(officer_pingcheng).post("/api/v1/inspections/", {"point": 1, "results": []}, format="json")
    assert response.status_code in (400, 403)


def test_problem_filters_overdue_and_division(api_as, hq, problem_in, pingcheng):
    problem = problem_in(ProblemStatus.DISPATCHED)
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client = api_as(hq)
    overdue = client.get(f"/api/v1/problems/?overdue=true&division={pingcheng.pk}&page_size=200").json()["results"]
    assert problem.pk in [row["id"] for row in overdue]
    assert all(row["is_overdue"] for row in overdue)


def test_the_problem_list_does_not_grow_queries_with_rows(api_as, hq, problem_in, django_assert_max_num_queries):
    problem_in(ProblemStatus.RECTIFIED)
    with django_assert_max_num_queries(12):
        response = api_as(hq).get("/api/v1/problems/?page_size=200")
    assert response.status_code == 200 and response.json()["count"] >= 5


def test_raising_a_problem_into_a_card_links_both_ways(api_as, supervisor, problem_in):
    problem = problem_in(ProblemStatus.DISPATCHED)
    response = api_as(supervisor).post(f"/api/v1/problems/{problem.pk}/raise-card/", {}, format="json")
    assert response.status_code == 200, response.content
    problem.refresh_from_db()
    card = problem.supervision_card
    assert response.json()["supervision_card_number"] == card.number
    assert list(card.problems.all()) == [problem]
    assert card.assignee_unit == problem.responsible_unit and card.source == "inspection"
    again = api_as(supervisor).post(f"/api/v1/problems/{problem.pk}/raise-card/", {}, format="json")
    assert again.status_code == 409


def test_round_results_by_division_aspect_and_most_lost(api_as, hq, supervisor, point, yungang_point, standards):
    from inspections import services

    round_ = services.round_plan(
        actor=hq,
        name="测试轮次",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        points=[point, yungang_point],
    )
    for target, passed in ((point, (True, False, True)), (yungang_point, (False, False, None))):
        services.inspection_record(
            actor=supervisor,
            point=target,
            round=round_,
            results=[{"standard": s.pk, "passed": p} for s, p in zip(standards, passed, strict=True)],
        )
    data = api_as(hq).get(f"/api/v1/inspection-rounds/{round_.pk}/results/").json()
    assert data["score_rate"] == 36.4  # (3 + 1) ÷ (6 + 5)
    assert {r["inspection__division__name"]: r["score_rate"] for r in data["by_division"]} == {
        "平城区": 66.7,
        "云冈区": 0.0,
    }
    assert data["most_lost"][0]["standard_code"] == "T-01" or data["most_lost"][0]["lost"] == 4.0
    assert data["most_lost"][0]["lost"] == 4.0  # T-02 failed twice (2 + 2) and T-01 once (3)
