from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.errors import NotVisible
from tests.volunteers.conftest import reload
from volunteers import services
from volunteers.idcard import make_id_number
from volunteers.models import ServiceRecord, Volunteer
from volunteers.privacy import mask_id_number, mask_phone

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/practice-sites/",
    "/api/v1/volunteer-teams/",
    "/api/v1/volunteers/",
    "/api/v1/service-projects/",
    "/api/v1/service-records/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_is_refused_with_401(anonymous_api, url):
    assert anonymous_api.get(url).status_code == 401


def test_full_id_and_phone_only_for_headquarters_and_the_own_division_officer(
    api_as, hq, officer_pingcheng, supervisor, leader, api_reader, make_volunteer, pingcheng
):
    volunteer = make_volunteer(pingcheng)
    url = f"/api/v1/volunteers/{volunteer.pk}/"
    for user in (hq, officer_pingcheng):
        body = api_as(user).get(url).json()
        assert body["id_number"] == volunteer.id_number
        assert body["phone"] == volunteer.phone
    for user in (supervisor, leader, api_reader):
        body = api_as(user).get(url).json()
        assert body["id_number"] == mask_id_number(volunteer.id_number) != volunteer.id_number
        assert body["phone"] == mask_phone(volunteer.phone) != volunteer.phone
    listed = api_as(api_reader).get("/api/v1/volunteers/", {"search": volunteer.volunteer_no}).json()["results"]
    assert [row["id_number"] for row in listed] == [mask_id_number(volunteer.id_number)]


def test_officer_of_another_district_gets_404_and_never_sees_the_row(
    api_as, officer_yungang, make_volunteer, pingcheng
):
    volunteer = make_volunteer(pingcheng)
    client = api_as(officer_yungang)
    assert client.get(f"/api/v1/volunteers/{volunteer.pk}/").status_code == 404
    assert client.patch(f"/api/v1/volunteers/{volunteer.pk}/", {"name": "改名"}, format="json").status_code == 404
    ids = [row["id"] for row in client.get("/api/v1/volunteers/", {"page_size": 200}).json()["results"]]
    assert volunteer.pk not in ids
    assert reload(volunteer).name != "改名"


def test_register_a_volunteer_and_refuse_a_bad_check_digit_without_writing(api_as, officer_pingcheng, pingcheng):
    client = api_as(officer_pingcheng)
    good = make_id_number(pingcheng.code, timezone.localdate().replace(year=1991), 77)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = Volunteer.objects.count()
    response = client.post(
        "/api/v1/volunteers/",
        {"name": "新志愿者", "id_number": bad, "phone": "13912345678", "division": pingcheng.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "校验位" in response.json()["id_number"][0]
    assert Volunteer.objects.count() == before
    response = client.post(
        "/api/v1/volunteers/",
        {"name": "新志愿者", "id_number": good, "phone": "13912345678", "division": pingcheng.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["volunteer_no"].startswith(f"DT{pingcheng.code}")
    assert response.json()["id_number"] == mask_id_number(good)  # only a read of one volunteer shows it in full


def test_wrong_roles_cannot_write(api_as, supervisor, api_reader, officer_yungang, pingcheng):
    payload = {"name": "某", "id_number": "11010519491231002X", "phone": "13912345678", "division": pingcheng.pk}
    assert api_as(supervisor).post("/api/v1/volunteers/", payload, format="json").status_code == 403
    assert api_as(api_reader).post("/api/v1/volunteers/", payload, format="json").status_code == 403
    # Another district is not one the officer can name: 400 "区县不存在。", as for any id outside their scope.
    response = api_as(officer_yungang).post("/api/v1/volunteers/", payload, format="json")
    assert response.status_code == 400 and response.json() == {"division": ["区县不存在。"]}
    assert not Volunteer.objects.filter(id_number="11010519491231002X").exists()


def test_malformed_json_and_nul_bytes_are_400(api_as, hq, pingcheng):
    client = api_as(hq)
    before = Volunteer.objects.count()
    response = client.post("/api/v1/volunteers/", "{not json", content_type="application/json")
    assert response.status_code == 400
    payload = {"name": "王\x00五", "id_number": "11010519491231002X", "phone": "13912345678", "division": pingcheng.pk}
    assert client.post("/api/v1/volunteers/", payload, format="json").status_code == 400
    assert (
        client.post("/api/v1/volunteers/", {**payload, "name": "王五", "division": "x"}, format="json").status_code
        == 400
    )
    assert Volunteer.objects.count() == before


def test_list_reports_count_and_does_not_grow_queries_with_rows(
    api_as, hq, make_volunteer, pingcheng, django_assert_max_num_queries
):
    for _ in range(5):
        make_volunteer(pingcheng)
    client = api_as(hq)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/volunteers/", {"page_size": 500}).json()
    assert body["count"] == Volunteer.objects.count()
    assert body["count_exact"] is True
    assert len(body["results"]) == min(200, body["count"])
    assert client.get("/api/v1/volunteers/", {"page": "abc"}).status_code == 404


def test_confirm_then_confirm_again_is_409_and_hours_update(api_as, hq, pending_record):
    client = api_as(hq)
    response = client.post(f"/api/v1/service-records/{pending_record.pk}/confirm/", format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert reload(pending_record.volunteer).confirmed_hours == Decimal("2.5")
    response = client.post(f"/api/v1/service-records/{pending_record.pk}/reject/", {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert "不能" in response.json()["detail"]


def test_record_actions_refused_to_outsiders(api_as, supervisor, officer_yungang, pending_record):
    assert api_as(supervisor).post(f"/api/v1/service-records/{pending_record.pk}/confirm/").status_code == 403
    assert api_as(officer_yungang).post(f"/api/v1/service-records/{pending_record.pk}/confirm/").status_code == 404
    assert api_as(officer_yungang).post("/api/v1/service-records/999999/reject/").status_code == 404
    refused = api_as(officer_yungang).post(
        f"/api/v1/service-records/{pending_record.pk}/reject/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 404 and "不存在" in refused.json()["detail"]
    not_a_key = api_as(officer_yungang).post("/api/v1/service-records/abc/confirm/")
    assert not_a_key.status_code == 404 and not_a_key.json()["detail"] == "未找到。"
    assert ServiceRecord.objects.get(pk=pending_record.pk).status == "pending"
    assert reload(pending_record.volunteer).confirmed_hours == 0


def test_a_service_asked_by_key_for_a_record_outside_the_actors_scope_finds_none(officer_yungang, pending_record):
    with pytest.raises(NotVisible):
        services.record_confirm(actor=officer_yungang, record=pending_record.pk)
    with pytest.raises(NotVisible):
        services.record_reject(actor=officer_yungang, record=pending_record, reason="x")
    assert ServiceRecord.objects.get(pk=pending_record.pk).status == "pending"


def test_confirming_reads_the_record_once_with_its_scope_and_lock(api_as, officer_pingcheng, pending_record):
    client = api_as(officer_pingcheng)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/api/v1/service-records/{pending_record.pk}/confirm/").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "volunteers_servicerecord"' in q["sql"]]
    assert len(reads) == 1 and "FOR UPDATE" in reads[0]


def test_overlapping_record_via_api_is_400(api_as, team_leader, pending_record):
    client = api_as(team_leader)
    payload = {
        "volunteer": pending_record.volunteer_id,
        "project": pending_record.project_id,
        "date": str(pending_record.date),
        "start_time": "10:00",
        "end_time": "12:00",
    }
    response = client.post("/api/v1/service-records/", payload, format="json")
    assert response.status_code == 400
    assert "重叠" in str(response.json())
    payload.update(start_time="13:00", end_time="15:00")
    response = client.post("/api/v1/service-records/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["hours"] == 2.0


def test_team_leader_confirms_and_reject_with_reason(api_as, team_leader, pending_record):
    response = api_as(team_leader).post(
        f"/api/v1/service-records/{pending_record.pk}/reject/", {"reason": "未签到"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["reject_reason"] == "未签到"


def test_summary_parts_follow_the_rows(api_as, hq, pending_record, pingcheng):
    client = api_as(hq)
    before = client.get("/api/v1/dashboard/summary/", {"division": pingcheng.pk}).json()["volunteers"]
    client.post(f"/api/v1/service-records/{pending_record.pk}/confirm/")
    after = client.get("/api/v1/dashboard/summary/", {"division": pingcheng.pk}).json()["volunteers"]
    assert after["with_service_hours"] == before["with_service_hours"] + 1
    city = client.get("/api/v1/dashboard/summary/").json()
    assert city["practice_sites"]["centre"] == 10


def test_practice_sites_and_teams_are_scoped_by_division(api_as, officer_yungang, yungang):
    sites = api_as(officer_yungang).get("/api/v1/practice-sites/", {"page_size": 200}).json()["results"]
    assert sites and {s["division"] for s in sites} == {yungang.pk}
    teams = api_as(officer_yungang).get("/api/v1/volunteer-teams/").json()["results"]
    assert {t["division"] for t in teams} == {yungang.pk}


def test_project_create_by_team_leader_and_bad_dates(api_as, team_leader, nanguan_team, yungang_team):
    today = timezone.localdate()
    client = api_as(team_leader)
    ok = {
        "title": "敬老院服务",
        "team": nanguan_team.pk,
        "start_date": str(today),
        "end_date": str(today + timedelta(days=5)),
    }
    assert client.post("/api/v1/service-projects/", ok, format="json").status_code == 201
    bad = {**ok, "end_date": str(today - timedelta(days=5))}
    assert client.post("/api/v1/service-projects/", bad, format="json").status_code == 400
    other = {**ok, "team": yungang_team.pk}
    response = client.post("/api/v1/service-projects/", other, format="json")
    assert response.status_code == 400 and response.json() == {"team": ["志愿服务队不存在。"]}
