"""Ten parallel creates of the same volunteer or team: one is created, the other nine are a 400 in Chinese, never the
unique key's 500."""

import pytest
from rest_framework.test import APIClient

from tests.concurrency import run_together
from volunteers.idcard import make_id_number
from volunteers.models import Volunteer, VolunteerTeam

pytestmark = pytest.mark.django_db(transaction=True)


def _post_as(user, path, payload):
    def post():
        client = APIClient()
        client.force_authenticate(user)
        client.raise_request_exception = False
        response = client.post(path, payload, format="json")
        return response.status_code, response.content.decode()

    return post


def _assert_one_created_nine_refused(results, message):
    assert all(kind == "ok" for kind, _value in results), results
    statuses = sorted(code for _kind, (code, _body) in results)
    assert statuses == [201] + [400] * 9, statuses
    assert all(message in body for _kind, (code, body) in results if code == 400)


def test_ten_parallel_registrations_of_one_id_number_create_one_volunteer(hq, pingcheng):
    from datetime import date

    id_number = make_id_number(pingcheng.code, date(1990, 3, 4), 123)
    payload = {"name": "并发", "id_number": id_number, "phone": "13912345678", "division": pingcheng.pk}
    results = run_together([_post_as(hq, "/api/v1/volunteers/", payload) for _ in range(10)])
    _assert_one_created_nine_refused(results, "已注册")
    assert Volunteer.objects.filter(id_number=id_number).count() == 1


def test_ten_parallel_creates_of_one_team_name_create_one_team(hq, pingcheng):
    payload = {"name": "并发服务队", "division": pingcheng.pk}
    results = run_together([_post_as(hq, "/api/v1/volunteer-teams/", payload) for _ in range(10)])
    _assert_one_created_nine_refused(results, "同名")
    assert VolunteerTeam.objects.filter(name="并发服务队").count() == 1
