"""Period scoping shared by the league table's inspection columns, the lists its figures link to and the circular.

A period's score rate counts the visits made within it. Its on-time closure rate counts the problems closed within it
and those still open and overdue at its end (a problem closed after the end counts as open then); the problem list
behind the figure (``?period=``) shows those and the problems found within the period.
"""

from datetime import timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from inspections.choices import Outcome, ProblemStatus
from inspections.models import Inspection, InspectionResult, Problem
from inspections.services import score_rate


def visits_in(queryset, period=None):
    """Visits made within ``period`` (all of them without one)."""
    if period is None:
        return queryset
    return queryset.filter(inspected_at__gte=period.start, inspected_at__lt=period.end)


def problem_scope(period=None) -> tuple[Q, Q, Q, Q]:
    """(closed in scope, open at the end, open and overdue at the end, any in scope) for a period, or as of now."""
    closed = Q(status=ProblemStatus.CLOSED)
    if period is None:
        today = timezone.localdate()
        closed_in_scope = closed
        open_at_end = ~closed
        in_scope = Q()
    else:
        today = min(timezone.localdate(), period.last_day + timedelta(days=1))
        closed_in_scope = closed & Q(closed_at__gte=period.start, closed_at__lt=period.end)
        open_at_end = Q(found_at__lt=period.end) & (~closed | Q(closed_at__gte=period.end))
        in_scope = closed_in_scope | open_at_end & Q(found_at__gte=period.start) | open_at_end & Q(deadline__lt=today)
    overdue = open_at_end & Q(deadline__lt=today)
    return closed_in_scope, open_at_end, overdue, in_scope


def problems_in(queryset, period=None):
    """The problems a period's closure rate counts: closed within it, found within it, or open and overdue at its end."""
    return queryset.filter(problem_scope(period)[3])


def division_breakdown(division, period=None) -> dict:
    """What stands behind one division's figures in a period: each point's score, the standards that lost the most
    marks, and the problems by status."""
    visits = visits_in(Inspection.objects.filter(division=division), period)
    by_point = []
    for row in (
        visits.order_by()
        .values("point_id", "point__code", "point__name", "point__category__name")
        .annotate(visits=Count("id"), passed=Sum("weighted_passed"), applicable=Sum("weighted_applicable"))
    ):
        row["score_rate"] = score_rate(row["passed"] or 0, row["applicable"] or 0)
        by_point.append(row)
    by_point.sort(key=lambda r: (r["score_rate"] is None, r["score_rate"] or 0, r["point__code"]))
    most_lost = list(
        InspectionResult.objects.filter(inspection__in=visits.values("pk"), outcome=Outcome.FAILED)
        .order_by()
        .values("standard_id", "standard_code", "standard_text", "inspection__point__category__name")
        .annotate(lost=Sum("weight"), failures=Count("id"))
        .order_by("-lost", "-failures", "standard_code")[:10]
    )
    closed_in_scope, open_at_end, overdue, in_scope = problem_scope(period)
    problems = (
        Problem.objects.filter(in_scope, division=division)
        .order_by()
        .aggregate(
            closed=Count("id", filter=closed_in_scope),
            closed_on_time=Count("id", filter=closed_in_scope & Q(closed_at__date__lte=F("deadline"))),
            open=Count("id", filter=open_at_end),
            overdue=Count("id", filter=overdue),
        )
    )
    return {"by_point": by_point, "most_lost": most_lost, "problems": problems, "visits": visits.count()}
