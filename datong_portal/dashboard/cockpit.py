"""The cockpit (驾驶舱): headquarters' campaign at a glance, a district officer's for their own division.

Plain functions over a :class:`campaigns.cockpit.CockpitScope` (the city or one division, as of an instant), so the
home page, the command-room screen (大屏), ``GET /api/v1/dashboard/cockpit/`` and the monthly briefing read the same
figures. Each app contributes its part — figures with their change since last week, charts over the last weeks and
the lists of what needs attention today — as ``cockpit_parts(scope)`` (``campaigns/registry.py``); the league table
with rank movement comes from ``campaigns.league`` like every other league view.

Every part runs a fixed number of aggregate queries (``tests/dashboard/test_cockpit.py`` counts them at two data
sizes), so the page costs the same in a city of 2,000 cards as in one of 20.
"""

from django.urls import reverse
from django.utils import timezone

from campaigns import figures, registry
from campaigns.cockpit import CockpitScope, chart
from campaigns.league import district_rows
from campaigns.models import Division
from campaigns.periods import WEEK, current_period
from campaigns.scoping import division_in_view


def cockpit_scope(user, requested_division=None, now=None) -> CockpitScope:
    """The scope ``user`` reads: headquarters and supervisors the city (or ``?division=`` of it), an officer their own
    division, a city leader their fields (``CockpitScope.leader``). Another division, or one that does not exist, is a
    404 (``campaigns.scoping``)."""
    division = division_in_view(user, requested_division)
    leader = user if user.is_leader else None
    name = division.name if division is not None else "全市"
    return CockpitScope(
        now=now or timezone.now(),
        division=division,
        leader=leader,
        name=f"{leader} · 分管领域" if leader is not None else name,
    )


def league(scope) -> dict:
    """This week's league table with each division's rank movement since last week; one row for a division scope."""
    period = current_period(WEEK, scope.now)
    rows = district_rows(list(Division.objects.all()), period, only=scope.division_id)
    return {
        "period": period.label,
        "period_display": period.display(),
        "rows": [
            {
                "division": row["division"],
                "division_name": row["division_name"],
                "rank": row["rank"],
                "previous_rank": row.get("previous_rank"),
                "movement": row.get("movement"),
                "score_rate": row.get("score_rate"),
                "on_time_closure_rate": row.get("on_time_closure_rate"),
                "report_punctuality": row.get("report_punctuality"),
                "supervision_on_time_rate": row.get("supervision_on_time_rate"),
                "activity_rate": row.get("activity_rate"),
            }
            for row in rows
        ],
    }


def league_chart(table: dict, scope) -> dict:
    rows = table["rows"]
    return chart(
        "league",
        f"红黑榜 · {table['period_display']}",
        "bar",
        [row["division_name"] for row in rows],
        [
            {"label": "测评得分率 %", "data": [row["score_rate"] for row in rows], "backgroundColor": "#a4161a"},
            {
                "label": "按期销号率 %",
                "data": [row["on_time_closure_rate"] for row in rows],
                "backgroundColor": "#e5989b",
            },
            {
                "label": "报告按时率 %",
                "data": [row["report_punctuality"] for row in rows],
                "backgroundColor": "#386641",
            },
        ],
        max_value=100,
        url=_league_url(scope),
    )


def _league_url(scope) -> str:
    if scope.division is not None:
        return reverse("inspections-league-division", args=[scope.division.pk])
    return reverse("inspections-league")


def cockpit(scope) -> dict:
    """Everything the cockpit shows for ``scope``: ``figures``, ``charts``, ``todo`` and ``league``, in the order the
    apps contributed them; kept until a write changes what it counts (campaigns/figures.py)."""
    key = (scope.division_id or "city", scope.leader_id or "", scope.weeks)
    return {
        "scope": {"division": scope.division_id, "leader": scope.leader_id, "name": scope.name},
        "as_of": timezone.localtime(scope.now).isoformat(timespec="seconds"),
        **figures.kept("cockpit", key, scope.now, lambda: _compute(scope)),
    }


def _compute(scope) -> dict:
    # Each app's part is kept on its own inside the whole: a write to one app's tables computes that part again and
    # reads the others back (a problem closed does not recount the volunteers).
    key = (scope.division_id or "city", scope.leader_id or "", scope.weeks)
    shown, charts, todos = [], [], []
    for parts in registry.cockpit_providers():
        name = f"cockpit-part:{parts.__module__}.{parts.__qualname__}"
        part = figures.kept(name, key, scope.now, lambda parts=parts: parts(scope))
        shown += part.get("figures", [])
        charts += part.get("charts", [])
        todos += part.get("todo", [])
    table = league(scope)
    charts.append(league_chart(table, scope))
    return {"figures": shown, "charts": charts, "todo": todos, "league": table}
