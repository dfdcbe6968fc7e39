"""Reference data (the 28 categories and their checklists, rectification deadlines), the demo points, round, visits
and problems, and the city-scale set of points. Every step is safe to run twice."""

from inspections.checklists import checklist_for
from inspections.choices import DEFAULT_DEADLINE_DAYS
from inspections.models import PointCategory, SeverityDeadline, Standard


def seed_reference(data: dict, log=print) -> None:
    """The categories from the reference data and a checklist for each. Existing standards are left as edited."""
    created = 0
    for position, name in enumerate(data["point_categories"], start=1):
        category, _ = PointCategory.objects.update_or_create(name=name, defaults={"position": position})
        for number, (aspect, text, weight, indicator, severity) in enumerate(checklist_for(name), start=1):
            _standard, was_created = Standard.objects.get_or_create(
                category=category,
                code=f"C{position:02d}-{number:02d}",
                defaults={
                    "aspect": aspect,
                    "text": text,
                    "weight": weight,
                    "indicator": indicator,
                    "severity": severity,
                    "position": number,
                },
            )
            created += was_created
    for severity, days in DEFAULT_DEADLINE_DAYS.items():
        SeverityDeadline.objects.get_or_create(severity=severity, defaults={"days": days})
    log(
        f"点位测评：{PointCategory.objects.count()} 类点位，{Standard.objects.count()} 条测评标准"
        f"（新增 {created} 条）。"
    )


# --- the demo set -----------------------------------------------------------------------------------------------

# Rough centres of the divisions' towns (latitude, longitude): demo points scatter around them.
CENTRES = {
    "平城区": (40.0768, 113.3001),
    "云冈区": (40.0050, 113.1490),
    "新荣区": (40.2550, 113.1400),
    "云州区": (40.0400, 113.6120),
    "阳高县": (40.3620, 113.7500),
    "天镇县": (40.4210, 114.0910),
    "广灵县": (39.7600, 114.2820),
    "灵丘县": (39.4420, 114.2340),
    "浑源县": (39.6990, 113.6980),
    "左云县": (40.0130, 112.7030),
}

# 平城区's demo points carry the old city's real street names; the others are named after their town.
PINGCHENG_POINTS = [
    ("主次干道", "魏都大道（御河桥至南关段）", "南关街道", "南关社区", "魏都大道南段"),
    ("主次干道", "御河西路", "北关街道", "北关社区", "御河西路全段"),
    ("商业大街", "鼓楼东街", "南关街道", "迎宾社区", "古城鼓楼东街"),
    ("背街小巷", "南关南街三条巷", "南关街道", "南关社区", "南关南街东侧"),
    ("集贸市场", "红旗农贸市场", "新建南路街道", "桥南社区", "新建南路红旗广场东"),
    ("公交站点", "新建南路公交站", "新建南路街道", "永泰社区", "新建南路与永泰南路交叉口"),
    ("居民小区", "永泰苑小区", "新建南路街道", "永泰社区", "永泰南路 88 号"),
    ("社区", "迎宾社区", "南关街道", "迎宾社区", "迎宾街 12 号"),
    ("中小学校", "平城区实验小学", "北关街道", "北关社区", "北关街 36 号"),
    ("医院", "大同市第三人民医院", "南关街道", "南关社区", "魏都大道 1 号"),
    ("建筑工地", "御东新区棚改安置项目工地", "新建南路街道", "桥南社区", "文兴路东"),
    ("新时代文明实践中心(所、站)", "平城区新时代文明实践中心", "北关街道", "北关社区", "和阳街 5 号"),
]

# (category, name pattern) for the other divisions: ``{town}`` is the division's short name.
TOWN_POINTS = [
    ("主次干道", "{town}迎宾大道"),
    ("集贸市场", "{town}综合农贸市场"),
    ("居民小区", "{town}幸福里小区"),
    ("公交站点", "{town}人民医院公交站"),
]

# (point code, passed per standard position 1…: True/False/None, days ago)
DEMO_VISITS = [
    ("DT-140213-001", {2: False, 8: False}, 12),
    ("DT-140213-004", {3: False, 5: False, 7: False}, 10),
    ("DT-140213-005", {6: False}, 9),
    ("DT-140213-007", {3: False, 8: False}, 6),
    ("DT-140213-011", {3: False}, 5),
    ("DT-140214-001", {8: False, 9: False}, 8),
    ("DT-140214-003", {3: False}, 4),
    ("DT-140212-001", {7: False}, 7),
    ("DT-140215-002", {6: False}, 3),
    ("DT-140221-001", {}, 2),
]


def _demo_points(users) -> list:
    import random

    from campaigns.models import Division, Unit
    from inspections.models import Point, PointCategory

    rng = random.Random(2022)
    categories = {c.name: c for c in PointCategory.objects.all()}
    points = []
    for division in Division.objects.all():
        government = Unit.objects.get(name=f"{division.name}人民政府")
        centre = CENTRES.get(division.name, (40.0768, 113.3001))
        if division.name == "平城区":
            rows = PINGCHENG_POINTS
        else:
            town = division.name[:-1] if division.kind == "county" else division.name
            rows = [(c, pattern.format(town=town), "", "", "") for c, pattern in TOWN_POINTS]
        for number, (category, name, street, community, address) in enumerate(rows, start=1):
            street_unit = Unit.objects.filter(name=f"{division.name}{street}").first() if street else None
            point, _ = Point.objects.get_or_create(
                code=f"DT-{division.code}-{number:03d}",
                defaults={
                    "name": name,
                    "category": categories[category],
                    "division": division,
                    "street": street,
                    "community": community,
                    "address": address or f"{division.name}{name}",
                    "latitude": round(centre[0] + rng.uniform(-0.02, 0.02), 6),
                    "longitude": round(centre[1] + rng.uniform(-0.02, 0.02), 6),
                    "responsible_unit": street_unit or government,
                    "leader_name": "张市长"
                    if number == 1 and division.name == "平城区"
                    else f"{division.name}分管领导",
                    "leader": users.get("leader") if number == 1 and division.name == "平城区" else None,
                },
            )
            points.append(point)
    return points


def seed_demo(data: dict, log=print) -> None:
    """A few dozen points in every division, a round, and visits whose failures fill the problem loop."""
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import User
    from inspections import services
    from inspections.choices import ProblemStatus
    from inspections.models import Inspection, InspectionRound, Point, Problem

    users = {u.username: u for u in User.objects.filter(username__in=["hq", "supervisor", "leader"])}
    points = _demo_points(users)
    hq, supervisor = users.get("hq"), users.get("supervisor")
    if hq is None or supervisor is None:
        return
    today = timezone.localdate()
    round_ = InspectionRound.objects.filter(name="本月第一轮实地测评").first()
    if round_ is None:
        round_ = services.round_plan(
            actor=hq,
            name="本月第一轮实地测评",
            start_date=today - timedelta(days=14),
            end_date=today + timedelta(days=7),
            supervisors=[supervisor],
            points=points,
        )
    visits = 0
    for code, failures, days_ago in DEMO_VISITS:
        key = f"demo-visit-{code}"
        point = Point.objects.filter(code=code).first()
        if point is None or Inspection.objects.filter(client_key=key).exists():
            continue
        standards = list(point.category.standards.filter(is_active=True).order_by("position"))
        results = [{"standard": s.pk, "passed": failures.get(n, True)} for n, s in enumerate(standards, start=1)]
        if results:
            results[-1]["passed"] = None  # one item that does not apply, as on a real sheet
        services.inspection_record(
            actor=supervisor,
            point=point,
            round=round_,
            results=results,
            inspected_at=timezone.now() - timedelta(days=days_ago),
            client_key=key,
        )
        visits += 1
    if visits:
        _walk_demo_problems(hq, supervisor)
    log(
        f"点位测评演示数据：{Point.objects.count()} 个点位，{Inspection.objects.count()} 次测评，"
        f"{Problem.objects.count()} 个问题（未销号 {Problem.objects.exclude(status=ProblemStatus.CLOSED).count()}）。"
    )


def _walk_demo_problems(hq, supervisor) -> None:
    """Move some demo problems along the loop: dispatched, overdue, rectified, closed, returned."""
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.choices import Role
    from campaigns.models import User
    from inspections import services
    from inspections.choices import ProblemStatus
    from inspections.models import Problem

    problems = list(Problem.objects.filter(status=ProblemStatus.OPEN).select_related("division").order_by("id"))
    officers = {u.division_id: u for u in User.objects.filter(role=Role.OFFICER).select_related("unit")}
    today = timezone.localdate()
    for index, problem in enumerate(problems):
        if index % 5 == 4:
            continue  # left open: waiting to be dispatched
        problem = services.problem_dispatch(actor=supervisor, problem=problem)
        officer = officers.get(problem.division_id)
        if index % 5 == 0:
            # Overdue: the deadline has passed without feedback (the demo ages it).
            Problem.objects.filter(pk=problem.pk).update(deadline=today - timedelta(days=2 + index % 3))
            continue
        if officer is None or index % 5 == 1:
            continue
        problem = services.problem_rectify(
            actor=officer, problem=problem, feedback="已组织人员清理整改，附整改后照片。"
        )
        if index % 5 == 2:
            services.problem_recheck(actor=hq, problem=problem, approved=True, comment="复核合格，准予销号。")
        # index % 5 == 3: rectified, waiting for the re-check


# --- the city's scale ---------------------------------------------------------------------------------------------

SCALE_POINTS = {"small": 200, "full": 2000}
# How the city's points spread over the categories (the rest go to the remaining categories evenly).
SCALE_SHARES = {
    "背街小巷": 0.16,
    "居民小区": 0.16,
    "社区": 0.10,
    "主次干道": 0.08,
    "公交站点": 0.08,
    "商业大街": 0.04,
    "集贸市场": 0.04,
    "中小学校": 0.05,
    "建筑工地": 0.04,
    "新时代文明实践中心(所、站)": 0.05,
    "医院": 0.02,
}
SCALE_NAMES = {
    "背街小巷": "{town}第{n}巷",
    "居民小区": "{town}第{n}小区",
    "社区": "{town}第{n}社区",
    "主次干道": "{town}第{n}号路",
    "公交站点": "{town}第{n}号公交站",
    "中小学校": "{town}第{n}小学",
}


def seed_scale(data: dict, *, scale: str, log=print) -> None:
    """About 2,000 points (``full``) spread over the divisions and categories, created in bulk."""
    import random

    from campaigns.models import Division, Unit
    from inspections.models import Point, PointCategory

    total = SCALE_POINTS.get(scale, SCALE_POINTS["small"])
    rng = random.Random(140200)
    categories = list(PointCategory.objects.all())
    shares = {c.name: SCALE_SHARES.get(c.name) for c in categories}
    rest = [c for c in categories if shares[c.name] is None]
    left = max(0.0, 1 - sum(v for v in shares.values() if v))
    weights = [shares[c.name] if shares[c.name] else left / max(1, len(rest)) for c in categories]
    divisions = list(Division.objects.all())
    governments = {u.division_id: u for u in Unit.objects.filter(kind="government")}
    per_division = total // max(1, len(divisions))
    batch = []
    for division in divisions:
        town = division.name[:-1] if division.kind == "county" else division.name
        centre = CENTRES.get(division.name, (40.0768, 113.3001))
        for n in range(1, per_division + 1):
            category = rng.choices(categories, weights)[0]
            name = SCALE_NAMES.get(category.name, "{town}" + category.name + "{n}号").format(town=town, n=n)
            batch.append(
                Point(
                    code=f"SC-{division.code}-{n:05d}",
                    name=name[:100],
                    category=category,
                    division=division,
                    address=f"{division.name}{name}"[:200],
                    latitude=round(centre[0] + rng.uniform(-0.05, 0.05), 6),
                    longitude=round(centre[1] + rng.uniform(-0.05, 0.05), 6),
                    responsible_unit=governments[division.pk],
                    leader_name=f"{division.name}包点领导",
                )
            )
    Point.objects.bulk_create(batch, batch_size=1000, ignore_conflicts=True)
    log(f"点位测评规模数据：共 {Point.objects.count()} 个点位。")
