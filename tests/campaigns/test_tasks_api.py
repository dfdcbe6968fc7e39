"""tasks/ and the organisation endpoints: scoping, writes, and bad input that changes nothing."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Division, ImprovementAction, Task, Unit


@pytest.fixture
def yungang_task(city, yungang, government):
    return Task.objects.filter(lead_unit=government(yungang)).first()


@pytest.fixture
def pingcheng_task(city, pingcheng, government):
    return Task.objects.filter(lead_unit=government(pingcheng)).first()


def _snapshot(task):
    task.refresh_from_db()
    return (task.title, task.done, task.status, task.deadline, task.lead_unit_id, task.target, task.updated_at)


LIST_ENDPOINTS = [
    "/api/v1/",
    "/api/v1/me/",
    "/api/v1/divisions/",
    "/api/v1/units/",
    "/api/v1/task-forces/",
    "/api/v1/improvement-actions/",
    "/api/v1/tasks/",
    "/api/v1/dashboard/summary/",
    "/api/v1/dashboard/districts/",
]


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_anonymous_gets_401_on_every_endpoint(anonymous_api, city, path):
    response = anonymous_api.get(path)
    assert response.status_code == 401
    assert "身份认证信息未提供" in response.json()["detail"]


def test_anonymous_cannot_read_a_task(anonymous_api, pingcheng_task):
    assert anonymous_api.get(f"/api/v1/tasks/{pingcheng_task.pk}/").status_code == 401


def test_token_auth_round_trip(anonymous_api, city, settings):
    response = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "api-reader", "password": settings.DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    anonymous_api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = anonymous_api.get("/api/v1/me/").json()
    assert me["username"] == "api-reader" and me["role"] == "api_reader"


def test_token_refused_for_wrong_password(anonymous_api, city):
    response = anonymous_api.post("/api/v1/auth/token/", {"username": "hq", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "用户名或密码错误。"


def test_token_endpoint_throttles_a_guessing_pair_but_not_the_owner_elsewhere(anonymous_api, city, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        anonymous_api.post("/api/v1/auth/token/", {"username": "hq", "password": "guess"}, format="json")
    locked = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "hq", "password": settings.DEMO_PASSWORD}, format="json"
    )
    assert locked.status_code == 429
    assert "过多" in locked.json()["detail"]
    # The owner, from their own address, is not locked out by a stranger's guessing.
    own = anonymous_api.post(
        "/api/v1/auth/token/",
        {"username": "hq", "password": settings.DEMO_PASSWORD},
        format="json",
        REMOTE_ADDR="10.20.30.40",
    )
    assert own.status_code == 200


def test_me_reports_role_unit_and_division(api_as, officer_pingcheng, pingcheng):
    body = api_as(officer_pingcheng).get("/api/v1/me/").json()
    assert body["role"] == "officer"
    assert body["division"] == pingcheng.pk
    assert body["unit_name"] == "平城区人民政府"


def test_divisions_list_the_ten_with_codes(api_as, api_reader):
    body = api_as(api_reader).get("/api/v1/divisions/?page_size=50").json()
    assert body["count"] == 10
    assert {row["code"] for row in body["results"]} >= {"140213", "140214"}


def test_officer_lists_only_tasks_of_their_division(api_as, officer_pingcheng, pingcheng):
    body = api_as(officer_pingcheng).get("/api/v1/tasks/?page_size=200").json()
    assert body["count"] > 0
    assert {row["division"] for row in body["results"]} == {pingcheng.pk}


def test_headquarters_lists_every_task(api_as, hq):
    assert api_as(hq).get("/api/v1/tasks/").json()["count"] == Task.objects.count()


def test_officer_gets_404_for_another_districts_task(api_as, officer_pingcheng, yungang_task):
    response = api_as(officer_pingcheng).get(f"/api/v1/tasks/{yungang_task.pk}/")
    assert response.status_code == 404


def test_officer_cannot_change_another_districts_task(api_as, officer_pingcheng, yungang_task):
    before = _snapshot(yungang_task)
    response = api_as(officer_pingcheng).patch(f"/api/v1/tasks/{yungang_task.pk}/", {"done": 5}, format="json")
    assert response.status_code == 404
    assert _snapshot(yungang_task) == before


def test_officer_updates_progress_of_own_task(api_as, officer_pingcheng, pingcheng_task):
    pingcheng_task.status, pingcheng_task.done = "in_progress", 0
    pingcheng_task.save()
    response = api_as(officer_pingcheng).patch(
        f"/api/v1/tasks/{pingcheng_task.pk}/", {"status": "done", "description": "已完成一半"}, format="json"
    )
    assert response.status_code == 200, response.json()
    pingcheng_task.refresh_from_db()
    assert pingcheng_task.description == "已完成一半"
    assert pingcheng_task.status != "done"  # read-only: the status follows the figures


def test_officer_may_not_move_the_deadline_of_own_task(api_as, officer_pingcheng, pingcheng_task):
    before = _snapshot(pingcheng_task)
    response = api_as(officer_pingcheng).patch(
        f"/api/v1/tasks/{pingcheng_task.pk}/", {"deadline": "2030-01-01"}, format="json"
    )
    assert response.status_code == 403
    assert "只能更新" in response.json()["detail"]
    assert _snapshot(pingcheng_task) == before


@pytest.mark.parametrize("username", ["supervisor", "leader", "api-reader"])
def test_read_only_roles_cannot_write_tasks(api_as, city, pingcheng_task, username):
    client = api_as(city[username])
    before = _snapshot(pingcheng_task)
    assert client.patch(f"/api/v1/tasks/{pingcheng_task.pk}/", {"done": 1}, format="json").status_code == 403
    assert client.post("/api/v1/tasks/", {"title": "x"}, format="json").status_code == 403
    assert _snapshot(pingcheng_task) == before


def test_officer_cannot_create_tasks(api_as, officer_pingcheng, pingcheng, government):
    count = Task.objects.count()
    response = api_as(officer_pingcheng).post(
        "/api/v1/tasks/",
        {
            "title": "新任务",
            "action": ImprovementAction.objects.first().pk,
            "lead_unit": government(pingcheng).pk,
            "deadline": "2030-01-01",
        },
        format="json",
    )
    assert response.status_code == 403
    assert Task.objects.count() == count


def _valid_task(government, division):
    return {
        "title": "新增停车泊位施划",
        "action": ImprovementAction.objects.get(no=8).pk,
        "lead_unit": government(division).pk,
        "co_units": [Unit.objects.get(name="市公安局").pk],
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "target": "200",
        "done": "0",
        "measure": "个",
    }


def test_headquarters_creates_a_task_with_co_units(api_as, hq, pingcheng, government):
    response = api_as(hq).post("/api/v1/tasks/", _valid_task(government, pingcheng), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["progress"] == 0.0 and body["division"] == pingcheng.pk
    assert Task.objects.get(pk=body["id"]).co_units.get().name == "市公安局"


BAD_TASK_INPUT = [
    ("wrong type for target", {"target": "很多"}, "target"),
    ("wrong type for done", {"done": [1, 2]}, "done"),
    ("unknown unit", {"lead_unit": 999999}, "lead_unit"),
    ("unknown co-unit", {"co_units": [999999]}, "co_units"),
    ("NUL byte in title", {"title": "停车\x00泊位"}, "title"),
    ("deadline not a date", {"deadline": "下周一"}, "deadline"),
    ("impossible date", {"deadline": "2022-02-30"}, "deadline"),
    ("negative done", {"done": "-1"}, "done"),
    ("zero target", {"target": "0"}, "target"),
    ("missing title", {"title": ""}, "title"),
    ("title as object", {"title": {"a": 1}}, "title"),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD_TASK_INPUT, ids=[c[0] for c in BAD_TASK_INPUT])
def test_bad_task_input_answers_400_in_chinese_and_creates_nothing(
    api_as, hq, pingcheng, government, case, change, field
):
    count = Task.objects.count()
    payload = {**_valid_task(government, pingcheng), **change}
    response = api_as(hq).post("/api/v1/tasks/", payload, format="json")
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    text = json.dumps(messages, ensure_ascii=False)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"message is not Chinese: {text}"
    assert Task.objects.count() == count


def test_bad_patch_changes_nothing(api_as, hq, pingcheng_task):
    before = _snapshot(pingcheng_task)
    for payload in ({"done": "abc"}, {"deadline": "not-a-date"}, {"title": "a\x00b"}, {"lead_unit": 424242}):
        response = api_as(hq).patch(f"/api/v1/tasks/{pingcheng_task.pk}/", payload, format="json")
        assert response.status_code == 400
    assert _snapshot(pingcheng_task) == before


def test_malformed_json_is_a_chinese_400(api_as, hq):
    count = Task.objects.count()
    response = api_as(hq).post("/api/v1/tasks/", data='{"title": "x",', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON 或表单数据。"
    assert Task.objects.count() == count


def test_json_that_is_not_an_object_is_refused(api_as, hq):
    response = api_as(hq).post("/api/v1/tasks/", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_unsupported_media_type_is_a_chinese_415(api_as, hq):
    response = api_as(hq).post("/api/v1/tasks/", data="title=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["detail"] == "不支持的请求内容类型。"


def test_filters_by_action_and_overdue(api_as, hq):
    action = ImprovementAction.objects.get(no=8)
    body = api_as(hq).get(f"/api/v1/tasks/?action={action.pk}&page_size=200").json()
    assert body["count"] == Task.objects.filter(action=action).count()
    overdue = api_as(hq).get("/api/v1/tasks/?overdue=true&page_size=200").json()
    assert overdue["count"] == Task.objects.overdue().count() > 0
    assert all(row["is_overdue"] for row in overdue["results"])


def test_bad_filter_value_is_400_not_500(api_as, hq):
    response = api_as(hq).get("/api/v1/tasks/?action=abc")
    assert response.status_code == 400


def test_page_size_is_capped_at_200(api_as, hq, pingcheng, government):
    action = ImprovementAction.objects.get(no=1)
    unit = government(pingcheng)
    deadline = timezone.localdate()
    Task.objects.bulk_create(
        [Task(title=f"批量任务{i}", action=action, lead_unit=unit, deadline=deadline) for i in range(210)]
    )
    body = api_as(hq).get("/api/v1/tasks/?page_size=500").json()
    assert len(body["results"]) == 200 and body["next"]


def test_task_list_query_count_does_not_grow_with_rows(
    api_as, hq, pingcheng, government, django_assert_max_num_queries
):
    action = ImprovementAction.objects.get(no=1)
    unit = government(pingcheng)
    tasks = Task.objects.bulk_create(
        [Task(title=f"批量任务{i}", action=action, lead_unit=unit, deadline=timezone.localdate()) for i in range(120)]
    )
    for task in tasks[:60]:
        task.co_units.add(Unit.objects.get(name="市公安局"))
    client = api_as(hq)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/tasks/?page_size=200").status_code == 200


def test_improvement_actions_report_progress_rolled_up_from_tasks(api_as, hq):
    action = ImprovementAction.objects.get(no=5)
    Task.objects.filter(action=action).delete()
    unit = Unit.objects.get(name="市住房和城乡建设局")
    deadline = timezone.localdate()
    Task.objects.create(title="A", action=action, lead_unit=unit, deadline=deadline, target=100, done=50)
    Task.objects.create(title="B", action=action, lead_unit=unit, deadline=deadline, target=10, done=20)
    Task.objects.create(title="C", action=action, lead_unit=unit, deadline=deadline, status="done")
    Task.objects.create(title="D", action=action, lead_unit=unit, deadline=deadline)
    rows = {row["no"]: row for row in api_as(hq).get("/api/v1/improvement-actions/").json()}
    # (50 + 100 capped + 100 done + 0) / 4
    assert rows[5]["progress"] == 62.5
    assert rows[5]["task_count"] == 4


def test_units_filter_by_division(api_as, api_reader, pingcheng):
    body = api_as(api_reader).get(f"/api/v1/units/?division={pingcheng.pk}&page_size=200").json()
    assert body["count"] == Unit.objects.filter(division=pingcheng).count() > 1


def test_dashboard_division_of_another_district_is_404_for_an_officer(api_as, officer_pingcheng, yungang):
    response = api_as(officer_pingcheng).get(f"/api/v1/dashboard/summary/?division={yungang.pk}")
    assert response.status_code == 404


def test_dashboard_districts_shows_an_officer_only_their_row(api_as, officer_pingcheng, pingcheng):
    rows = api_as(officer_pingcheng).get("/api/v1/dashboard/districts/").json()
    assert [row["division"] for row in rows] == [pingcheng.pk]
    assert Division.objects.count() == 10


def test_an_expired_token_is_refused_and_replaced_on_the_next_sign_in(anonymous_api, city, settings):
    from datetime import timedelta as days

    from rest_framework.authtoken.models import Token

    credentials = {"username": "api-reader", "password": settings.DEMO_PASSWORD}
    key = anonymous_api.post("/api/v1/auth/token/", credentials, format="json").json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - days(days=settings.API_TOKEN_TTL_DAYS + 1))
    anonymous_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    refused = anonymous_api.get("/api/v1/me/")
    assert refused.status_code == 401 and refused.json()["detail"] == "令牌已过期，请重新获取。"
    anonymous_api.credentials()
    fresh = anonymous_api.post("/api/v1/auth/token/", credentials, format="json").json()["token"]
    assert fresh != key
    anonymous_api.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert anonymous_api.get("/api/v1/me/").status_code == 200
