"""A month of the campaign built by hand (March 2021) on the reference city alone, so every figure can be counted here.

What the month holds, and so what its briefing must say:

- reports due in March: 平城区 three (two on time, one late), 云冈区 two (one on time, one missing) — one more of each
  due outside March does not count: due 5, on time 3, late 1, missing 1, punctuality 60.0 %;
- supervision cards: issued in March B, C, D, E, F (5); closed in March A (on time) and B (late) — 2, 1 on time;
  overdue at the month's end C (open) and D (closed only on 3 April) — 2; F is withdrawn and E not yet due;
- problems: found in March P1, P2 (平城区) and P4 (云冈区) — 3; closed in March P1 and P3 — 2; overdue at the month's end
  P2 — 1;
- inspections in March: 80.0 and 90.0 in 平城区, 70.0 in 云冈区 (one in April does not count): 3, mean 80.0 %;
- volunteers registered by 31 March: V1, V2 (平城区), V3 (云冈区) — 3, of whom V2 and V3 new in March; confirmed service
  in March: V1 2.5 h + 1.5 h, V3 2.0 h (V2's record is pending, another is in April) — 2 people, 6.0 hours.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaigns.choices import Role
from campaigns.management.commands.seed_datong import seed_city
from campaigns.models import Division, Unit, User
from campaigns.periods import month
from inspections.choices import Aspect, ProblemStatus
from inspections.models import Inspection, Point, PointCategory, Problem, Standard
from supervision.choices import CardSource, CardStatus
from supervision.models import SupervisionCard
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report
from volunteers import idcard
from volunteers.choices import RecordStatus
from volunteers.models import ServiceProject, ServiceRecord, Volunteer, VolunteerTeam

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH_2021 = month(date(2021, 3, 1))


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def reference_city(db, reference_data):
    """Divisions, units, task forces and checklists — no demo records, so nothing but ours falls in March 2021."""
    seed_city(reference_data, demo=False, log=lambda message: None)
    pingcheng = Division.objects.get(name="平城区")
    yungang = Division.objects.get(name="云冈区")
    pc_gov = Unit.objects.get(name="平城区人民政府")
    yg_gov = Unit.objects.get(name="云冈区人民政府")
    hq_unit = Unit.objects.filter(division__isnull=True).first()

    def person(username, role, unit):
        return User.objects.create_user(username, display_name=username, role=role, unit=unit, password="x")

    return {
        "pingcheng": pingcheng,
        "yungang": yungang,
        "pc_gov": pc_gov,
        "yg_gov": yg_gov,
        "hq": person("bhq", Role.HEADQUARTERS, hq_unit),
        "officer": person("bofficer", Role.OFFICER, pc_gov),
        "supervisor": person("bsupervisor", Role.SUPERVISOR, hq_unit),
        "leader": person("bleader", Role.LEADER, hq_unit),
    }


def _report(unit, kind, period, due, state, late=False):
    submitted = state != ReportStatus.EXPECTED
    return Report.objects.create(
        unit=unit,
        kind=kind,
        period=period,
        due_at=due,
        status=state,
        submitted_at=due if submitted else None,
        is_late=late,
    )


def _card(n, hq, unit, *, issued, deadline, status=CardStatus.ISSUED, closed=None):
    return SupervisionCard.objects.create(
        year=2021,
        sequence=n,
        number=f"督办〔2021〕第{n}号",
        title=f"测试督办事项{n}",
        description="按要求整改",
        source=CardSource.INSPECTION,
        issued_by=hq,
        issued_at=at(issued),
        assignee_unit=unit,
        division=unit.division,
        deadline=deadline,
        original_deadline=deadline,
        status=status,
        closed_at=at(closed) if closed else None,
    )


@pytest.fixture
def march(reference_city):
    c = reference_city
    hq, pc_gov, yg_gov, pingcheng, yungang = c["hq"], c["pc_gov"], c["yg_gov"], c["pingcheng"], c["yungang"]
    weekly, monthly = ReportKind.WEEKLY, ReportKind.MONTHLY
    S, A, E = ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.EXPECTED
    _report(pc_gov, weekly, "2021-W09", at(date(2021, 3, 1), 12), S)
    _report(pc_gov, weekly, "2021-W10", at(date(2021, 3, 8), 12), S, late=True)
    _report(pc_gov, monthly, "2021-02", at(date(2021, 3, 5), 18), A)
    _report(pc_gov, weekly, "2021-W08", at(date(2021, 2, 22), 12), E)  # due in February
    _report(yg_gov, weekly, "2021-W09", at(date(2021, 3, 1), 12), E)
    _report(yg_gov, weekly, "2021-W10", at(date(2021, 3, 8), 12), S)
    _report(yg_gov, weekly, "2021-W14", at(date(2021, 4, 5), 12), S)  # due in April

    closed = CardStatus.CLOSED
    _card(1, hq, pc_gov, issued=date(2021, 2, 20), deadline=date(2021, 3, 10), status=closed, closed=date(2021, 3, 8))
    _card(2, hq, pc_gov, issued=date(2021, 3, 2), deadline=date(2021, 3, 15), status=closed, closed=date(2021, 3, 20))
    _card(3, hq, yg_gov, issued=date(2021, 3, 5), deadline=date(2021, 3, 20), status=CardStatus.ACKNOWLEDGED)
    _card(4, hq, yg_gov, issued=date(2021, 3, 10), deadline=date(2021, 3, 25), status=closed, closed=date(2021, 4, 3))
    _card(5, hq, pc_gov, issued=date(2021, 3, 12), deadline=date(2021, 4, 15))
    _card(6, hq, pc_gov, issued=date(2021, 3, 12), deadline=date(2021, 3, 14), status=CardStatus.WITHDRAWN)

    category = PointCategory.objects.create(name="简报测试类别", position=99)
    standards = [
        Standard.objects.create(
            category=category, aspect=Aspect.ORDER, code=f"B-{n}", text=f"标准{n}", weight=Decimal("1"), position=n
        )
        for n in range(1, 5)
    ]
    pc_point = Point.objects.create(
        code="B-PC", name="简报测试点位一", category=category, division=pingcheng, responsible_unit=pc_gov, address="—"
    )
    yg_point = Point.objects.create(
        code="B-YG", name="简报测试点位二", category=category, division=yungang, responsible_unit=yg_gov, address="—"
    )

    def problem(point, standard, found, *, deadline=None, closed=None):
        return Problem.objects.create(
            point=point,
            standard=standard,
            division=point.division,
            responsible_unit=point.responsible_unit,
            description="不达标",
            status=ProblemStatus.CLOSED if closed else ProblemStatus.DISPATCHED,
            found_by=hq,
            found_at=at(found),
            last_found_at=at(found),
            deadline=deadline,
            closed_at=at(closed) if closed else None,
        )

    problem(pc_point, standards[0], date(2021, 3, 3), deadline=date(2021, 3, 12), closed=date(2021, 3, 10))
    problem(pc_point, standards[1], date(2021, 3, 5), deadline=date(2021, 3, 20))
    problem(yg_point, standards[2], date(2021, 2, 10), deadline=date(2021, 3, 5), closed=date(2021, 3, 2))
    problem(yg_point, standards[3], date(2021, 3, 28), deadline=date(2021, 4, 10))

    for point, day, rate in [
        (pc_point, date(2021, 3, 4), "80.0"),
        (pc_point, date(2021, 3, 18), "90.0"),
        (yg_point, date(2021, 3, 9), "70.0"),
        (yg_point, date(2021, 4, 2), "10.0"),
    ]:
        Inspection.objects.create(
            point=point, division=point.division, inspector=hq, inspected_at=at(day), score_rate=Decimal(rate)
        )

    def volunteer(n, division, registered):
        return Volunteer.objects.create(
            volunteer_no=f"BV{n:04d}",
            name=f"志愿者{n}",
            gender="M",
            birth_date=date(1990, 1, n),
            id_number=idcard.make_id_number(division.code, date(1990, 1, n), 600 + n),
            phone=f"1390000{n:04d}",
            division=division,
            registered_at=registered,
        )

    v1 = volunteer(1, pingcheng, date(2020, 6, 1))
    v2 = volunteer(2, pingcheng, date(2021, 3, 10))
    v3 = volunteer(3, yungang, date(2021, 3, 15))
    volunteer(4, yungang, date(2021, 4, 2))
    team = VolunteerTeam.objects.create(name="简报测试服务队", division=pingcheng)
    project = ServiceProject.objects.create(
        title="简报测试项目", team=team, division=pingcheng, start_date=date(2021, 1, 1), end_date=date(2021, 12, 31)
    )
    for vol, day, hours, status in [
        (v1, date(2021, 3, 5), "2.5", RecordStatus.CONFIRMED),
        (v1, date(2021, 3, 12), "1.5", RecordStatus.CONFIRMED),
        (v2, date(2021, 3, 20), "3.0", RecordStatus.PENDING),
        (v3, date(2021, 3, 21), "2.0", RecordStatus.CONFIRMED),
        (v2, date(2021, 4, 1), "4.0", RecordStatus.CONFIRMED),
    ]:
        ServiceRecord.objects.create(
            volunteer=vol,
            project=project,
            division=vol.division,
            date=day,
            start_time=time(9),
            end_time=(datetime.combine(day, time(9)) + timedelta(hours=float(hours))).time(),
            hours=Decimal(hours),
            status=status,
        )
    return c
