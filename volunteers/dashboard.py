"""The ``volunteers`` and ``practice_sites`` parts of dashboard/summary/ and the activity-rate district column.

Read from the per-division counter rows (volunteers/stats.py), which every write changes by an increment inside its
transaction and the nightly recount proves: ten rows summed, the same cost at any number of volunteers.
"""

from datetime import timedelta

from django.db.models import Max, Sum

from volunteers.models import DivisionVolunteerDay, DivisionVolunteerStats
from volunteers.services import activity_rate, satisfaction_rate
from volunteers.stats import DAY_FIELDS, FIELDS

#: How far before "a week ago" a kept day may lie and still stand for last week (a night or two the beat missed).
LAST_WEEK_SLACK_DAYS = 6


def totals(division=None) -> dict:
    rows = DivisionVolunteerStats.objects.all()
    if division is not None:
        rows = rows.filter(division=division)
    summed = rows.aggregate(**{f: Sum(f) for f in FIELDS})
    return {f: summed[f] or 0 for f in FIELDS}


def totals_a_week_ago(division, today) -> dict | None:
    """The rates' counters as kept (``stats.keep_day``) on the latest day at least a week before ``today``, summed over
    the scope; None when no day of that week was kept (a new installation, or the nightly job not running)."""
    days = DivisionVolunteerDay.objects.filter(
        day__lte=today - timedelta(days=7), day__gte=today - timedelta(days=7 + LAST_WEEK_SLACK_DAYS)
    )
    if division is not None:
        days = days.filter(division=division)
    latest = days.aggregate(latest=Max("day"))["latest"]
    if latest is None:
        return None
    summed = days.filter(day=latest).aggregate(**{f: Sum(f) for f in DAY_FIELDS})
    return {f: summed[f] or 0 for f in DAY_FIELDS}


def summary_parts(division) -> dict:
    t = totals(division)
    return {
        "volunteers": {
            "registered": t["registered"],
            "with_service_hours": t["with_service_hours"],
            "activity_rate": activity_rate(t["registered"], t["with_service_hours"]),
            "teams": t["teams"],
            "projects": t["projects"],
            "satisfaction_rate": satisfaction_rate(t["ratings"], t["satisfied_ratings"]),
        },
        "practice_sites": {"centre": t["centres"], "institute": t["institutes"], "station": t["stations"]},
    }


def district_columns(divisions, period=None) -> dict:
    """``activity_rate`` per division, as of now, whatever the ``period``.

    The counter rows hold today's figures only (who has ever had a confirmed record); the history a past period would
    need is not kept, so every period shows the current activity rate."""
    rows = {r.division_id: r for r in DivisionVolunteerStats.objects.filter(division__in=divisions)}
    columns = {}
    for division in divisions:
        row = rows.get(division.pk)
        columns[division.pk] = {
            # No registered volunteers yet: no rate (None) for the league table, rather than a rate of zero.
            "activity_rate": activity_rate(row.registered, row.with_service_hours) if row and row.registered else None,
        }
    return columns


def per_division(divisions) -> list[dict]:
    """Rows for the statistics page: every figure per division."""
    rows = {r.division_id: r for r in DivisionVolunteerStats.objects.filter(division__in=divisions)}
    out = []
    for division in divisions:
        r = rows.get(division.pk) or DivisionVolunteerStats(division=division)
        out.append(
            {
                "division": division,
                "registered": r.registered,
                "with_service_hours": r.with_service_hours,
                "activity_rate": activity_rate(r.registered, r.with_service_hours),
                "teams": r.teams,
                "projects": r.projects,
                "satisfaction_rate": satisfaction_rate(r.ratings, r.satisfied_ratings),
                "centres": r.centres,
                "institutes": r.institutes,
                "stations": r.stations,
            }
        )
    return out
