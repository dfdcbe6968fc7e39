"""The dashboard's volunteer counters change by exactly what each write changes, never by a recount; the nightly
recount finds no drift after the writes and reports and repairs a corrupted counter."""

import json
import logging
from datetime import date, time, timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.clock import run_sweeps
from campaigns.models import Division, Notification
from campaigns.selectors import headquarters_staff
from tests.volunteers.test_import import roster, sheet
from volunteers import services, stats
from volunteers.choices import SiteLevel
from volunteers.idcard import make_id_number
from volunteers.models import (
    DivisionVolunteerDay,
    DivisionVolunteerStats,
    PracticeSite,
    Rating,
    ServiceProject,
    ServiceRecord,
    Volunteer,
    VolunteerTeam,
)

pytestmark = pytest.mark.django_db

STATS_TABLE = DivisionVolunteerStats._meta.db_table


def snapshot() -> dict[int, dict[str, int]]:
    return {row["division_id"]: row for row in DivisionVolunteerStats.objects.values("division_id", *stats.FIELDS)}


def changes(before, after) -> dict[int, dict[str, int]]:
    """{division_id: {field: delta}} of the counters that moved."""
    out = {}
    for division_id, row in after.items():
        old = before.get(division_id, dict.fromkeys(stats.FIELDS, 0))
        moved = {f: row[f] - old[f] for f in stats.FIELDS if row[f] != old[f]}
        if moved:
            out[division_id] = moved
    return out


def stint(actor, volunteer, project, start=time(9, 0), end=time(10, 0), days_ago=1):
    return services.record_create(
        actor=actor,
        volunteer=volunteer,
        project=project,
        date=timezone.localdate() - timedelta(days=days_ago),
        start_time=start,
        end_time=end,
    )


@pytest.fixture
def yungang_project(hq, yungang_team):
    today = timezone.localdate()
    return services.project_create(
        actor=hq, team=yungang_team, title="云冈测试项目", start_date=today - timedelta(days=30), end_date=today
    )


def test_each_write_changes_exactly_its_counters(
    hq, pingcheng, yungang, nanguan_team, nanguan_project, yungang_team, make_volunteer
):
    pc, yg = pingcheng.pk, yungang.pk
    centre = PracticeSite.objects.get(division=pingcheng, level=SiteLevel.CENTRE)

    def moved(write):
        before = snapshot()
        result = write()
        return changes(before, snapshot()), result

    delta, institute = moved(
        lambda: services.site_create(
            actor=hq, name="测试实践所", level=SiteLevel.INSTITUTE, division=pingcheng, parent=centre
        )
    )
    assert delta == {pc: {"institutes": 1}}
    delta, _ = moved(
        lambda: services.site_create(
            actor=hq, name="测试实践站", level=SiteLevel.STATION, division=pingcheng, parent=institute
        )
    )
    assert delta == {pc: {"stations": 1}}
    delta, team = moved(lambda: services.team_create(actor=hq, name="计数测试服务队", division=yungang))
    assert delta == {yg: {"teams": 1}}
    today = timezone.localdate()
    delta, _ = moved(
        lambda: services.project_create(
            actor=hq, team=team, title="计数测试项目", start_date=today - timedelta(days=9), end_date=today
        )
    )
    assert delta == {yg: {"projects": 1}}

    delta, volunteer = moved(lambda: make_volunteer(pingcheng, teams=[nanguan_team]))
    assert delta == {pc: {"registered": 1}}
    delta, first = moved(lambda: stint(hq, volunteer, nanguan_project))
    assert delta == {}, "a pending record is not a dashboard figure"
    second = stint(hq, volunteer, nanguan_project, start=time(14, 0), end=time(15, 0))
    third = stint(hq, volunteer, nanguan_project, start=time(16, 0), end=time(17, 0))
    delta, _ = moved(lambda: services.record_reject(actor=hq, record=first, reason="未到岗"))
    assert delta == {}
    delta, _ = moved(lambda: services.record_confirm(actor=hq, record=second))
    assert delta == {pc: {"with_service_hours": 1}}, "the volunteer's first hours make them active"
    delta, _ = moved(lambda: services.record_confirm(actor=hq, record=third))
    assert delta == {}, "already active: no counter moves"

    delta, _ = moved(lambda: services.volunteer_update(actor=hq, volunteer=volunteer, name="改名志愿者"))
    assert delta == {}
    delta, _ = moved(lambda: services.volunteer_update(actor=hq, volunteer=volunteer, division=yungang, teams=[]))
    assert delta == {pc: {"registered": -1, "with_service_hours": -1}, yg: {"registered": 1, "with_service_hours": 1}}
    idle = make_volunteer(pingcheng)
    delta, _ = moved(lambda: services.volunteer_update(actor=hq, volunteer=idle, division=yungang))
    assert delta == {pc: {"registered": -1}, yg: {"registered": 1}}

    delta, _ = moved(lambda: services.rating_add(project=nanguan_project, rater_kind="resident", score=5))
    assert delta == {pc: {"ratings": 1, "satisfied_ratings": 1}}
    delta, _ = moved(lambda: services.rating_add(project=nanguan_project, rater_kind="resident", score=2))
    assert delta == {pc: {"ratings": 1}}

    # Hours rebuilt from the records: the volunteer whose confirmed hours fall to zero is no longer active.
    Volunteer.objects.filter(pk=volunteer.pk).update(confirmed_hours=0)
    DivisionVolunteerStats.objects.filter(division=yungang).update(with_service_hours=F("with_service_hours") - 1)
    delta, _ = moved(lambda: services.volunteer_recompute_hours(volunteer=volunteer))
    assert delta == {yg: {"with_service_hours": 1}}
    assert stats.recount(repair=False) == []


def _admin_request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def test_admin_saves_and_deletes_change_the_counters_by_their_difference(
    hq, pingcheng, yungang, nanguan_project, make_volunteer
):
    pc, yg = pingcheng.pk, yungang.pk
    request = _admin_request(hq)
    rating_admin = admin.site._registry[Rating]
    project_admin = admin.site._registry[ServiceProject]
    site_admin = admin.site._registry[PracticeSite]

    before = snapshot()
    with transaction.atomic():
        rating = Rating(project=nanguan_project, division=pingcheng, rater_kind="resident", score=3, satisfied=False)
        rating_admin.save_model(request, rating, form=None, change=False)
    assert changes(before, snapshot()) == {pc: {"ratings": 1}}

    before = snapshot()
    with transaction.atomic():
        rating.satisfied = True
        rating_admin.save_model(request, rating, form=None, change=True)
    assert changes(before, snapshot()) == {pc: {"satisfied_ratings": 1}}

    centre = PracticeSite.objects.get(division=pingcheng, level=SiteLevel.CENTRE)
    site = services.site_create(
        actor=hq, name="改级实践所", level=SiteLevel.INSTITUTE, division=pingcheng, parent=centre
    )
    before = snapshot()
    with transaction.atomic():
        site.division = yungang
        site.parent = PracticeSite.objects.get(division=yungang, level=SiteLevel.CENTRE)
        site_admin.save_model(request, site, form=None, change=True)
    assert changes(before, snapshot()) == {pc: {"institutes": -1}, yg: {"institutes": 1}}

    # Deleting a project takes its ratings with it (cascade): both leave the counters.
    today = timezone.localdate()
    project = services.project_create(
        actor=hq, team=nanguan_project.team, title="将删除的项目", start_date=today, end_date=today
    )
    for score in (5, 4, 1):
        services.rating_add(project=project, rater_kind="resident", score=score)
    before = snapshot()
    with transaction.atomic():
        project_admin.delete_model(request, project)
    assert changes(before, snapshot()) == {pc: {"projects": -1, "ratings": -3, "satisfied_ratings": -2}}

    before = snapshot()
    project_admin.delete_queryset(request, ServiceProject.objects.filter(pk__in=[]))
    rating_admin.delete_queryset(request, Rating.objects.filter(pk=rating.pk))
    assert changes(before, snapshot()) == {pc: {"ratings": -1, "satisfied_ratings": -1}}

    # A volunteer registered by mistake, and two empty teams, deleted by the data steward.
    volunteer = make_volunteer(yungang)
    teams = [services.team_create(actor=hq, name=f"误建服务队{i}", division=pingcheng) for i in range(2)]
    before = snapshot()
    with transaction.atomic():
        admin.site._registry[Volunteer].delete_model(request, volunteer)
    admin.site._registry[VolunteerTeam].delete_queryset(
        request, VolunteerTeam.objects.filter(pk__in=[t.pk for t in teams])
    )
    assert changes(before, snapshot()) == {yg: {"registered": -1}, pc: {"teams": -2}}
    assert stats.recount(repair=False) == []


def test_a_roster_import_adds_per_division_deltas_in_one_update_per_division(api_as, hq, pingcheng, yungang):
    rows = roster(pingcheng, n=4) + [
        ["云冈队员", make_id_number(yungang.code, date(1990, 2, 3), 777), "13700009999", yungang.name, "", "2022-05-01"]
    ]
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        response = api_as(hq).post("/api/v1/volunteers/import/", {"file": sheet(rows)}, format="multipart")
    assert response.status_code == 200, response.content
    assert changes(before, snapshot()) == {pingcheng.pk: {"registered": 4}, yungang.pk: {"registered": 1}}
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{STATS_TABLE}"')]
    assert len(updates) == 2
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"] and '"volunteers_volunteer"' in q["sql"]]


def test_confirming_neither_counts_nor_locks_the_division(hq, nanguan_team, nanguan_project, make_volunteer):
    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    record = stint(hq, volunteer, nanguan_project)
    with CaptureQueriesContext(connection) as queries:
        services.record_confirm(actor=hq, record=record)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sqls if "COUNT(" in s], "a confirmation counts nothing"
    on_stats = [s for s in sqls if STATS_TABLE in s]
    assert len(on_stats) == 1 and on_stats[0].startswith(f'UPDATE "{STATS_TABLE}"'), on_stats
    assert '"with_service_hours" = ("' in on_stats[0] and "+ 1" in on_stats[0]
    locks = [s for s in sqls if "FOR UPDATE" in s]
    assert all(('"volunteers_servicerecord"' in s) or ('"volunteers_volunteer"' in s) for s in locks), locks
    assert Volunteer.objects.get(pk=volunteer.pk).star == services.star_for(record.hours)


def test_dashboard_figures_match_hand_counts_for_the_city_and_a_new_division(api_as, hq):
    city_before = api_as(hq).get("/api/v1/dashboard/summary/").json()
    division = Division.objects.create(code="140299", name="测试新区", pinyin="ceshixinqu", kind="district")
    today = timezone.localdate()

    centre = services.site_create(actor=hq, name="测试新区实践中心", level=SiteLevel.CENTRE, division=division)
    institutes = [
        services.site_create(
            actor=hq, name=f"测试新区实践所{i}", level=SiteLevel.INSTITUTE, division=division, parent=centre
        )
        for i in range(2)
    ]
    stations = [
        services.site_create(actor=hq, name=f"测试新区实践站{i}", level=SiteLevel.STATION, division=division, parent=p)
        for i, p in enumerate(institutes * 2)
    ]
    teams = [services.team_create(actor=hq, name=f"测试新区服务队{i}", division=division) for i in range(3)]
    projects = [
        services.project_create(
            actor=hq, team=t, title=f"测试新区项目{i}", start_date=today - timedelta(days=20), end_date=today
        )
        for i, t in enumerate(teams[:2])
    ]
    volunteers = [
        services.volunteer_register(
            actor=hq,
            name=f"新区志愿者{i}",
            id_number=make_id_number(division.code, date(1980, 1, i + 1), 100 + i),
            phone=f"1390000{i:04d}",
            division=division,
        )
        for i in range(7)
    ]
    # Volunteers 0-2 get confirmed hours (volunteer 0 twice), 3 a pending record, 4 a rejected one, 5 and 6 none.
    confirmed = [stint(hq, volunteers[0], projects[0]), stint(hq, volunteers[0], projects[1], days_ago=2)]
    confirmed += [stint(hq, v, projects[0]) for v in volunteers[1:3]]
    for record in confirmed:
        services.record_confirm(actor=hq, record=record)
    stint(hq, volunteers[3], projects[0])
    services.record_reject(actor=hq, record=stint(hq, volunteers[4], projects[1]), reason="重复登记")
    scores = [5, 4, 3, 5, 1]
    for i, score in enumerate(scores):
        services.rating_add(project=projects[i % 2], rater_kind="resident", score=score)

    active = len({r.volunteer_id for r in confirmed})
    satisfied = len([s for s in scores if s >= 4])
    expected = {
        "registered": len(volunteers),
        "with_service_hours": active,
        "activity_rate": round(active * 100 / len(volunteers), 1),
        "teams": len(teams),
        "projects": len(projects),
        "satisfaction_rate": round(satisfied * 100 / len(scores), 1),
    }
    body = api_as(hq).get(f"/api/v1/dashboard/summary/?division={division.pk}").json()
    assert body["volunteers"] == expected
    assert body["practice_sites"] == {"centre": 1, "institute": len(institutes), "station": len(stations)}

    city = api_as(hq).get("/api/v1/dashboard/summary/").json()
    old = city_before["volunteers"]
    for field in ("registered", "with_service_hours", "teams", "projects"):
        assert city["volunteers"][field] == old[field] + expected[field], field
    assert city["volunteers"]["activity_rate"] == round(
        (old["with_service_hours"] + active) * 100 / (old["registered"] + len(volunteers)), 1
    )
    for level, built in (("centre", 1), ("institute", len(institutes)), ("station", len(stations))):
        assert city["practice_sites"][level] == city_before["practice_sites"][level] + built
    assert stats.recount(repair=False) == []


def test_the_nightly_recount_finds_no_drift_after_a_spread_of_writes(
    hq, pingcheng, nanguan_team, nanguan_project, yungang_project, make_volunteer
):
    for i in range(3):
        volunteer = make_volunteer(pingcheng, name=f"夜间核对{i}", teams=[nanguan_team])
        services.record_confirm(actor=hq, record=stint(hq, volunteer, nanguan_project))
    services.rating_add(project=yungang_project, rater_kind="resident", score=4)
    mover = make_volunteer(pingcheng)
    services.volunteer_update(actor=hq, volunteer=mover, division=yungang_project.division)

    result = run_sweeps(timezone.now(), only=["volunteers-counters-recount"])["volunteers-counters-recount"]
    assert "无偏差" in result
    assert not Notification.objects.filter(kind="volunteer-counter-drift").exists()


def _kept(day) -> dict[int, dict[str, int]]:
    return {
        row["division_id"]: row
        for row in DivisionVolunteerDay.objects.filter(day=day).values("division_id", *stats.DAY_FIELDS)
    }


def test_the_nightly_recount_keeps_the_days_rate_figures_and_a_second_run_updates_them(
    hq, pingcheng, nanguan_team, nanguan_project
):
    now = timezone.now()
    today = timezone.localtime(now).date()
    run_sweeps(now, only=["volunteers-counters-recount"])
    kept = _kept(today)
    assert kept == {d: {"division_id": d, **{f: row[f] for f in stats.DAY_FIELDS}} for d, row in snapshot().items()}

    services.rating_add(project=nanguan_project, rater_kind="resident", score=5)
    run_sweeps(now, only=["volunteers-counters-recount"])
    again = _kept(today)
    assert again[pingcheng.pk]["ratings"] == kept[pingcheng.pk]["ratings"] + 1
    assert again[pingcheng.pk]["satisfied_ratings"] == kept[pingcheng.pk]["satisfied_ratings"] + 1
    assert DivisionVolunteerDay.objects.filter(day=today).count() == Division.objects.count()


def test_a_past_days_figures_are_counted_from_the_rows_own_dates(
    hq, pingcheng, nanguan_team, nanguan_project, make_volunteer
):
    today = timezone.localdate()
    week_ago = today - timedelta(days=7)
    before, before_today = stats.counted_on(week_ago)[pingcheng.pk], stats.counted_on(today)[pingcheng.pk]
    old_hand, newcomer = (make_volunteer(pingcheng, teams=[nanguan_team]) for _ in range(2))
    Volunteer.objects.filter(pk=old_hand.pk).update(registered_at=today - timedelta(days=30))
    Volunteer.objects.filter(pk=newcomer.pk).update(registered_at=today - timedelta(days=2))
    confirmed_then = services.record_confirm(actor=hq, record=stint(hq, old_hand, nanguan_project, days_ago=10))
    ServiceRecord.objects.filter(pk=confirmed_then.pk).update(decided_at=timezone.now() - timedelta(days=9))
    services.record_confirm(actor=hq, record=stint(hq, newcomer, nanguan_project, days_ago=1))  # decided today
    old_rating = services.rating_add(project=nanguan_project, rater_kind="resident", score=5)
    Rating.objects.filter(pk=old_rating.pk).update(created_at=timezone.now() - timedelta(days=20))
    services.rating_add(project=nanguan_project, rater_kind="resident", score=1)  # given today

    then = stats.counted_on(week_ago)[pingcheng.pk]
    assert {f: then[f] - before[f] for f in stats.DAY_FIELDS} == {
        "registered": 1,
        "with_service_hours": 1,
        "ratings": 1,
        "satisfied_ratings": 1,
    }
    now = stats.counted_on(today)[pingcheng.pk]
    assert {f: now[f] - before_today[f] for f in stats.DAY_FIELDS} == {
        "registered": 2,
        "with_service_hours": 2,
        "ratings": 2,
        "satisfied_ratings": 1,
    }


def test_a_corrupted_counter_is_reported_to_headquarters_logged_and_repaired(caplog, hq, pingcheng, yungang):
    truth = snapshot()
    DivisionVolunteerStats.objects.filter(division=pingcheng).update(registered=F("registered") + 7)
    DivisionVolunteerStats.objects.filter(division=yungang).update(stations=F("stations") + 2, teams=0)
    expected = {
        (pingcheng.pk, "registered", truth[pingcheng.pk]["registered"] + 7, truth[pingcheng.pk]["registered"]),
        (yungang.pk, "stations", truth[yungang.pk]["stations"] + 2, truth[yungang.pk]["stations"]),
    }
    if truth[yungang.pk]["teams"]:
        expected.add((yungang.pk, "teams", 0, truth[yungang.pk]["teams"]))

    with caplog.at_level(logging.WARNING, logger="volunteers.stats"):
        result = run_sweeps(timezone.now(), only=["volunteers-counters-recount"])["volunteers-counters-recount"]

    events = [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg["event"] == "volunteer-counter-drift"]
    logged = {(e["division_id"], e["field"], e["counter"], e["counted"]) for e in events}
    assert all(e["repaired"] for e in events)
    assert logged == expected
    assert f"已修正 {len(expected)} 项偏差" in result
    assert snapshot() == truth
    notices = Notification.objects.filter(kind="volunteer-counter-drift")
    assert set(notices.values_list("recipient_id", flat=True)) == set(headquarters_staff().values_list("pk", flat=True))
    assert pingcheng.name in notices.first().body
    # Repaired: the next night has nothing to say, and tells nobody again.
    again = run_sweeps(timezone.now(), only=["volunteers-counters-recount"])["volunteers-counters-recount"]
    assert "无偏差" in again
    assert notices.count() == headquarters_staff().count()


def test_the_recount_command_checks_without_repairing_then_repairs(capsys, pingcheng):
    right = DivisionVolunteerStats.objects.get(division=pingcheng).registered
    DivisionVolunteerStats.objects.filter(division=pingcheng).update(registered=right + 3)
    with pytest.raises(SystemExit) as exit_info:
        call_command("recount_counters", "--check")
    assert exit_info.value.code == 1
    assert f"计数 {right + 3}，实际 {right}" in capsys.readouterr().out
    assert DivisionVolunteerStats.objects.get(division=pingcheng).registered == right + 3
    call_command("recount_counters")
    assert "已修正 1 项偏差" in capsys.readouterr().out
    assert DivisionVolunteerStats.objects.get(division=pingcheng).registered == right


def test_the_recount_is_on_the_calendar_and_its_celery_task_repairs(pingcheng):
    from django_celery_beat.models import PeriodicTask

    from campaigns.clock import SWEEP_TASK, ensure_schedules
    from campaigns.tasks import run_sweep

    ensure_schedules()
    entry = PeriodicTask.objects.get(args=json.dumps(["volunteers-counters-recount"]))
    assert entry.task == SWEEP_TASK and entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour, str(entry.crontab.timezone)) == ("30", "2", "Asia/Shanghai")

    right = DivisionVolunteerStats.objects.get(division=pingcheng).with_service_hours
    DivisionVolunteerStats.objects.filter(division=pingcheng).update(with_service_hours=right + 1)
    result = run_sweep.apply(args=["volunteers-counters-recount"]).get()
    assert "已修正 1 项偏差" in result
    assert DivisionVolunteerStats.objects.get(division=pingcheng).with_service_hours == right
