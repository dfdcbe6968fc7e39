"""Reads of points, visits, rounds and problems. Everything that lists or fetches them for a user goes through the
``*_visible_to`` functions, which go through campaigns.scoping.restrict (officers: their division and unit)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Sum, Value, When
from django.utils import timezone

from campaigns.scoping import acts_for_division, restrict
from inspections.choices import Aspect, Outcome, ProblemStatus
from inspections.models import (
    Inspection,
    InspectionResult,
    InspectionRound,
    Photo,
    Point,
    PointCategory,
    Problem,
    ProblemTransition,
    Standard,
)
from inspections.services import score_rate


def points_visible_to(user):
    return restrict(
        Point.objects.select_related("category", "division", "responsible_unit", "leader"),
        user,
        division="division",
        unit="responsible_unit",
    )


def points_with_open_problems(queryset):
    return queryset.annotate(
        has_open_problems=Exists(
            Problem.objects.filter(point=OuterRef("pk")).exclude(status=ProblemStatus.CLOSED).values("pk")
        )
    )


def checklists():
    """Every category with its active standards, in order."""
    return PointCategory.objects.prefetch_related(
        Prefetch("standards", queryset=Standard.objects.filter(is_active=True).order_by("position", "id"))
    )


def inspections_visible_to(user):
    return restrict(
        Inspection.objects.select_related("point__category", "division", "round", "inspector"),
        user,
        division="division",
        unit="point__responsible_unit",
    )


def inspections_with_results(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "results",
            queryset=InspectionResult.objects.select_related("problem").prefetch_related("photos").order_by("id"),
        )
    )


def rounds_visible_to(user):
    """Rounds are headquarters' plans: everyone signed in sees them; officers see only their own points' results."""
    if user is None or not (user.is_authenticated and user.is_active):
        return InspectionRound.objects.none()
    return (
        InspectionRound.objects.select_related("created_by")
        .prefetch_related("supervisors")  # the list shows each round's supervisors: one query for the page
        .annotate(point_count=Count("points", distinct=True), visit_count=Count("inspections", distinct=True))
    )


def problems_visible_to(user):
    return restrict(
        Problem.objects.select_related(
            "point__category", "standard", "division", "responsible_unit", "supervision_card", "rectified_by"
        ),
        user,
        division="division",
        unit="responsible_unit",
    )


def problems_listed_to(user):
    """``problems_visible_to`` for the API: the nullable card and re-checker come in two small queries instead of two
    more outer joins, with which PostgreSQL spent tens of milliseconds per call choosing a join order for one page."""
    return (
        problems_visible_to(user)
        .select_related(None)
        .select_related("point__category", "standard", "division", "responsible_unit")
        .prefetch_related("supervision_card", "rectified_by")
    )


def problems_with_history(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "transitions",
            queryset=ProblemTransition.objects.select_related("actor").prefetch_related("photos").order_by("at", "id"),
        ),
        Prefetch("findings", queryset=InspectionResult.objects.select_related("inspection__inspector")),
    )


def overdue_first(queryset, today=None):
    today = today or timezone.localdate()
    return queryset.annotate(
        overdue_rank=Case(
            When(Q(deadline__lt=today) & ~Q(status=ProblemStatus.CLOSED), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", F("deadline").asc(nulls_last=True), "id")


def problem_inbox(user):
    """What waits for this user, overdue first: an officer's unit's problems to rectify and their division's to
    dispatch or re-check; headquarters' and supervisors' problems to dispatch and to re-check."""
    problems = problems_visible_to(user)
    if user.is_officer:
        mine = Q(responsible_unit_id=user.unit_id, status=ProblemStatus.DISPATCHED)
        if user.division_id and acts_for_division(user):  # a community's officer does not act for the division
            mine |= Q(division_id=user.division_id, status__in=[ProblemStatus.OPEN, ProblemStatus.DISPATCHED])
            mine |= Q(division_id=user.division_id, status=ProblemStatus.RECTIFIED) & ~Q(rectified_by=user)
        problems = problems.filter(mine)
    elif user.is_headquarters or user.is_supervisor:
        problems = problems.filter(status__in=[ProblemStatus.OPEN, ProblemStatus.RECTIFIED]).exclude(rectified_by=user)
    else:
        problems = problems.none()
    return overdue_first(problems)


def problem_totals(queryset, today=None) -> dict:
    """Open, overdue, closed and the on-time closure rate = closed on time ÷ (closed + open overdue), in per cent."""
    today = today or timezone.localdate()
    closed = Q(status=ProblemStatus.CLOSED)
    row = queryset.order_by().aggregate(
        open=Count("id", filter=~closed),
        overdue=Count("id", filter=~closed & Q(deadline__lt=today)),
        closed=Count("id", filter=closed),
        closed_on_time=Count("id", filter=closed & Q(closed_at__date__lte=F("deadline"))),
        recurrences=Count("id", filter=Q(is_recurrence=True)),
    )
    row["on_time_closure_rate"] = on_time_closure_rate(
        row["closed_on_time"], row["closed"], row["overdue"], row["open"]
    )
    return row


def on_time_closure_rate(on_time: int, closed: int, overdue: int, open_: int) -> float | None:
    """Closed on time ÷ (closed + open overdue), in per cent — the one rule for the summary and the league table.

    With nothing closed and nothing overdue, open problems still inside their deadlines are all on time so far (100.0);
    with no problems at all there is nothing to rate (``None``: the league shows "—", the summary's contract 0.0).
    """
    denominator = closed + overdue
    if denominator:
        return round(on_time * 100.0 / denominator, 1)
    return 100.0 if open_ else None


def photos_visible_to(user):
    return Photo.objects.filter(point__in=points_visible_to(user).values("pk"))


# --- a round's results ------------------------------------------------------------------------------------------


def _rate(passed, applicable) -> float | None:
    value = score_rate(passed or Decimal("0"), applicable or Decimal("0"))
    return float(value) if value is not None else None


def round_results(round_, user) -> dict:
    """A round's results by point, category, aspect and division, and the standards that lost the most marks.

    Computed from the snapshots in the visits' results, so later checklist edits do not change them. When a point
    was visited more than once in the round, each visit counts."""
    visits = inspections_visible_to(user).filter(round=round_)
    results = InspectionResult.objects.filter(inspection__in=visits.values("pk"))
    passed = Sum("weight", filter=Q(outcome=Outcome.PASSED))
    applicable = Sum("weight", filter=~Q(outcome=Outcome.NOT_APPLICABLE))

    def grouped(*fields):
        rows = []
        for row in results.order_by().values(*fields).annotate(passed=passed, applicable=applicable):
            row["score_rate"] = _rate(row["passed"], row["applicable"])
            rows.append(row)
        return rows

    by_point = grouped(
        "inspection__point_id",
        "inspection__point__code",
        "inspection__point__name",
        "inspection__point__category__name",
        "inspection__division__name",
    )
    by_point.sort(key=lambda r: (r["score_rate"] is None, r["score_rate"] or 0))
    by_category = sorted(grouped("inspection__point__category__name"), key=lambda r: r["score_rate"] or 0)
    aspect_labels = dict(Aspect.choices)
    by_aspect = grouped("aspect")
    for row in by_aspect:
        row["label"] = aspect_labels.get(row["aspect"], row["aspect"])
    by_aspect.sort(key=lambda r: list(aspect_labels).index(r["aspect"]) if r["aspect"] in aspect_labels else 99)
    by_division = sorted(
        grouped("inspection__division_id", "inspection__division__name"),
        key=lambda r: -(r["score_rate"] or 0),
    )
    lost = (
        results.filter(outcome=Outcome.FAILED)
        .order_by()
        .values("standard_id", "standard_code", "standard_text", "inspection__point__category__name")
        .annotate(lost=Sum("weight"), failures=Count("id"))
        .order_by("-lost", "-failures", "standard_code")[:10]
    )
    totals = results.aggregate(passed=passed, applicable=applicable)
    visited = defaultdict(int)
    for point_id in visits.values_list("point_id", flat=True):
        visited[point_id] += 1
    return {
        "score_rate": _rate(totals["passed"], totals["applicable"]),
        "visits": sum(visited.values()),
        "points_visited": len(visited),
        "by_point": by_point,
        "by_category": by_category,
        "by_aspect": by_aspect,
        "by_division": by_division,
        "most_lost": list(lost),
    }
