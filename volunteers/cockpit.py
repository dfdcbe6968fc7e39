"""Volunteers' part of the cockpit (驾驶舱, ``campaigns/cockpit.py``): the activity rate (活跃度) and satisfaction rate,
and the activity rate by division — read from the per-division counter rows (``volunteers/dashboard.py``), so a few
small queries whatever the number of volunteers.

Last week's rates come from the days the nightly recount keeps (``DivisionVolunteerDay``); where no day of last week
was kept, the figures show no change (``previous`` None) rather than a made-up one.
"""

from campaigns.cockpit import chart, figure
from campaigns.models import Division
from volunteers import dashboard
from volunteers.services import activity_rate, satisfaction_rate


def cockpit_parts(scope) -> dict:
    totals = dashboard.totals(scope.division)
    before = dashboard.totals_a_week_ago(scope.division, scope.today)
    divisions = [scope.division] if scope.division is not None else list(Division.objects.order_by("code"))
    rows = dashboard.per_division(divisions)
    statistics = scope.url("volunteer-statistics")
    return {
        "figures": [
            figure(
                "activity_rate",
                "志愿者活跃度",
                activity_rate(totals["registered"], totals["with_service_hours"]),
                activity_rate(before["registered"], before["with_service_hours"]) if before else None,
                unit="%",
                url=statistics,
            ),
            figure(
                "satisfaction_rate",
                "志愿服务满意率",
                satisfaction_rate(totals["ratings"], totals["satisfied_ratings"]),
                satisfaction_rate(before["ratings"], before["satisfied_ratings"]) if before else None,
                unit="%",
                url=statistics,
            ),
        ],
        "charts": [
            chart(
                "activity_by_division",
                "各区县志愿者活跃度",
                "bar",
                [row["division"].name for row in rows],
                [
                    {"label": "活跃度 %", "data": [row["activity_rate"] for row in rows], "backgroundColor": "#6a994e"},
                    {
                        "label": "满意率 %",
                        "data": [row["satisfaction_rate"] for row in rows],
                        "backgroundColor": "#386641",
                    },
                ],
                max_value=100,
                url=statistics,
            )
        ],
        "todo": [],
    }
