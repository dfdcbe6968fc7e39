"""Related ids in the plan's and the cards' writes are checked against what the actor may see.

The role × resource × action matrices live beside each app's fixtures: tests/supervision/test_permissions.py (cards),
tests/volunteers/test_access.py (volunteers) and tests/inspections/test_access_matrix.py (points, checklists, rounds,
visits, problems and each move of their loop, the league table, circulars).
"""

from campaigns.models import Task


def test_scoped_field_refuses_a_task_outside_the_readers_scope_in_guidance(api_as, officer_pingcheng):
    from rest_framework.test import APIRequestFactory

    from taskforces.api.serializers import GuidanceSerializer

    foreign = (
        Task.objects.exclude(lead_unit__division__name="平城区").exclude(co_units__division__name="平城区").first()
    )
    request = APIRequestFactory().post("/")
    request.user = officer_pingcheng
    serializer = GuidanceSerializer(data={"tasks": [foreign.pk]}, context={"request": request})
    assert not serializer.is_valid()
    assert serializer.errors == {"tasks": ["任务不存在。"]}


def test_unknown_owner_is_400_not_found(api_as, hq):
    task = Task.objects.first()
    response = api_as(hq).patch(f"/api/v1/tasks/{task.pk}/", {"owner": 99999999}, format="json")
    assert response.status_code == 400
    assert response.json() == {"owner": ["用户不存在。"]}


# --- a task's owner is someone who can see it ------------------------------------------------------------------------


def _task_payload(division_unit, owner):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import ImprovementAction

    return {
        "title": "责任人测试任务",
        "action": ImprovementAction.objects.get(no=8).pk,
        "lead_unit": division_unit.pk,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "target": "10",
        "owner": owner.pk,
    }


def test_owner_who_cannot_see_the_task_is_refused_on_create(api_as, hq, officer_yungang, pingcheng, government):
    before = Task.objects.count()
    response = api_as(hq).post("/api/v1/tasks/", _task_payload(government(pingcheng), officer_yungang), format="json")
    assert response.status_code == 400
    assert "责任人须能看到此任务" in response.json()["owner"][0]
    assert Task.objects.count() == before


def test_owner_who_cannot_see_the_task_is_refused_on_update(api_as, hq, officer_yungang, pingcheng, government):
    task = Task.objects.filter(lead_unit=government(pingcheng)).first()
    owner_before = task.owner_id
    response = api_as(hq).patch(f"/api/v1/tasks/{task.pk}/", {"owner": officer_yungang.pk}, format="json")
    assert response.status_code == 400
    assert "责任人须能看到此任务" in response.json()["owner"][0]
    task.refresh_from_db()
    assert task.owner_id == owner_before


def test_owner_of_the_tasks_division_is_accepted_and_sees_it(api_as, hq, officer_pingcheng, pingcheng, government):
    response = api_as(hq).post("/api/v1/tasks/", _task_payload(government(pingcheng), officer_pingcheng), format="json")
    assert response.status_code == 201, response.json()
    assert api_as(officer_pingcheng).get(f"/api/v1/tasks/{response.json()['id']}/").status_code == 200
