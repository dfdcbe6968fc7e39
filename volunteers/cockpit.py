"""Volunteers' part of the cockpit (驾驶舱, ``campaigns/cockpit.py``): the activity rate (活跃度) and satisfaction rate,
and the activity rate by division — read from the per-division counter rows (``volunteers/dashboard.py``), so two
small queries whatever the number of volunteers.

The counters hold today's figures only; the history a "week ago" figure would need is not kept, so these figures show
no change since last week (``previous`` None) rather than a made-up one.
"""

from campaigns.cockpit import chart, figure
from campaigns.models import Division
from volunteers import dashboard
from volunteers.services import activity_rate, satisfaction_rate


def cockpit_parts(scope) -> dict:
    totals = dashboard.totals(scope.division)
    divisions = [scope.division] if scope.division is not None else list(Division.objects.order_by("code"))
    rows = dashboard.per_division(divisions)
    statistics = scope.url("volunteer-statistics")
    return {
        "figures": [
            figure(
                "activity_rate",
                "志愿者活跃度",
                activity_rate(totals["registered"], totals["with_service_hours"]),
                unit="%",
                url=statistics,
            ),
            figure(
                "satisfaction_rate",
                "志愿服务满意率",
                satisfaction_rate(totals["ratings"], totals["satisfied_ratings"]),
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
