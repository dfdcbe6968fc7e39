"""Star thresholds and the ten centres (reference), a living demo set, and the city at its real scale (``--scale``).

``seed_scale`` tops the tables up to the article's figures — whatever the demo already holds counts towards them —
so that the dashboard answers exactly 390600 / 196473 / 50.3 / 2738 / 1891 / 93.6 and 10/129/1807. It generates rows
in Python with a fixed random seed and loads them with PostgreSQL COPY (campaigns/bulkload.py). Safe to run twice: a
second run finds nothing missing.
"""

import contextlib
import random
import sys
import time as clock
from datetime import date, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from campaigns import bulkload
from campaigns.choices import Role
from campaigns.models import Division, Unit, User
from campaigns.seed import demo_password_hash
from volunteers import idcard, services, stats
from volunteers.choices import SERVICE_FIELDS, RecordStatus, SiteLevel, TeamLevel
from volunteers.models import (
    PracticeSite,
    Rating,
    ServiceProject,
    ServiceRecord,
    StarThreshold,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)

SCALES = {
    "full": {
        "institutes": 129,
        "stations": 1807,
        "teams": 2738,
        "projects": 1891,
        "volunteers": 390_600,
        "active": 196_473,
        "ratings": 50_000,
        "satisfied": 46_800,
    },
    # A hundredth of the city with the same arithmetic: 1965 / 3906 = 50.3 %, 468 / 500 = 93.6 %.
    "small": {
        "institutes": 13,
        "stations": 181,
        "teams": 27,
        "projects": 19,
        "volunteers": 3_906,
        "active": 1_965,
        "ratings": 500,
        "satisfied": 468,
    },
}

# Share of the city's volunteers per division (per cent), roughly by population.
DIVISION_WEIGHTS = {
    "平城区": 30,
    "云冈区": 15,
    "新荣区": 4,
    "云州区": 6,
    "阳高县": 9,
    "天镇县": 7,
    "广灵县": 6,
    "灵丘县": 8,
    "浑源县": 10,
    "左云县": 5,
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强晓东海燕春梅文斌红梅丽娟宇轩子涵浩然欣怡"
START_TIMES = [time(8, 0), time(8, 30), time(9, 0), time(14, 0), time(14, 30), time(15, 0), time(19, 0)]
NULL = "\\N"  # COPY text format
DURATIONS = [
    Decimal("1.0"),
    Decimal("1.5"),
    Decimal("2.0"),
    Decimal("2.0"),
    Decimal("2.5"),
    Decimal("3.0"),
    Decimal("4.0"),
]


def seed_reference(data: dict, log=print) -> None:
    for star, hours in data["volunteer_star_hours"].items():
        StarThreshold.objects.get_or_create(star=int(star), defaults={"min_hours": hours})
    for division in Division.objects.all():
        PracticeSite.objects.get_or_create(
            division=division,
            name=f"{division.name}新时代文明实践中心",
            defaults={"level": SiteLevel.CENTRE, "responsible_person": f"{division.name}委宣传部"},
        )
    stats.refresh_all()
    log(f"志愿服务：{PracticeSite.objects.filter(level=SiteLevel.CENTRE).count()} 个文明实践中心，星级标准 5 级。")


# --- demo ------------------------------------------------------------------------------------------------------------

DEMO_NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "赵敏", "黄强", "周丽", "吴洋", "徐杰", "孙娟"]


def _demo_id(division, index):
    return idcard.make_id_number(division.code, date(1970 + index % 35, 1 + index % 12, 1 + index % 28), 900 + index)


def seed_demo(data: dict, log=print) -> None:
    pingcheng = Division.objects.get(name="平城区")
    yungang = Division.objects.get(name="云冈区")
    # The team leader belongs to the community that runs the team, not to the district government: they see 平城区's
    # volunteer work without becoming a holder of the government's reports and cards.
    community = Unit.objects.filter(name="平城区南关街道南关社区").first() or Unit.objects.get(name="平城区人民政府")
    leader, created = User.objects.get_or_create(
        username="team-leader",
        defaults={
            "display_name": "赵队长",
            "role": Role.OFFICER,
            "unit": community,
            "title": "南关社区志愿服务队队长",
        },
    )
    if created:
        leader.password = demo_password_hash(settings.DEMO_PASSWORD)
        leader.save(update_fields=["password"])
    hq = User.objects.filter(role=Role.HEADQUARTERS).first()
    teams = {}
    for division, streets in ((pingcheng, ["南关街道", "北关街道"]), (yungang, ["新平旺街道"])):
        centre = PracticeSite.objects.get(division=division, level=SiteLevel.CENTRE)
        for street in streets:
            institute, _ = PracticeSite.objects.get_or_create(
                division=division,
                name=f"{street}新时代文明实践所",
                defaults={"level": SiteLevel.INSTITUTE, "parent": centre, "address": f"{division.name}{street}"},
            )
            community = street.replace("街道", "社区")
            station, _ = PracticeSite.objects.get_or_create(
                division=division,
                name=f"{community}新时代文明实践站",
                defaults={
                    "level": SiteLevel.STATION,
                    "parent": institute,
                    "address": f"{division.name}{street}{community}",
                    "responsible_person": "社区书记",
                },
            )
            team, _ = VolunteerTeam.objects.get_or_create(
                name=f"{community}志愿服务队",
                defaults={
                    "division": division,
                    "level": TeamLevel.COMMUNITY,
                    "practice_site": station,
                    "leader_name": "赵队长" if community == "南关社区" else "钱队长",
                    "leader_user": leader if community == "南关社区" else None,
                    "service_field": "邻里守望",
                },
            )
            teams[community] = team
    today = timezone.localdate()
    for team in teams.values():
        ServiceProject.objects.get_or_create(
            title=f"{team.name}·文明交通劝导",
            team=team,
            defaults={
                "division_id": team.division_id,
                "practice_site": team.practice_site,
                "start_date": today - timedelta(days=60),
                "end_date": today + timedelta(days=60),
                "place": "主要路口",
                "capacity": 30,
            },
        )
    volunteers = []
    for index, name in enumerate(DEMO_NAMES):
        team = list(teams.values())[index % len(teams)]
        number = _demo_id(team.division, index)
        volunteer = Volunteer.objects.filter(id_number=number).first()
        if volunteer is None:
            volunteer = services.volunteer_register(
                actor=hq,
                name=name,
                id_number=number,
                phone=f"1390352{index:04d}",
                division=team.division,
                registered_at=today - timedelta(days=400 - index * 20),
                teams=[team],
            )
        volunteers.append(volunteer)
    if not ServiceRecord.objects.exists():
        for index, volunteer in enumerate(volunteers):
            project = ServiceProject.objects.filter(team__memberships__volunteer=volunteer).first()
            for day in range(3 if index < 8 else 1):
                record = services.record_create(
                    actor=hq,
                    volunteer=volunteer,
                    project=project,
                    date=today - timedelta(days=5 + day * 7),
                    start_time=time(9, 0),
                    end_time=time(11, 30),
                )
                if index < 6:
                    services.record_confirm(actor=hq, record=record)
        for project in ServiceProject.objects.all():
            for score in (5, 5, 4, 5, 3):
                services.rating_add(project=project, rater_kind="resident", score=score)
    # The demo's sites, teams and projects are written with get_or_create (re-runnable), not through the services:
    # count once at the end, as after the bulk seed.
    stats.refresh_all()
    log(
        f"志愿服务演示：{VolunteerTeam.objects.count()} 支服务队，{Volunteer.objects.count()} 名志愿者，"
        f"{ServiceRecord.objects.count()} 条服务记录；队长账号 team-leader。"
    )


# --- the city at scale -----------------------------------------------------------------------------------------------


class Progress:
    """A text progress bar: redrawn in place on a terminal, a line per step otherwise."""

    def __init__(self, log, label, total):
        self.log, self.label, self.total, self.started = log, label, max(total, 1), clock.monotonic()
        self.tty = sys.stdout.isatty()

    def update(self, done):
        share = min(done / self.total, 1.0)
        bar = "█" * int(share * 30) + "░" * (30 - int(share * 30))
        text = f"{self.label} [{bar}] {share * 100:5.1f}% {done}/{self.total} {clock.monotonic() - self.started:5.1f}s"
        if self.tty:
            sys.stdout.write("\r" + text + ("\n" if done >= self.total else ""))
            sys.stdout.flush()
        else:
            self.log(text)


def _weighted_divisions(divisions):
    by_name = {d.name: d for d in divisions}
    pool = []
    for name, weight in DIVISION_WEIGHTS.items():
        pool += [by_name[name]] * weight
    return pool


def _spread(total, divisions, rng):
    """Split ``total`` over divisions: one each first (where total allows), the rest by weight."""
    shares = [1 if total >= len(divisions) else 0 for _ in divisions]
    rest = total - sum(shares)
    weights = [DIVISION_WEIGHTS[d.name] for d in divisions]
    for i, w in enumerate(weights):
        shares[i] += rest * w // sum(weights)
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return dict(zip(divisions, shares, strict=True))


def seed_scale(data: dict, scale: str, log=print) -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError("--scale 需要 PostgreSQL（批量 COPY 导入）。")
    target = SCALES[scale]
    started = clock.monotonic()
    rng = random.Random(20220731)
    with transaction.atomic():
        _scale_sites(target, rng, log)
        _scale_teams_projects(target, rng, log)
        _scale_volunteers_and_records(target, rng, log)
        _scale_ratings(target, rng, log)
        stats.refresh_all()
    with connection.cursor() as cursor:
        for model in (Volunteer, ServiceRecord, TeamMembership, Rating):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    log(f"志愿服务规模数据（{scale}）完成，用时 {clock.monotonic() - started:.1f} 秒。")


def _scale_sites(target, rng, log):
    divisions = list(Division.objects.all())
    centres = {s.division_id: s for s in PracticeSite.objects.filter(level=SiteLevel.CENTRE)}
    missing = target["institutes"] - PracticeSite.objects.filter(level=SiteLevel.INSTITUTE).count()
    if missing > 0:
        start = PracticeSite.objects.count()
        new = []
        for division, n in _spread(missing, divisions, rng).items():
            for k in range(n):
                new.append(
                    PracticeSite(
                        name=f"{division.name}第{start + len(new) + 1:04d}号新时代文明实践所",
                        level=SiteLevel.INSTITUTE,
                        division=division,
                        parent=centres[division.pk],
                        address=f"{division.name}第{k + 1}街道（乡镇）",
                        responsible_person=rng.choice(SURNAMES) + "所长",
                    )
                )
        PracticeSite.objects.bulk_create(new, batch_size=1000)
    institutes = {}
    for site in PracticeSite.objects.filter(level=SiteLevel.INSTITUTE):
        institutes.setdefault(site.division_id, []).append(site)
    missing = target["stations"] - PracticeSite.objects.filter(level=SiteLevel.STATION).count()
    if missing > 0:
        start = PracticeSite.objects.count()
        new = []
        for division, n in _spread(missing, divisions, rng).items():
            for _k in range(n):
                parent = rng.choice(institutes[division.pk])
                new.append(
                    PracticeSite(
                        name=f"{division.name}第{start + len(new) + 1:05d}号新时代文明实践站",
                        level=SiteLevel.STATION,
                        division=division,
                        parent=parent,
                        address=f"{parent.address}社区（村）",
                        responsible_person=rng.choice(SURNAMES) + "站长",
                    )
                )
        PracticeSite.objects.bulk_create(new, batch_size=1000)
    log(f"实践阵地：{PracticeSite.objects.count()} 个。")


def _scale_teams_projects(target, rng, log):
    divisions = list(Division.objects.all())
    stations = {}
    for site in PracticeSite.objects.filter(level=SiteLevel.STATION):
        stations.setdefault(site.division_id, []).append(site)
    missing = target["teams"] - VolunteerTeam.objects.count()
    if missing > 0:
        start = VolunteerTeam.objects.count()
        new = []
        for division, n in _spread(missing, divisions, rng).items():
            for _k in range(n):
                field = rng.choice(SERVICE_FIELDS)
                new.append(
                    VolunteerTeam(
                        name=f"{division.name}{field}志愿服务队{start + len(new) + 1:04d}",
                        level=rng.choice([TeamLevel.COMMUNITY] * 6 + [TeamLevel.STREET] * 3 + [TeamLevel.DIVISION]),
                        division=division,
                        practice_site=rng.choice(stations[division.pk]),
                        leader_name=rng.choice(SURNAMES) + "队长",
                        service_field=field,
                    )
                )
        VolunteerTeam.objects.bulk_create(new, batch_size=1000)
    teams = {}
    for team in VolunteerTeam.objects.select_related("practice_site"):
        teams.setdefault(team.division_id, []).append(team)
    missing = target["projects"] - ServiceProject.objects.count()
    if missing > 0:
        today = timezone.localdate()
        new = []
        for division, n in _spread(missing, divisions, rng).items():
            for _k in range(n):
                team = rng.choice(teams[division.pk])
                start = today - timedelta(days=rng.randint(60, 900))
                new.append(
                    ServiceProject(
                        title=f"{team.service_field or '志愿服务'}项目·{team.name[-4:]}-{len(new) + 1}",
                        team=team,
                        division=division,
                        practice_site_id=team.practice_site_id,
                        start_date=start,
                        end_date=min(start + timedelta(days=rng.randint(120, 900)), today + timedelta(days=180)),
                        place=team.practice_site.address if team.practice_site else "",
                        capacity=rng.choice([10, 20, 30, 50, 100]),
                    )
                )
        ServiceProject.objects.bulk_create(new, batch_size=1000)
    log(f"服务队：{VolunteerTeam.objects.count()} 支；服务项目：{ServiceProject.objects.count()} 个。")


def _scale_volunteers_and_records(target, rng, log):
    existing = Volunteer.objects.count()
    existing_active = Volunteer.objects.filter(confirmed_hours__gt=0).count()
    new_total = target["volunteers"] - existing
    new_active = target["active"] - existing_active
    if new_total <= 0:
        log(f"志愿者：已有 {existing} 名，无需补充。")
        return
    if not 0 <= new_active <= new_total:
        raise RuntimeError("现有数据与目标规模不一致，无法补齐。")
    divisions = list(Division.objects.all())
    pool = _weighted_divisions(divisions)
    thresholds = services.star_thresholds()
    star_steps = sorted(thresholds.items(), key=lambda kv: kv[1], reverse=True)
    projects = {}
    for p in ServiceProject.objects.all().values("id", "division_id", "start_date", "end_date", "team_id"):
        projects.setdefault(p["division_id"], []).append(p)
    teams = {}
    for t in VolunteerTeam.objects.values("id", "division_id"):
        teams.setdefault(t["division_id"], []).append(t["id"])
    today = timezone.localdate()
    now = timezone.now().isoformat()
    first_id = bulkload.next_id(Volunteer._meta.db_table)
    record_id = bulkload.next_id(ServiceRecord._meta.db_table)
    membership_id = bulkload.next_id(TeamMembership._meta.db_table)
    active_flags = [True] * new_active + [False] * (new_total - new_active)
    rng.shuffle(active_flags)
    born_base = date(1955, 1, 1)
    registered_base = date(2015, 1, 1)
    registered_span = (today - registered_base).days

    volunteer_lines, membership_lines = [], []
    progress = Progress(log, "生成志愿者与服务记录", new_total)

    # What the hot loop formats, made once or cached as it comes: the statuses as plain strings; every (start time,
    # length) pair's three columns and tenths of an hour (picking a pair is picking a start and a length); each
    # division's projects as (id, first day's ordinal, days to pick from); the ID number's weighted digit sums of the
    # area code, the birth date and the serial, so that its check character is one lookup (idcard.check_char's rule);
    # date texts by ordinal. Random picks are ``seq[int(random() * len(seq))]``, a third of ``rng.choice``'s cost.
    confirmed, pending, rejected = str(RecordStatus.CONFIRMED), str(RecordStatus.PENDING), str(RecordStatus.REJECTED)
    shifts = []
    for begin in START_TIMES:
        for length in DURATIONS:
            end_minutes = begin.hour * 60 + begin.minute + int(length * 60)
            shifts.append((f"{begin}\t{time(end_minutes // 60, end_minutes % 60)}\t{length}", int(length * 10)))
    spans = {
        division_id: [
            (p["id"], p["start_date"].toordinal(), max((min(p["end_date"], today) - p["start_date"]).days, 0) + 1)
            for p in division_projects
        ]
        for division_id, division_projects in projects.items()
    }
    area_sums = {d.pk: idcard.weighted_sum(d.code[:6], 0) for d in divisions}
    star_tenths = [(star, int(hours * 10)) for star, hours in star_steps]
    births, serials, day_text = {}, {}, {}

    def text_of(ordinal):
        text = day_text.get(ordinal)
        if text is None:
            text = day_text[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def service_record_chunks():
        """The records' COPY text, volunteer by volunteer; the volunteers and memberships are kept for their COPY."""
        nonlocal record_id
        rnd = rng.random
        chunk = []
        pool_size, surnames, given = len(pool), len(SURNAMES), len(GIVEN)
        shift_count = len(shifts)
        registered_first = registered_base.toordinal()
        for n in range(new_total):
            pk = first_id + n
            division = pool[int(rnd() * pool_size)]
            division_id = division.pk
            offset = (pk * 7919) % 19000
            born = births.get(offset)
            if born is None:
                day = born_base + timedelta(days=offset)
                digits = f"{day:%Y%m%d}"
                born = births[offset] = (day.isoformat(), digits, idcard.weighted_sum(digits, 6))
            serial = serials.get(100 + pk // 19000)
            if serial is None:
                digits = f"{(100 + pk // 19000) % 1000:03d}"
                serial = serials[100 + pk // 19000] = (
                    digits,
                    idcard.weighted_sum(digits, 14),
                    idcard.gender_of("0" * 14 + digits),
                )
            number = (
                f"{division.code[:6]}{born[1]}{serial[0]}"
                f"{idcard.CHECK_CHARS[(area_sums[division_id] + born[2] + serial[1]) % 11]}"
            )
            name = SURNAMES[int(rnd() * surnames)] + GIVEN[int(rnd() * given)]
            if rnd() < 0.6:
                name += GIVEN[int(rnd() * given)]
            registered = text_of(registered_first + int(registered_span * (rnd() ** 0.5)))
            tenths = 0
            last = None
            if active_flags[n]:
                division_projects = spans[division_id]
                projects_count = len(division_projects)
                r = rnd()
                count = 1 + int(rnd() * 6) if r < 0.6 else 7 + int(rnd() * 14) if r < 0.9 else 21 + int(rnd() * 40)
                used = set()
                for k in range(count):
                    project_id, first, span = division_projects[int(rnd() * projects_count)]
                    day = first + int(rnd() * span)  # day ordinals: no date objects in the hot loop
                    if day in used:
                        continue
                    used.add(day)
                    shift, shift_tenths = shifts[int(rnd() * shift_count)]
                    status = confirmed
                    if k > 0:
                        r = rnd()
                        status = pending if r < 0.04 else rejected if r < 0.06 else confirmed
                    if status is confirmed:
                        tenths += shift_tenths
                        last = day if last is None or day > last else last
                    chunk.append(
                        f"{record_id}\t{pk}\t{project_id}\t{division_id}\t{text_of(day)}\t{shift}\t"
                        f"{status}\t{NULL if status is pending else now}\t\t{now}\n"
                    )
                    record_id += 1
            elif rnd() < 0.1:
                p = projects[division_id][int(rnd() * len(projects[division_id]))]
                day = max(p["start_date"], min(p["end_date"], today) - timedelta(days=int(rnd() * 21)))
                status = pending if rnd() < 0.7 else rejected
                decided = NULL if status is pending else now
                chunk.append(
                    f"{record_id}\t{pk}\t{p['id']}\t{division_id}\t{day}\t09:00:00\t11:00:00\t2.0\t{status}\t{decided}\t\t{now}\n"
                )
                record_id += 1
            star = next((s for s, m in star_tenths if tenths >= m), 0)
            volunteer_lines.append(
                f"{pk}\tDT{division.code}{pk:08d}\t{name}\t{serial[2]}\t{born[0]}\t{number}\t"
                f"13{(pk * 104729) % 10**9:09d}\t{division_id}\t{registered}\t{tenths // 10}.{tenths % 10}\t{star}\t"
                f"{NULL if last is None else text_of(last)}"
            )
            division_teams = teams[division_id]
            membership_lines.append(
                f"{membership_id + n}\t{division_teams[int(rnd() * len(division_teams))]}\t{pk}\t{registered}"
            )
            if (n + 1) % 1000 == 0:
                yield "".join(chunk)
                chunk.clear()
            if (n + 1) % 50_000 == 0:
                progress.update(n + 1)
        yield "".join(chunk)
        progress.update(new_total)

    record_first = record_id
    record_columns = [
        "id",
        "volunteer_id",
        "project_id",
        "division_id",
        "date",
        "start_time",
        "end_time",
        "hours",
        "status",
        "decided_at",
        "reject_reason",
        "created_at",
    ]
    volunteer_columns = [
        "id",
        "volunteer_no",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "division_id",
        "registered_at",
        "confirmed_hours",
        "star",
        "last_service_date",
    ]
    with contextlib.ExitStack() as suspended:
        # Every index and constraint of the three tables is rebuilt once, after all three are loaded (the records'
        # foreign keys to the volunteers are checked then). The records stream into COPY while they are made:
        # PostgreSQL parses one chunk while Python makes the next, on the machine's other core.
        for model in (Volunteer, TeamMembership, ServiceRecord):
            suspended.enter_context(bulkload.indexes_suspended(model._meta.db_table))
        bulkload.copy_rows(ServiceRecord._meta.db_table, record_columns, bulkload.ChunkStream(service_record_chunks()))
        bulkload.copy_rows(Volunteer._meta.db_table, volunteer_columns, volunteer_lines)
        bulkload.copy_rows(
            TeamMembership._meta.db_table, ["id", "team_id", "volunteer_id", "joined_at"], membership_lines
        )
        log(f"志愿者：写入 {new_total} 名（其中 {new_active} 名有服务时长）。")
    records = record_id - record_first
    log(f"服务记录：写入 {records} 条。")
    for model in (Volunteer, ServiceRecord, TeamMembership):
        bulkload.set_sequence(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE volunteers_volunteerteam t SET members_count = m.n
            FROM (SELECT team_id, COUNT(*) AS n FROM volunteers_teammembership GROUP BY team_id) m
            WHERE m.team_id = t.id
            """
        )


def _scale_ratings(target, rng, log):
    total = Rating.objects.count()
    satisfied = Rating.objects.filter(satisfied=True).count()
    add, add_satisfied = target["ratings"] - total, target["satisfied"] - satisfied
    if add <= 0:
        return
    if not 0 <= add_satisfied <= add:
        raise RuntimeError("现有评价与目标满意率不一致，无法补齐。")
    projects = list(ServiceProject.objects.values_list("id", "division_id"))
    flags = [True] * add_satisfied + [False] * (add - add_satisfied)
    rng.shuffle(flags)
    now = timezone.now().isoformat()
    first = bulkload.next_id(Rating._meta.db_table)
    lines = []
    for n, ok in enumerate(flags):
        project_id, division_id = rng.choice(projects)
        score = rng.choice([4, 5, 5]) if ok else rng.choice([1, 2, 3, 3])
        kind = "resident" if rng.random() < 0.7 else "participant"
        # five-point ratings: no public-link answer, comment or device (blank, as the model's defaults)
        lines.append(f"{first + n}\t{project_id}\t{division_id}\t{kind}\t{score}\t{'t' if ok else 'f'}\t{now}\t\t\t")
    bulkload.copy_rows(
        Rating._meta.db_table,
        [
            "id",
            "project_id",
            "division_id",
            "rater_kind",
            "score",
            "satisfied",
            "created_at",
            "answer",
            "comment",
            "device",
        ],
        lines,
    )
    bulkload.set_sequence(Rating._meta.db_table)
    log(f"满意度评价：写入 {add} 条。")
