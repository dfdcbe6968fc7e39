"""Inspections' figures for the dashboard: the ``problems`` and ``inspections`` parts of ``dashboard/summary/`` and the
league table's ``score_rate`` and ``on_time_closure_rate`` columns.

- ``score_rate`` = weighted passed ÷ weighted applicable over the visits (of the period), in per cent;
- ``on_time_closure_rate`` = closed on time ÷ (closed + open overdue), in per cent.

For a period (``campaigns.periods.Period``): the visits made within it; the problems closed within it and those still
open and overdue at its end (a problem closed after the period's end counts as open then). A division with no visits
(no problems) in scope has ``null`` for that column. When it has problems but none closed nor overdue, nothing was
late: 100.0.

These figures are counted from the rows on each read, not kept in counters: "overdue" changes with the date alone (no
write makes a problem overdue), and a problem's status moves through six states, so counters would need a sweep of
their own and still lag it. The volume is bounded — about 50,000 problems a year — and the counts run over the
``problem_division_status`` / ``problem_status_deadline`` indexes, a few milliseconds at full scale.
"""

from django.db.models import Count, F, Q, Sum

from inspections.league import problem_scope, visits_in
from inspections.models import Inspection, Problem
from inspections.selectors import on_time_closure_rate, problem_totals
from inspections.services import score_rate


def _rate(passed, applicable) -> float | None:
    if not applicable:
        return None
    value = score_rate(passed or 0, applicable)
    return float(value) if value is not None else None


def summary_parts(division) -> dict:
    problems = Problem.objects.all()
    visits = Inspection.objects.all()
    if division is not None:
        problems = problems.filter(division=division)
        visits = visits.filter(division=division)
    totals = problem_totals(problems)
    weights = visits.order_by().aggregate(passed=Sum("weighted_passed"), applicable=Sum("weighted_applicable"))
    return {
        "problems": {
            "open": totals["open"],
            "overdue": totals["overdue"],
            "closed": totals["closed"],
            "on_time_closure_rate": totals["on_time_closure_rate"] or 0.0,  # the contract's number, never null
        },
        "inspections": {"score_rate": _rate(weights["passed"], weights["applicable"]) or 0.0},
    }


def district_columns(divisions, period=None) -> dict:
    columns = {
        d.id: {"score_rate": None, "on_time_closure_rate": None, "visits": 0, "problems_open": 0, "problems_overdue": 0}
        for d in divisions
    }
    visits = visits_in(Inspection.objects.filter(division__in=divisions), period)
    for row in (
        visits.order_by()
        .values("division_id")
        .annotate(visits=Count("id"), passed=Sum("weighted_passed"), applicable=Sum("weighted_applicable"))
    ):
        columns[row["division_id"]].update(score_rate=_rate(row["passed"], row["applicable"]), visits=row["visits"])

    closed_in_scope, open_at_end, overdue, in_scope = problem_scope(period)
    for row in (
        Problem.objects.filter(in_scope, division__in=divisions)
        .order_by()
        .values("division_id")
        .annotate(
            problems=Count("id"),
            closed=Count("id", filter=closed_in_scope),
            on_time=Count("id", filter=closed_in_scope & Q(closed_at__date__lte=F("deadline"))),
            overdue=Count("id", filter=overdue),
            open=Count("id", filter=open_at_end),
        )
    ):
        columns[row["division_id"]].update(
            on_time_closure_rate=on_time_closure_rate(row["on_time"], row["closed"], row["overdue"], row["open"]),
            problems_open=row["open"],
            problems_overdue=row["overdue"],
        )
    return columns
