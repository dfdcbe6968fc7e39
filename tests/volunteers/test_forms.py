"""Volunteers by hand: the pages' forms go through volunteers/services.py, refuse the wrong user and bad input in
Chinese with nothing saved, and a team leader confirms their team's records one tap at a time or all at once."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from volunteers import idcard, services
from volunteers.models import PracticeSite, ServiceProject, ServiceRecord, Volunteer, VolunteerTeam
from volunteers.privacy import mask_id_number

from .conftest import reload

pytestmark = pytest.mark.django_db


def _new_id(division, day=3, serial=321):
    return idcard.make_id_number(division.code, date(1991, 4, day), serial)


def _chinese(response) -> str:
    text = response.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    return text


# --- registering and editing a volunteer ------------------------------------------------------------------------


def test_team_leader_registers_a_volunteer_into_their_team(client_as, team_leader, nanguan_team):
    number = _new_id(nanguan_team.division)
    response = client_as(team_leader).post(
        "/volunteers/new/",
        {
            "name": "钱新来",
            "id_number": number,
            "phone": "13912345678",
            "division": nanguan_team.division_id,
            "teams": [nanguan_team.pk],
        },
    )
    volunteer = Volunteer.objects.get(id_number=number)
    assert response.status_code == 302 and response["Location"] == f"/volunteers/{volunteer.pk}/"
    assert volunteer.name == "钱新来" and volunteer.gender == idcard.gender_of(number)
    assert list(volunteer.teams.all()) == [nanguan_team]
    assert volunteer.volunteer_no.startswith(f"DT{nanguan_team.division.code}")
    page = client_as(team_leader).get(response["Location"]).content.decode()
    assert number not in page and mask_id_number(number) in page  # masked as privacy.py says


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "bad-check", "身份证号校验位错误。"),
        ("id_number", "14020219910230123X", "身份证号"),  # 30 February
        ("phone", "23912345678", "手机号应为以1开头的11位数字。"),
        ("name", "", "该字段是必填项。"),
    ],
)
def test_bad_volunteer_input_is_a_400_in_chinese_and_saves_nothing(client_as, hq, pingcheng, field, value, message):
    number = _new_id(pingcheng)
    data = {"name": "周正确", "id_number": number, "phone": "13912345678", "division": pingcheng.pk}
    data[field] = number[:17] + ("0" if number[17] != "0" else "1") if value == "bad-check" else value
    before = Volunteer.objects.count()
    response = client_as(hq).post("/volunteers/new/", data)
    assert response.status_code == 400
    assert message in _chinese(response)
    assert Volunteer.objects.count() == before


def test_an_id_number_registered_already_is_refused(client_as, hq, make_volunteer, pingcheng):
    existing = make_volunteer(pingcheng)
    before = Volunteer.objects.count()
    response = client_as(hq).post(
        "/volunteers/new/",
        {"name": "重复", "id_number": existing.id_number, "phone": "13912345678", "division": pingcheng.pk},
    )
    assert response.status_code == 400 and "该身份证号已注册。" in _chinese(response)
    assert Volunteer.objects.count() == before


def test_officer_cannot_register_into_another_division(client_as, officer_yungang, pingcheng):
    before = Volunteer.objects.count()
    response = client_as(officer_yungang).post(
        "/volunteers/new/",
        {"name": "越界", "id_number": _new_id(pingcheng), "phone": "13912345678", "division": pingcheng.pk},
    )
    assert response.status_code == 400 and "选择一个有效的选项" in _chinese(response)
    assert Volunteer.objects.count() == before


@pytest.mark.parametrize("url", ["/volunteers/new/", "/volunteers/teams/new/", "/volunteers/sites/new/"])
@pytest.mark.parametrize("role", ["supervisor", "leader", "api_reader"])
def test_only_headquarters_and_officers_open_the_registration_forms(client_as, city, role, url):
    client = client_as(_user(city, role))
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "不该存在"}).status_code == 403


def _user(city, role):
    from campaigns.choices import Role

    wanted = {"supervisor": Role.SUPERVISOR, "leader": Role.LEADER, "api_reader": Role.API_READER}[role]
    return next(user for user in city.values() if user.role == wanted)


def test_officer_edits_a_volunteer_without_ever_seeing_the_full_id_number(client_as, officer_pingcheng, make_volunteer):
    volunteer = make_volunteer(officer_pingcheng.unit.division)
    client = client_as(officer_pingcheng)
    page = client.get(f"/volunteers/{volunteer.pk}/edit/").content.decode()
    assert volunteer.id_number not in page and volunteer.phone not in page
    response = client.post(
        f"/volunteers/{volunteer.pk}/edit/", {"name": "改过名", "id_number": "", "phone": "13700001234"}
    )
    assert response.status_code == 302
    volunteer = reload(volunteer)
    assert (volunteer.name, volunteer.phone) == ("改过名", "13700001234")


def test_bad_edit_changes_nothing(client_as, officer_pingcheng, make_volunteer):
    volunteer = make_volunteer(officer_pingcheng.unit.division)
    response = client_as(officer_pingcheng).post(
        f"/volunteers/{volunteer.pk}/edit/", {"name": "新名字", "id_number": "123456789012345678", "phone": ""}
    )
    assert response.status_code == 400 and "身份证号" in _chinese(response)
    assert reload(volunteer).name == volunteer.name


def test_edit_is_refused_to_other_division_and_to_supervisor(client_as, officer_yungang, supervisor, make_volunteer):
    volunteer = make_volunteer(VolunteerTeam.objects.get(name="南关社区志愿服务队").division)
    assert client_as(officer_yungang).get(f"/volunteers/{volunteer.pk}/edit/").status_code == 404
    response = client_as(supervisor).post(f"/volunteers/{volunteer.pk}/edit/", {"name": "监督改名"})
    assert response.status_code == 403
    assert reload(volunteer).name == volunteer.name


# --- teams, sites, projects --------------------------------------------------------------------------------------


def test_officer_creates_a_team_and_a_twin_name_is_refused(client_as, officer_pingcheng, pingcheng):
    client = client_as(officer_pingcheng)
    data = {"name": "文瀛湖环保志愿服务队", "division": pingcheng.pk, "level": "community", "service_field": "环境保护"}
    response = client.post("/volunteers/teams/new/", data)
    team = VolunteerTeam.objects.get(name="文瀛湖环保志愿服务队")
    assert response.status_code == 302 and response["Location"] == f"/volunteers/teams/{team.pk}/"
    assert team.division == pingcheng and team.service_field == "环境保护"
    again = client.post("/volunteers/teams/new/", data)
    assert again.status_code == 400 and "已有同名服务队。" in _chinese(again)
    assert VolunteerTeam.objects.filter(name="文瀛湖环保志愿服务队").count() == 1


def test_site_with_a_parent_of_the_wrong_level_is_refused(client_as, hq, pingcheng):
    centre = PracticeSite.objects.get(division=pingcheng, level="centre")
    institute = PracticeSite.objects.filter(division=pingcheng, level="institute").first()
    client = client_as(hq)
    before = PracticeSite.objects.count()
    data = {"name": "新建社区新时代文明实践站", "level": "station", "division": pingcheng.pk, "parent": centre.pk}
    response = client.post("/volunteers/sites/new/", data)
    assert response.status_code == 400 and "上级阵地应为本区县的上一级阵地" in _chinese(response)
    assert PracticeSite.objects.count() == before
    data["parent"] = institute.pk
    assert client.post("/volunteers/sites/new/", data).status_code == 302
    assert PracticeSite.objects.get(name="新建社区新时代文明实践站").parent == institute


def test_team_leader_publishes_a_project_for_their_team_only(client_as, team_leader, nanguan_team, pingcheng):
    client = client_as(team_leader)
    today = timezone.localdate()
    data = {
        "title": "南关社区垃圾分类宣传",
        "start_date": today,
        "end_date": today + timedelta(days=30),
        "capacity": 10,
    }
    response = client.post(f"/volunteers/teams/{nanguan_team.pk}/projects/new/", data)
    assert response.status_code == 302
    assert ServiceProject.objects.get(title="南关社区垃圾分类宣传").team == nanguan_team
    other = VolunteerTeam.objects.filter(division=pingcheng).exclude(leader_user=team_leader).first()
    assert client.get(f"/volunteers/teams/{other.pk}/projects/new/").status_code == 403
    assert client.post(f"/volunteers/teams/{other.pk}/projects/new/", {**data, "title": "越权项目"}).status_code == 403
    assert not ServiceProject.objects.filter(title="越权项目").exists()


def test_project_ending_before_it_starts_is_refused(client_as, team_leader, nanguan_team):
    today = timezone.localdate()
    data = {"title": "倒着的项目", "start_date": today, "end_date": today - timedelta(days=1), "capacity": 10}
    response = client_as(team_leader).post(f"/volunteers/teams/{nanguan_team.pk}/projects/new/", data)
    assert response.status_code == 400 and "结束日期不能早于开始日期。" in _chinese(response)
    assert not ServiceProject.objects.filter(title="倒着的项目").exists()


# --- a single service record -------------------------------------------------------------------------------------


def _record_data(volunteer, project, **changes):
    day = timezone.localdate() - timedelta(days=1)
    return {
        "volunteer_no": volunteer.volunteer_no,
        "project": project.pk,
        "date": day,
        "start_time": "14:00",
        "end_time": "16:30",
        **changes,
    }


def test_team_leader_adds_a_record_which_waits_for_confirmation(
    client_as, team_leader, nanguan_team, nanguan_project, make_volunteer
):
    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    response = client_as(team_leader).post("/volunteers/records/new/", _record_data(volunteer, nanguan_project))
    assert response.status_code == 302 and response["Location"] == f"/volunteers/{volunteer.pk}/"
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert (record.status, record.hours, record.start_time) == ("pending", 2.5, time(14, 0))
    assert reload(volunteer).confirmed_hours == 0  # hours count only once confirmed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"volunteer_no": "DT000000000000"}, "没有这个编号的志愿者"),
        ({"end_time": "13:00"}, "结束时间应晚于开始时间。"),
        ({"date": "2099-01-01"}, "服务日期"),
        ({"start_time": "25:00"}, "输入一个有效的时间"),
    ],
)
def test_bad_record_input_is_refused_in_chinese(
    client_as, team_leader, nanguan_team, nanguan_project, make_volunteer, changes, message
):
    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    response = client_as(team_leader).post(
        "/volunteers/records/new/", _record_data(volunteer, nanguan_project, **changes)
    )
    assert response.status_code == 400 and message in _chinese(response)
    assert not ServiceRecord.objects.filter(volunteer=volunteer).exists()


def test_record_for_a_volunteer_of_another_division_or_a_project_not_theirs_is_refused(
    client_as, team_leader, nanguan_project, yungang_team, make_volunteer, pingcheng
):
    stranger = make_volunteer(yungang_team.division)
    client = client_as(team_leader)
    response = client.post("/volunteers/records/new/", _record_data(stranger, nanguan_project))
    assert response.status_code == 400 and "没有这个编号的志愿者" in _chinese(response)
    own = make_volunteer(pingcheng)
    foreign_project = ServiceProject.objects.filter(division=pingcheng).exclude(team__leader_user=team_leader).first()
    response = client.post("/volunteers/records/new/", _record_data(own, foreign_project))
    assert response.status_code == 400 and "选择一个有效的选项" in _chinese(response)
    assert not ServiceRecord.objects.filter(volunteer__in=[stranger, own]).exists()


# --- confirming: one tap, or all selected --------------------------------------------------------------------------


def test_one_tap_confirms_in_place_and_a_second_tap_is_told_in_the_row(client_as, team_leader, pending_record):
    client = client_as(team_leader)
    headers = {"HX-Request": "true"}
    response = client.post(f"/volunteers/records/{pending_record.pk}/confirm/", headers=headers)
    row = _chinese(response)
    assert response.status_code == 200 and row.startswith("<tr") and "已确认" in row
    hours = reload(pending_record.volunteer).confirmed_hours
    assert hours == pending_record.hours
    again = client.post(f"/volunteers/records/{pending_record.pk}/confirm/", headers=headers)
    assert again.status_code == 200 and 'role="alert"' in again.content.decode()
    assert reload(pending_record.volunteer).confirmed_hours == hours  # counted once


def test_bulk_confirm_reports_row_by_row(
    client_as, team_leader, hq, nanguan_team, nanguan_project, yungang_team, make_volunteer
):
    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    yesterday = timezone.localdate() - timedelta(days=1)
    mine = [
        services.record_create(
            actor=hq, volunteer=volunteer, project=nanguan_project, date=yesterday, start_time=start, end_time=end
        )
        for start, end in ((time(8, 0), time(9, 0)), (time(10, 0), time(12, 0)))
    ]
    done_already = services.record_create(
        actor=hq, volunteer=volunteer, project=nanguan_project, date=yesterday, start_time=time(13), end_time=time(14)
    )
    services.record_confirm(actor=hq, record=done_already)
    outsider = make_volunteer(yungang_team.division)
    foreign = services.record_create(
        actor=hq,
        volunteer=outsider,
        project=ServiceProject.objects.filter(team=yungang_team).first(),
        date=yesterday,
        start_time=time(8),
        end_time=time(9),
    )
    ids = [mine[0].pk, foreign.pk, done_already.pk, mine[1].pk]
    response = client_as(team_leader).post("/volunteers/records/bulk-confirm/", {"records": ids})
    page = _chinese(response)
    assert response.status_code == 200
    assert "已确认 <strong>2</strong> 条，未确认 <strong>2</strong> 条" in page
    assert "记录不存在或无权查看。" in page
    statuses = dict(ServiceRecord.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        mine[0].pk: "confirmed",
        mine[1].pk: "confirmed",
        done_already.pk: "confirmed",
        foreign.pk: "pending",
    }
    assert reload(volunteer).confirmed_hours == sum(r.hours for r in (*mine, done_already))


def test_bulk_confirm_by_a_supervisor_confirms_nothing(client_as, supervisor, pending_record):
    response = client_as(supervisor).post("/volunteers/records/bulk-confirm/", {"records": [pending_record.pk]})
    assert response.status_code == 200 and "只有项目组织方" in _chinese(response)
    pending_record.refresh_from_db()
    assert pending_record.status == "pending"


@pytest.mark.parametrize("ids", [[], ["abc"], ["²"], ["1" * 20]])
def test_bulk_confirm_with_bad_ids_is_told_not_a_500(client_as, team_leader, ids):
    response = client_as(team_leader).post("/volunteers/records/bulk-confirm/", {"records": ids}, follow=True)
    assert response.status_code == 200 and "请先勾选要确认的服务记录。" in response.content.decode()


def _pending_stints(hq, volunteer, project, count):
    yesterday = timezone.localdate() - timedelta(days=1)
    return [
        services.record_create(
            actor=hq,
            volunteer=volunteer,
            project=project,
            date=yesterday,
            start_time=time(8 + 2 * n),
            end_time=time(9 + 2 * n),
        )
        for n in range(count)
    ]


def test_bulk_reject_reports_row_by_row_with_one_reason(
    client_as, team_leader, hq, nanguan_team, nanguan_project, yungang_team, make_volunteer
):
    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    first, second, done_already = _pending_stints(hq, volunteer, nanguan_project, 3)
    services.record_confirm(actor=hq, record=done_already)
    hours = reload(volunteer).confirmed_hours
    outsider = make_volunteer(yungang_team.division)
    (foreign,) = _pending_stints(hq, outsider, ServiceProject.objects.filter(team=yungang_team).first(), 1)
    ids = [first.pk, foreign.pk, done_already.pk, second.pk]
    response = client_as(team_leader).post(
        "/volunteers/records/bulk-reject/", {"records": ids, "reason": "照片与活动不符", "next": "/volunteers/records/"}
    )
    page = _chinese(response)
    assert response.status_code == 200
    assert "已驳回 <strong>2</strong> 条，未驳回 <strong>2</strong> 条" in page
    assert "记录不存在或无权查看。" in page
    rows = {r.pk: r for r in ServiceRecord.objects.filter(pk__in=ids)}
    assert {pk: row.status for pk, row in rows.items()} == {
        first.pk: "rejected",
        second.pk: "rejected",
        done_already.pk: "confirmed",
        foreign.pk: "pending",
    }
    assert rows[first.pk].reject_reason == rows[second.pk].reject_reason == "照片与活动不符"
    assert reload(volunteer).confirmed_hours == hours


def test_bulk_reject_by_a_supervisor_rejects_nothing(client_as, supervisor, pending_record):
    response = client_as(supervisor).post(
        "/volunteers/records/bulk-reject/", {"records": [pending_record.pk], "reason": "不实"}
    )
    assert response.status_code == 200 and "只有项目组织方" in _chinese(response)
    pending_record.refresh_from_db()
    assert pending_record.status == "pending" and pending_record.reject_reason == ""


@pytest.mark.parametrize("reason", ["", "   ", "长" * 201])
def test_bulk_reject_without_a_fit_reason_is_a_400_and_rejects_nothing(client_as, team_leader, pending_record, reason):
    response = client_as(team_leader).post(
        "/volunteers/records/bulk-reject/", {"records": [pending_record.pk], "reason": reason}
    )
    assert response.status_code == 400
    assert "驳回原因" in _chinese(response) and "未处理任何记录" in response.content.decode()
    pending_record.refresh_from_db()
    assert pending_record.status == "pending"


@pytest.mark.parametrize("ids", [[], ["abc"], ["1" * 20]])
def test_bulk_reject_with_bad_ids_is_told_not_a_500(client_as, team_leader, ids):
    response = client_as(team_leader).post(
        "/volunteers/records/bulk-reject/", {"records": ids, "reason": "重复"}, follow=True
    )
    assert response.status_code == 200 and "请先勾选要驳回的服务记录。" in response.content.decode()


def test_record_list_offers_bulk_reject_with_a_reason(client_as, team_leader, pending_record):
    page = client_as(team_leader).get("/volunteers/records/").content.decode()
    assert 'formaction="/volunteers/records/bulk-reject/"' in page and 'name="reason"' in page


# --- editing teams, sites and projects ----------------------------------------------------------------------------


def test_officer_edits_a_team_and_a_twin_name_is_refused(
    client_as, officer_pingcheng, officer_yungang, supervisor, nanguan_team, yungang_team
):
    client = client_as(officer_pingcheng)
    url = f"/volunteers/teams/{nanguan_team.pk}/edit/"
    data = {
        "name": "南关社区文明志愿服务队",
        "level": "community",
        "leader_name": "赵队长",
        "service_field": "文明交通",
    }
    assert client.post(url, data).status_code == 302
    nanguan_team.refresh_from_db()
    assert (nanguan_team.name, nanguan_team.service_field) == ("南关社区文明志愿服务队", "文明交通")
    twin = client.post(url, {**data, "name": yungang_team.name})
    assert twin.status_code == 400 and "已有同名服务队。" in _chinese(twin)
    nanguan_team.refresh_from_db()
    assert nanguan_team.name == "南关社区文明志愿服务队"
    assert client_as(officer_yungang).get(url).status_code == 404
    assert client_as(supervisor).post(url, {**data, "name": "督导改名"}).status_code == 403
    assert not VolunteerTeam.objects.filter(name="督导改名").exists()


def test_site_edit_saves_and_refuses_a_blank_name_and_strangers(client_as, hq, officer_yungang, pingcheng):
    institute = PracticeSite.objects.filter(division=pingcheng, level="institute").first()
    url = f"/volunteers/sites/{institute.pk}/edit/"
    client = client_as(hq)
    assert client.post(url, {"name": institute.name, "address": "平城区南关南街1号"}).status_code == 302
    institute.refresh_from_db()
    assert institute.address == "平城区南关南街1号"
    blank = client.post(url, {"name": "", "address": "别处"})
    assert blank.status_code == 400 and "该字段是必填项。" in _chinese(blank)
    institute.refresh_from_db()
    assert institute.address == "平城区南关南街1号"
    assert client_as(officer_yungang).post(url, {"name": "越界改名"}).status_code == 404


def test_project_dates_cannot_leave_its_records_outside(
    client_as, team_leader, officer_yungang, supervisor, pending_record
):
    project = pending_record.project
    url = f"/volunteers/projects/{project.pk}/edit/"
    client = client_as(team_leader)
    first = ServiceRecord.objects.filter(project=project).order_by("date").values_list("date", flat=True).first()
    data = {
        "title": project.title,
        "start_date": first + timedelta(days=1),
        "end_date": project.end_date,
        "capacity": project.capacity,
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "已有服务记录的日期不在新的起止日期内。" in _chinese(response)
    start = project.start_date
    project.refresh_from_db()
    assert project.start_date == start
    assert client.post(url, {**data, "start_date": first, "capacity": 99}).status_code == 302
    project.refresh_from_db()
    assert (project.start_date, project.capacity) == (first, 99)
    assert client_as(officer_yungang).get(url).status_code == 404
    assert client_as(supervisor).post(url, {**data, "title": "督导改的"}).status_code == 403
    project.refresh_from_db()
    assert project.title != "督导改的"
