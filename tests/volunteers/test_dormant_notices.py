"""A station that falls quiet is told to its division's officers once per dormant spell, and listed in the digest."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from campaigns import registry
from campaigns.models import Notification
from taskforces.clock import morning_digest
from volunteers import clock, services
from volunteers.choices import SiteLevel
from volunteers.models import PracticeSite, VolunteerTeam

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(hq, pingcheng):
    """A station of 平城区 with a team and a project that ran all year."""
    institute = PracticeSite.objects.get(division=pingcheng, name="南关街道新时代文明实践所")
    site = services.site_create(
        actor=hq, name="测试社区新时代文明实践站", level=SiteLevel.STATION, division=pingcheng, parent=institute
    )
    team = services.team_create(actor=hq, name="测试社区志愿服务队", division=pingcheng, practice_site=site)
    today = timezone.localdate()
    project = services.project_create(
        actor=hq, team=team, title="测试社区邻里守望", start_date=today - timedelta(days=200), end_date=today
    )
    return site, project


def _serve(hq, make_volunteer, project, day):
    volunteer = make_volunteer(project.division, teams=[VolunteerTeam.objects.get(pk=project.team_id)])
    return services.record_create(
        actor=hq, volunteer=volunteer, project=project, date=day, start_time=time(9, 0), end_time=time(11, 0)
    )


def _notices(site, user=None):
    found = Notification.objects.filter(
        kind="volunteers-station-dormant", key__startswith=f"{clock.KEY_PREFIX}{site.pk}:"
    )
    return found.filter(recipient=user) if user is not None else found


def _at(days_from_today):
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(9, 15)))


def test_a_station_quiet_for_30_days_is_told_to_its_division_officer_once(
    station, hq, officer_pingcheng, officer_yungang, make_volunteer
):
    site, project = station
    _serve(hq, make_volunteer, project, timezone.localdate() - timedelta(days=29))
    clock.notify_dormant_stations(_at(0))
    assert not _notices(site).exists(), "29 days without service is not dormant yet"

    clock.notify_dormant_stations(_at(2))
    notice = _notices(site, officer_pingcheng).get()
    assert site.name in notice.title and "超过 30 天" in notice.body
    assert notice.url == "/volunteers/sites/dormant/"
    assert not _notices(site, officer_yungang).exists(), "another division's officer is not told"
    assert not _notices(site, hq).exists()

    clock.notify_dormant_stations(_at(3))
    clock.notify_dormant_stations(_at(10))
    assert _notices(site).count() == 1, "once, not twice"


def test_back_to_active_and_dormant_again_is_told_again(station, hq, officer_pingcheng, make_volunteer):
    site, project = station
    _serve(hq, make_volunteer, project, timezone.localdate() - timedelta(days=40))
    clock.notify_dormant_stations(_at(0))
    assert _notices(site, officer_pingcheng).count() == 1

    _serve(hq, make_volunteer, project, timezone.localdate())  # back to active
    clock.notify_dormant_stations(_at(1))
    assert _notices(site, officer_pingcheng).count() == 1, "an active station is not told"

    clock.notify_dormant_stations(_at(31))  # a month later with no service: dormant again
    assert _notices(site, officer_pingcheng).count() == 2
    clock.notify_dormant_stations(_at(32))
    assert _notices(site, officer_pingcheng).count() == 2


def test_a_station_that_never_served_is_told_too(station, officer_pingcheng):
    site, _project = station
    clock.notify_dormant_stations(_at(0))
    assert "尚无志愿服务记录" in _notices(site, officer_pingcheng).get().body


def test_the_morning_digest_lists_the_dormant_stations(station, hq, make_volunteer):
    site, project = station
    _serve(hq, make_volunteer, project, timezone.localdate() - timedelta(days=45))
    morning_digest(_at(0).replace(hour=9, minute=0))
    digest = Notification.objects.get(recipient=hq, kind="report_digest")
    assert "沉寂实践站" in digest.body
    last = timezone.localdate() - timedelta(days=45)
    assert f"{site.name}（最近服务 {last:%m月%d日}）" in digest.body


def test_an_active_city_has_no_dormant_lines(station, hq, make_volunteer):
    site, project = station
    _serve(hq, make_volunteer, project, timezone.localdate())
    lines = clock.digest_lines(_at(0))
    assert all(site.name not in line for line in lines)


def test_the_sweep_is_on_the_calendar():
    assert registry.sweeps()["volunteers-dormant-stations"] is clock.notify_dormant_stations
    assert any(name == "volunteers-dormant-stations" for name, _cron, _text in registry.schedules())
