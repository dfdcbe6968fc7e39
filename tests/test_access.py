"""Related ids in the plan's and the cards' writes are checked against what the actor may see."""

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
