"""Full-scale history for the league table and the problem list: half a year of visits and problems over the
seeded points, in bulk (``seed_datong --scale full``; ``make bench`` measures the pages on it).

The city's figures: 2,000 points, 50,000 problems a year. Over the 26 weeks before today every point is visited about
every other week (~26,000 visits) and 25,000 problems are found — most closed (some late), some dispatched (some of them
overdue), a few awaiting re-check or dispatch. Visits are stored with their weights (what the league table and the
circular read); per-standard results are not generated (the lists and the table do not read them). Both are loaded
with COPY (``campaigns.bulkload.copy_dicts``): the model instances ``bulk_create`` would build cost more than the rows.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from campaigns import bulkload

SCALE_HISTORY = {"small": {"visits": 2_000, "problems": 2_000}, "full": {"visits": 26_000, "problems": 25_000}}
WEEKS = 26


def seed_scale(data: dict, *, scale: str, log=print) -> None:
    """The points (``inspections.seed.seed_scale``), then the visits and problems on them."""
    from inspections import seed

    seed.seed_scale(data, scale=scale, log=log)
    seed_history(scale=scale, log=log)


def seed_history(*, scale: str, log=print) -> None:
    from campaigns.choices import Role
    from campaigns.models import User
    from inspections.choices import ProblemStatus
    from inspections.models import Inspection, Point, Problem, Standard

    sizes = SCALE_HISTORY.get(scale, SCALE_HISTORY["small"])
    points = list(
        Point.objects.filter(code__startswith="SC-").values("pk", "division_id", "responsible_unit_id", "category_id")
    )
    inspector = (
        User.objects.filter(role__in=[Role.SUPERVISOR, Role.HEADQUARTERS], is_active=True).order_by("pk").first()
    )
    if not points or inspector is None or Problem.objects.filter(point__code__startswith="SC-").exists():
        log("点位测评历史数据：已存在或无规模点位，跳过。")
        return
    standards: dict[int, list[int]] = {}
    for pk, category_id in Standard.objects.filter(is_active=True).values_list("pk", "category_id"):
        standards.setdefault(category_id, []).append(pk)
    rng = random.Random(20220829)
    today = timezone.localdate()
    start = today - timedelta(weeks=WEEKS)

    zone = timezone.get_current_timezone()

    def moment(day):
        return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone)

    visits = []
    for _ in range(sizes["visits"]):
        point = rng.choice(points)
        applicable = Decimal(rng.randint(8, 20))
        passed = min(applicable, Decimal(rng.randint(5, 20)))
        visits.append(
            {
                "point_id": point["pk"],
                "division_id": point["division_id"],
                "inspector_id": inspector.pk,
                "inspected_at": moment(start + timedelta(days=rng.randint(0, WEEKS * 7 - 1))),
                "weighted_passed": passed,
                "weighted_applicable": applicable,
                "score_rate": (passed * 100 / applicable).quantize(Decimal("0.1")),
            }
        )
    bulkload.copy_dicts(Inspection, visits)

    problems, open_pairs = [], set()
    for _ in range(sizes["problems"]):
        point = rng.choice(points)
        candidates = standards.get(point["category_id"])
        if not candidates:
            continue
        standard = rng.choice(candidates)
        found_day = start + timedelta(days=rng.randint(0, WEEKS * 7 - 1))
        deadline = found_day + timedelta(days=rng.choice([3, 7, 15]))
        roll = rng.random()
        status = (
            ProblemStatus.CLOSED
            if roll < 0.82
            else ProblemStatus.DISPATCHED
            if roll < 0.94
            else ProblemStatus.RECTIFIED
            if roll < 0.97
            else ProblemStatus.OPEN
        )
        if status != ProblemStatus.CLOSED:
            if (point["pk"], standard) in open_pairs:
                status = ProblemStatus.CLOSED
            else:
                open_pairs.add((point["pk"], standard))
        closed_at = None
        if status == ProblemStatus.CLOSED:
            closed_day = min(today, deadline + timedelta(days=rng.randint(-3, 4)))
            closed_at = moment(max(found_day, closed_day))
        found_at = moment(found_day)
        problems.append(
            {
                "point_id": point["pk"],
                "standard_id": standard,
                "division_id": point["division_id"],
                "responsible_unit_id": point["responsible_unit_id"],
                "description": "规模测试问题",
                "status": str(status),
                "status_changed_at": closed_at or found_at,
                "found_by_id": inspector.pk,
                "found_at": found_at,
                "last_found_at": found_at,
                "deadline": None if status == ProblemStatus.OPEN else deadline,
                "dispatched_at": None if status == ProblemStatus.OPEN else found_at,
                "closed_at": closed_at,
            }
        )
    bulkload.copy_dicts(Problem, problems)

    with connection.cursor() as cursor:  # fresh statistics, or the planner guesses the tables' sizes after a bulk load
        for model in (Inspection, Problem, Point):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    log(f"点位测评历史数据：{len(visits)} 次测评，{len(problems)} 个问题（近 {WEEKS} 周）。")
