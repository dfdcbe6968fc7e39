"""Related ids in every write are checked against what the actor may see: another district's id does not exist."""

from datetime import timedelta

import pytest
from django.utils import timezone

from volunteers.models import PracticeSite, ServiceRecord, Volunteer


@pytest.fixture
def yungang_volunteer(make_volunteer, yungang):
    return make_volunteer(yungang, name="云冈测试员")


def _record_payload(volunteer, project):
    return {
        "volunteer": volunteer.pk,
        "project": project.pk,
        "date": str(timezone.localdate() - timedelta(days=1)),
        "start_time": "09:00",
        "end_time": "10:00",
    }


@pytest.mark.parametrize("username", ["officer-pingcheng", "team-leader"])
def test_officer_cannot_record_another_districts_volunteer(api_as, city, username, yungang_volunteer, nanguan_project):
    before = ServiceRecord.objects.count()
    response = api_as(city[username]).post(
        "/api/v1/service-records/", _record_payload(yungang_volunteer, nanguan_project), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"volunteer": ["志愿者不存在。"]}
    assert yungang_volunteer.name not in response.content.decode()
    assert ServiceRecord.objects.count() == before


def test_officer_cannot_record_on_another_districts_project(api_as, officer_pingcheng, make_volunteer, pingcheng):
    from volunteers.models import ServiceProject

    project = ServiceProject.objects.filter(division__name="云冈区").first()
    volunteer = make_volunteer(pingcheng)
    response = api_as(officer_pingcheng).post(
        "/api/v1/service-records/", _record_payload(volunteer, project), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"project": ["志愿服务项目不存在。"]}
    assert project.title not in response.content.decode()


def test_service_refuses_another_districts_volunteer(officer_pingcheng, yungang_volunteer, nanguan_project):
    from datetime import time

    from django.core.exceptions import ValidationError

    from volunteers import services

    with pytest.raises(ValidationError, match="志愿者不存在"):
        services.record_create(
            actor=officer_pingcheng,
            volunteer=yungang_volunteer,
            project=nanguan_project,
            date=timezone.localdate() - timedelta(days=1),
            start_time=time(9),
            end_time=time(10),
        )
    assert not ServiceRecord.objects.filter(volunteer=yungang_volunteer).exists()


def test_overlap_message_does_not_reveal_another_districts_schedule(
    hq, officer_pingcheng, api_as, make_volunteer, pingcheng, nanguan_project
):
    from datetime import time

    from volunteers import services
    from volunteers.models import ServiceProject

    volunteer = make_volunteer(pingcheng)
    elsewhere = ServiceProject.objects.filter(division__name="云冈区").first()
    day = max(elsewhere.start_date, nanguan_project.start_date, timezone.localdate() - timedelta(days=1))
    day = min(day, timezone.localdate(), elsewhere.end_date, nanguan_project.end_date)
    services.record_create(
        actor=hq, volunteer=volunteer, project=elsewhere, date=day, start_time=time(8, 17), end_time=time(9, 43)
    )
    payload = _record_payload(volunteer, nanguan_project) | {"date": str(day)}
    response = api_as(officer_pingcheng).post("/api/v1/service-records/", payload, format="json")
    assert response.status_code == 400
    body = response.content.decode()
    assert "重叠" in body
    assert "08:17" not in body and "09:43" not in body


def test_team_with_another_districts_site_is_400(api_as, officer_pingcheng, pingcheng):
    site = PracticeSite.objects.filter(division__name="云冈区").first()
    response = api_as(officer_pingcheng).post(
        "/api/v1/volunteer-teams/",
        {"name": "越界测试队", "division": pingcheng.pk, "practice_site": site.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"practice_site": ["文明实践阵地不存在。"]}
    assert site.name not in response.content.decode()


def test_volunteer_with_another_districts_team_is_400(api_as, officer_pingcheng, pingcheng, yungang_team):
    before = Volunteer.objects.count()
    response = api_as(officer_pingcheng).post(
        "/api/v1/volunteers/",
        {
            "name": "越界",
            "id_number": "140202198805010018",
            "phone": "13800009999",
            "division": pingcheng.pk,
            "teams": [yungang_team.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["teams"] == ["志愿服务队不存在。"]
    assert Volunteer.objects.count() == before


def test_project_on_another_districts_team_is_400(api_as, officer_pingcheng, yungang_team):
    today = timezone.localdate()
    response = api_as(officer_pingcheng).post(
        "/api/v1/service-projects/",
        {"title": "越界项目", "team": yungang_team.pk, "start_date": str(today), "end_date": str(today)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"team": ["志愿服务队不存在。"]}
    assert yungang_team.name not in response.content.decode()


def test_volunteer_in_another_division_is_400(api_as, officer_pingcheng, yungang):
    response = api_as(officer_pingcheng).post(
        "/api/v1/volunteers/",
        {"name": "越界", "id_number": "140202198805010018", "phone": "13800009999", "division": yungang.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"division": ["区县不存在。"]}


# --- roles inside a district: a team leader acts for their own team -------------------------------------------------


@pytest.fixture
def other_pingcheng_record(hq, nanguan_team, make_volunteer, pingcheng):
    from datetime import time

    from volunteers import services
    from volunteers.models import ServiceProject

    project = ServiceProject.objects.filter(division=pingcheng).exclude(team=nanguan_team).first()
    volunteer = make_volunteer(pingcheng, name="别队队员")
    return services.record_create(
        actor=hq,
        volunteer=volunteer,
        project=project,
        date=max(project.start_date, min(project.end_date, timezone.localdate() - timedelta(days=1))),
        start_time=time(9),
        end_time=time(10),
    )


def test_team_leader_reads_masked_personal_data_outside_their_team(
    api_as, team_leader, make_volunteer, pingcheng, nanguan_team
):
    outsider = make_volunteer(pingcheng, name="非本队")
    member = make_volunteer(pingcheng, name="本队队员", teams=[nanguan_team])
    client = api_as(team_leader)
    body = client.get(f"/api/v1/volunteers/{outsider.pk}/").json()
    assert body["id_number"] != outsider.id_number and "*" in body["id_number"]
    assert body["phone"] != outsider.phone
    body = client.get(f"/api/v1/volunteers/{member.pk}/").json()
    assert body["id_number"] == member.id_number
    assert body["phone"] == member.phone


def test_district_officer_still_reads_their_districts_personal_data(
    api_as, officer_pingcheng, make_volunteer, pingcheng
):
    volunteer = make_volunteer(pingcheng)
    body = api_as(officer_pingcheng).get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert body["id_number"] == volunteer.id_number


def test_team_leader_cannot_confirm_another_teams_record(api_as, team_leader, other_pingcheng_record):
    client = api_as(team_leader)
    response = client.post(f"/api/v1/service-records/{other_pingcheng_record.pk}/confirm/")
    assert response.status_code == 403
    assert "服务队队长" in response.json()["detail"]
    response = client.post(
        f"/api/v1/service-records/{other_pingcheng_record.pk}/reject/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    other_pingcheng_record.refresh_from_db()
    assert other_pingcheng_record.status == "pending"
    assert other_pingcheng_record.volunteer.confirmed_hours == 0
    listed = client.get(f"/api/v1/service-records/{other_pingcheng_record.pk}/").json()
    assert listed["allowed_actions"] == []


def test_team_leader_confirms_their_own_teams_record(api_as, team_leader, pending_record):
    response = api_as(team_leader).post(f"/api/v1/service-records/{pending_record.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"


# --- the browsable API lists no other district's people or places ---------------------------------------------------


def test_browsable_api_shows_no_other_districts_volunteer(client_as, officer_pingcheng, yungang, yungang_volunteer):
    foreign = list(Volunteer.objects.filter(division=yungang).order_by("pk")[:20])
    response = client_as(officer_pingcheng).get("/api/v1/service-records/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert yungang_volunteer.name not in html and yungang_volunteer.volunteer_no not in html
    for volunteer in foreign:
        assert volunteer.volunteer_no not in html
    assert '<select name="volunteer"' not in html  # no form drawn (campaigns/api/renderers.py)


def test_browsable_api_team_form_lists_no_other_districts_site(client_as, officer_pingcheng, yungang):
    sites = list(PracticeSite.objects.filter(division=yungang))
    assert sites
    html = client_as(officer_pingcheng).get("/api/v1/volunteer-teams/", HTTP_ACCEPT="text/html").content.decode()
    for site in sites:
        assert site.name not in html


def test_scoped_field_choices_follow_the_requester(officer_pingcheng, yungang, pingcheng):
    from rest_framework.test import APIRequestFactory

    from volunteers.api.serializers import ServiceRecordSerializer

    request = APIRequestFactory().get("/")
    request.user = officer_pingcheng
    field = ServiceRecordSerializer(context={"request": request}).fields["volunteer"]
    divisions = set(field.get_queryset().values_list("division", flat=True).distinct())
    assert divisions == {pingcheng.pk}
