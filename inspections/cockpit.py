"""Inspections' part of the cockpit (驾驶舱, ``campaigns/cockpit.py``): problems found and closed in the last seven
days against the seven before, the score rate now and a week ago, problems opened against closed each week, and the
overdue problems.

Days are local dates, as the problem list's ``found_after``/``closed_after`` filters read them, so a figure and the
list it links to always agree. The score rate is cumulative — weighted passed ÷ weighted applicable over every visit
made until then — as in ``dashboard/summary/``. One aggregate for problems, one for visits, two for the to-do list.
"""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse

from campaigns.cockpit import TODO_ITEMS, chart, figure, todo
from campaigns.periods import _midnight
from inspections.choices import ProblemStatus
from inspections.models import Inspection, Problem
from inspections.services import score_rate

CLOSED = Q(status=ProblemStatus.CLOSED)


def _between(field: str, first_day, last_day) -> Q:
    """``field`` falls on a local date from ``first_day`` to ``last_day``, both included."""
    return Q(**{f"{field}__gte": _midnight(first_day), f"{field}__lt": _midnight(last_day + timedelta(days=1))})


def _rate(weights) -> float | None:
    value = score_rate(weights[0] or 0, weights[1] or 0)
    return float(value) if value is not None else None


def cockpit_parts(scope) -> dict:
    problems, visits = Problem.objects.order_by(), Inspection.objects.order_by()
    if scope.division is not None:
        problems, visits = problems.filter(division=scope.division), visits.filter(division=scope.division)
    today = scope.today
    this_week = (today - timedelta(days=6), today)
    last_week = (today - timedelta(days=13), today - timedelta(days=7))
    weeks = [(label, start, end) for label, start, end in scope.week_bounds()]
    # Only the problems found or closed since the first chart week (or the last fortnight) count: two index ranges.
    since = min(weeks[0][1], _midnight(last_week[0]))
    counts = problems.filter(Q(found_at__gte=since) | Q(closed_at__gte=since)).aggregate(
        found=Count("id", filter=_between("found_at", *this_week)),
        found_before=Count("id", filter=_between("found_at", *last_week)),
        closed=Count("id", filter=CLOSED & _between("closed_at", *this_week)),
        closed_before=Count("id", filter=CLOSED & _between("closed_at", *last_week)),
        **{f"found_w{n}": Count("id", filter=Q(found_at__gte=s, found_at__lt=e)) for n, (_, s, e) in enumerate(weeks)},
        **{
            f"closed_w{n}": Count("id", filter=CLOSED & Q(closed_at__gte=s, closed_at__lt=e))
            for n, (_, s, e) in enumerate(weeks)
        },
    )
    week_ago = _midnight(today - timedelta(days=6))
    weights = visits.aggregate(
        passed=Sum("weighted_passed"),
        applicable=Sum("weighted_applicable"),
        passed_before=Sum("weighted_passed", filter=Q(inspected_at__lt=week_ago)),
        applicable_before=Sum("weighted_applicable", filter=Q(inspected_at__lt=week_ago)),
    )
    overdue = problems.filter(~CLOSED, deadline__lt=today)
    rows = list(overdue.select_related("point").order_by("deadline", "id")[:TODO_ITEMS])
    league = (
        reverse("inspections-league-division", args=[scope.division.pk])
        if scope.division is not None
        else reverse("inspections-league")
    )
    days = {"this": [d.isoformat() for d in this_week]}
    return {
        "figures": [
            figure(
                "problems_found",
                "近7日发现问题",
                counts["found"],
                counts["found_before"],
                better="down",
                url=scope.url("inspections-problem-list", found_after=days["this"][0], found_before=days["this"][1]),
            ),
            figure(
                "problems_closed",
                "近7日销号问题",
                counts["closed"],
                counts["closed_before"],
                url=scope.url(
                    "inspections-problem-list",
                    status=ProblemStatus.CLOSED,
                    closed_after=days["this"][0],
                    closed_before=days["this"][1],
                ),
            ),
            figure(
                "score_rate",
                "测评得分率",
                _rate((weights["passed"], weights["applicable"])),
                _rate((weights["passed_before"], weights["applicable_before"])),
                unit="%",
                url=league,
            ),
        ],
        "charts": [
            chart(
                "problems_opened_closed",
                "每周发现与销号问题",
                "bar",
                [label for label, _, _ in weeks],
                [
                    {
                        "label": "发现",
                        "data": [counts[f"found_w{n}"] for n in range(len(weeks))],
                        "backgroundColor": "#a4161a",
                    },
                    {
                        "label": "销号",
                        "data": [counts[f"closed_w{n}"] for n in range(len(weeks))],
                        "backgroundColor": "#386641",
                    },
                ],
                url=scope.url("inspections-problem-list"),
            )
        ],
        "todo": [
            todo(
                "overdue_problems",
                "逾期未销号问题",
                overdue.count(),
                [
                    {
                        "label": f"{problem.point.name}：{problem.description[:24]}",
                        "note": f"时限 {problem.deadline:%m-%d} · {problem.get_status_display()}",
                        "url": reverse("inspections-problem-detail", args=[problem.pk]),
                    }
                    for problem in rows
                ],
                url=scope.url("inspections-problem-list", overdue="true"),
            )
        ],
    }
