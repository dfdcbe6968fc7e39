"""The demo's lived-in volunteer network (``seed_datong --demo``; registry key ``seed_history``).

In every division: two practice institutes (所) with three stations (站) each, a team and one or two projects per
station, and about three thousand volunteers over the city (weighted as ``seed.DIVISION_WEIGHTS``), each in a team of
their division. About half of them served in the past year: service records registered by the division's officer and
confirmed (most), rejected (a few) or still pending (the latest), with their hours, stars and last service date
following the confirmed ones; residents' ratings per project over the past quarter. The day a week ago is kept as the
nightly recount would have kept it (``stats.keep_day``), so the cockpit shows the change since last week. One station per division has had no service for more
than a month, so the dormant-station list has something to show.

Written with ``bulk_create``; the records' history is :class:`campaigns.workflow.BulkHistory` (each move checked
against ``SERVICE_RECORD_WORKFLOW`` and its organiser rule). Times are offsets from today. Deterministic
(``random.Random(DEMO_SEED)``); safe to run twice (the demo's sites are found by name).
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from campaigns.models import Division, User
from campaigns.workflow import BulkHistory
from volunteers import idcard, services, stats
from volunteers.choices import SERVICE_FIELDS, RecordStatus, SiteLevel, TeamLevel
from volunteers.models import (
    PracticeSite,
    Rating,
    ServiceProject,
    ServiceRecord,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)
from volunteers.seed import DIVISION_WEIGHTS, DURATIONS, GIVEN, START_TIMES, SURNAMES
from volunteers.workflows import SERVICE_RECORD_WORKFLOW

DEMO_SEED = 20220520
VOLUNTEERS = 3000
ACTIVE_SHARE = 0.55
REGULARS = 0.06  # of the active volunteers
DAYS = 365
INSTITUTES = ("第一", "第二")
STATIONS = ("东", "西", "中")
DORMANT_AFTER = 45  # the division's last station saw its last service this many days ago
ID_SERIAL = 500  # serials 500+: clear of the small demo (900+) and of --scale (100+)
RATING_WEEKS = 13  # the residents' ratings span the past quarter
REJECT_REASONS = ["服务时长与签到记录不符。", "未在项目服务时间内。", "重复登记。"]


def _sites_teams_projects(rng, today):
    """Two institutes and six stations per division, each station with a team and its projects (created once)."""
    centres = {s.division_id: s for s in PracticeSite.objects.filter(level=SiteLevel.CENTRE)}
    divisions = list(Division.objects.order_by("code"))
    sites = []
    for division in divisions:
        for name in INSTITUTES:
            sites.append(
                PracticeSite(
                    name=f"{division.name}{name}新时代文明实践所",
                    level=SiteLevel.INSTITUTE,
                    division=division,
                    parent=centres[division.pk],
                    address=f"{division.name}{name}街道（乡镇）",
                    responsible_person=rng.choice(SURNAMES) + "所长",
                )
            )
    PracticeSite.objects.bulk_create(sites)
    stations = []
    for institute in sites:
        for name in STATIONS:
            stations.append(
                PracticeSite(
                    name=f"{institute.name.removesuffix('新时代文明实践所')}{name}社区新时代文明实践站",
                    level=SiteLevel.STATION,
                    division=institute.division,
                    parent=institute,
                    address=f"{institute.address}{name}社区",
                    responsible_person=rng.choice(SURNAMES) + "站长",
                )
            )
    PracticeSite.objects.bulk_create(stations)
    teams = []
    for station in stations:
        field = rng.choice(SERVICE_FIELDS)
        teams.append(
            VolunteerTeam(
                name=f"{station.name.removesuffix('新时代文明实践站')}{field}志愿服务队",
                level=TeamLevel.COMMUNITY,
                division=station.division,
                practice_site=station,
                leader_name=rng.choice(SURNAMES) + "队长",
                service_field=field,
            )
        )
    VolunteerTeam.objects.bulk_create(teams)
    projects = []
    for team in teams:
        for k in range(1 + (rng.random() < 0.5)):
            projects.append(
                ServiceProject(
                    title=f"{team.name.removesuffix('志愿服务队')}·{team.service_field}{'常态化服务' if k else '主题活动'}",
                    team=team,
                    division=team.division,
                    practice_site=team.practice_site,
                    start_date=today - timedelta(days=2 * DAYS + rng.randint(0, 60)),
                    end_date=today + timedelta(days=rng.randint(30, 240)),
                    place=team.practice_site.address,
                    capacity=rng.choice([20, 30, 50]),
                )
            )
    ServiceProject.objects.bulk_create(projects)
    return divisions, teams, projects


def seed_history(data: dict, log=print) -> None:
    if PracticeSite.objects.filter(name__endswith=f"{INSTITUTES[0]}新时代文明实践所").exists():
        return
    officers = {u.unit.division_id: u for u in User.objects.filter(role="officer", unit__kind="government")}
    if not officers:
        return
    rng = random.Random(DEMO_SEED)
    today = timezone.localdate()
    divisions, teams, projects = _sites_teams_projects(rng, today)
    teams_of, projects_of = defaultdict(list), defaultdict(list)
    for team in teams:
        teams_of[team.division_id].append(team)
    for project in projects:
        projects_of[project.division_id].append(project)
    # the last station of each division goes quiet: its projects' latest service is DORMANT_AFTER days ago
    quiet = {teams_of[d.pk][-1].practice_site_id for d in divisions}

    volunteers, memberships = _volunteers(rng, divisions, teams_of, today)
    history = BulkHistory(SERVICE_RECORD_WORKFLOW)
    records = []
    thresholds = services.star_thresholds()
    for volunteer in volunteers:
        if rng.random() >= ACTIVE_SHARE:
            continue
        officer = officers.get(volunteer.division_id)
        used = set()
        regular = rng.random() < REGULARS  # serves most weeks: their hours earn stars
        count = rng.randint(30, 70) if regular else rng.choice([1, 1, 2, 3, 4, 6, 9, 14])
        for _k in range(count):
            project = rng.choice(projects_of[volunteer.division_id])
            latest = DORMANT_AFTER if project.practice_site_id in quiet else 1
            span = max(latest, min(DAYS * (2 if regular else 1), (today - volunteer.registered_at).days))
            day = today - timedelta(days=rng.randint(latest, span))
            if day in used or day < project.start_date or day < volunteer.registered_at:
                continue
            used.add(day)
            records.append(_record(volunteer, project, day, officer, history, rng, today, long=regular))
        confirmed = [r for r in records[-len(used) :] if r.status == RecordStatus.CONFIRMED] if used else []
        volunteer.confirmed_hours = sum((r.hours for r in confirmed), Decimal("0"))
        volunteer.star = services.star_for(volunteer.confirmed_hours, thresholds)
        volunteer.last_service_date = max((r.date for r in confirmed), default=None)
    Volunteer.objects.bulk_create(volunteers, batch_size=1000)
    with connection.cursor() as cursor:  # the keys were given: the table's sequence follows them (PostgreSQL)
        for statement in connection.ops.sequence_reset_sql(no_style(), [Volunteer]):
            cursor.execute(statement)
    TeamMembership.objects.bulk_create(memberships, batch_size=2000)
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    moves = history.save()
    for team in teams:
        team.members_count = sum(1 for m in memberships if m.team is team)
    VolunteerTeam.objects.bulk_update(teams, ["members_count"], batch_size=500)
    ratings = []
    for project in projects:
        for _n in range(rng.randint(4, 14)):
            score = (
                rng.choice([5, 5, 5, 4, 4, 4, 4, 5, 5, 5, 5, 5, 4, 3]) if rng.random() > 0.02 else rng.choice([1, 2])
            )
            ratings.append(
                Rating(
                    project=project,
                    division_id=project.division_id,
                    rater_kind="resident",
                    score=score,
                    satisfied=score >= 4,
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    _spread_over_weeks(ratings, today)
    stats.refresh_all()
    # Last week's figures as the nightly recount would have kept them, counted from the rows' own dates.
    week_ago = today - timedelta(days=7)
    stats.keep_day(week_ago, stats.counted_on(week_ago))
    stats.keep_day(today)
    log(
        f"志愿服务历史：{len(volunteers)} 名志愿者，{len(records)} 条服务记录（流转记录 {moves} 条），"
        f"{len(teams)} 支服务队，{len(projects)} 个项目，{len(ratings)} 条评价。"
    )


def _spread_over_weeks(ratings, today):
    """Date the ratings over the past RATING_WEEKS weeks, the newest week first (``created_at`` is set on insert)."""
    for week in range(RATING_WEEKS):
        ids = [r.pk for r in ratings[week::RATING_WEEKS]]
        when = timezone.make_aware(datetime.combine(today - timedelta(days=7 * week + 1), time(10, 0)))
        Rating.objects.filter(pk__in=ids).update(created_at=when)


def _volunteers(rng, divisions, teams_of, today):
    """The volunteers, not yet written (their keys given and numbered by the service's rule), and their team
    memberships."""
    by_name = {d.name: d for d in divisions}
    pool = [by_name[name] for name, weight in DIVISION_WEIGHTS.items() for _ in range(weight) if name in by_name]
    volunteers = []
    for n in range(VOLUNTEERS):
        division = rng.choice(pool)
        born = date(1958, 1, 1) + timedelta(days=rng.randint(0, 365 * 45))
        number = idcard.make_id_number(division.code, born, ID_SERIAL + n % 400)
        volunteers.append(
            Volunteer(
                volunteer_no=f"DEMO{n:08d}",  # replaced by volunteer_number(division, pk) below
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
                gender=idcard.gender_of(number),
                birth_date=born,
                id_number=number,
                phone=f"13{rng.randint(0, 10**9 - 1):09d}",
                division=division,
                registered_at=today - timedelta(days=int(900 * rng.random() ** 1.5) + 5),
            )
        )
    volunteers = _unique_ids(volunteers)
    # Keys given here, so that each is numbered by the service's rule before it is written once, with its hours.
    first = Volunteer.objects.aggregate(last=Max("pk"))["last"] or 0
    memberships = []
    for pk, volunteer in enumerate(volunteers, start=first + 1):
        volunteer.pk = pk
        volunteer.volunteer_no = services.volunteer_number(volunteer.division, pk)
        team = rng.choice(teams_of[volunteer.division_id])
        memberships.append(TeamMembership(team=team, volunteer=volunteer, joined_at=volunteer.registered_at))
    return volunteers, memberships


def _unique_ids(volunteers):
    taken = set(Volunteer.objects.values_list("id_number", flat=True))
    kept = []
    for volunteer in volunteers:
        if volunteer.id_number not in taken:
            taken.add(volunteer.id_number)
            kept.append(volunteer)
    return kept


def _record(volunteer, project, day, officer, history, rng, today, long=False) -> ServiceRecord:
    begin = rng.choice(START_TIMES[:3] if long else START_TIMES)
    length = rng.choice(DURATIONS[-3:] if long else DURATIONS)
    minutes = begin.hour * 60 + begin.minute + int(length * 60)
    record = ServiceRecord(
        volunteer=volunteer,
        project=project,
        division_id=project.division_id,
        date=day,
        start_time=begin,
        end_time=time(minutes // 60, minutes % 60),
        hours=length,
    )
    registered = timezone.make_aware(datetime.combine(day, time(21, 0)))
    history.create(record, "register", actor=officer, at=registered)
    decided = registered + timedelta(days=rng.randint(1, 4))
    if decided.date() > today or (day > today - timedelta(days=10) and rng.random() < 0.5):
        return record  # still pending
    record.decided_by, record.decided_at = officer, decided
    if rng.random() < 0.05:
        record.reject_reason = rng.choice(REJECT_REASONS)
        history.move(record, "reject", actor=officer, at=decided, note=record.reject_reason)
    else:
        history.move(record, "confirm", actor=officer, at=decided)
    return record
