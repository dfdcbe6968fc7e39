from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from volunteers import idcard, services, stats
from volunteers.models import ServiceProject, Volunteer, VolunteerTeam


@pytest.fixture(autouse=True)
def _counters_match_the_rows_after_each_test(request):
    """Whatever a volunteer test writes (services, admin, imports, races), the dashboard's counters end equal to a
    recount of the rows: the nightly recount would find no drift after this directory's writes."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    yield
    assert stats.recount(repair=False, report=False) == []


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.fixture
def team_leader(city):
    return city["team-leader"]


@pytest.fixture
def nanguan_team(city):
    return VolunteerTeam.objects.get(name="南关社区志愿服务队")


@pytest.fixture
def nanguan_project(nanguan_team):
    return ServiceProject.objects.filter(team=nanguan_team).first()


@pytest.fixture
def yungang_team(city):
    return VolunteerTeam.objects.get(name="新平旺社区志愿服务队")


@pytest.fixture
def make_volunteer(hq):
    counter = {"n": 0}

    def make(division, name="测试志愿者", teams=()):
        counter["n"] += 1
        number = idcard.make_id_number(division.code, date(1988, 5, counter["n"]), 500 + counter["n"])
        return services.volunteer_register(
            actor=hq, name=name, id_number=number, phone=f"1380000{counter['n']:04d}", division=division, teams=teams
        )

    return make


@pytest.fixture
def pending_record(hq, nanguan_project, nanguan_team, make_volunteer):
    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    return services.record_create(
        actor=hq,
        volunteer=volunteer,
        project=nanguan_project,
        date=timezone.localdate() - timedelta(days=1),
        start_time=time(9, 0),
        end_time=time(11, 30),
    )


def reload(volunteer):
    return Volunteer.objects.get(pk=volunteer.pk)
