"""The counters behind the dashboard: one row per division, recomputed from the rows (indexed counts).

Every service that writes a volunteer, a record, a rating, a team, a project or a site calls ``refresh`` for the
divisions it touched, inside its transaction, so the dashboard figure changes with the row. The admin does the same.
``refresh_all`` runs after the bulk seed. Reading the summary is then a sum over ten rows.
"""

from django.db import transaction
from django.db.models import Count, Q

from campaigns.models import Division
from volunteers.choices import SiteLevel
from volunteers.models import DivisionVolunteerStats, PracticeSite, Rating, ServiceProject, Volunteer, VolunteerTeam


def _counts_by_division(queryset, **aggregates):
    return {row.pop("division_id"): row for row in queryset.values("division_id").annotate(**aggregates).order_by()}


@transaction.atomic
def refresh(division_ids) -> None:
    ids = sorted({d for d in division_ids if d is not None})
    if not ids:
        return
    # Lock the divisions' counter rows before counting: a concurrent writer waits for this commit and then counts
    # again (READ COMMITTED takes a fresh snapshot per statement), so two writes never leave a stale figure.
    for division_id in ids:
        DivisionVolunteerStats.objects.get_or_create(division_id=division_id)
    list(DivisionVolunteerStats.objects.select_for_update().filter(division_id__in=ids).order_by("division_id"))
    registered = _counts_by_division(Volunteer.objects.filter(division_id__in=ids), n=Count("id"))
    active = _counts_by_division(Volunteer.objects.filter(division_id__in=ids, confirmed_hours__gt=0), n=Count("id"))
    teams = _counts_by_division(VolunteerTeam.objects.filter(division_id__in=ids), n=Count("id"))
    projects = _counts_by_division(ServiceProject.objects.filter(division_id__in=ids), n=Count("id"))
    ratings = _counts_by_division(
        Rating.objects.filter(division_id__in=ids), n=Count("id"), satisfied=Count("id", filter=Q(satisfied=True))
    )
    sites = _counts_by_division(
        PracticeSite.objects.filter(division_id__in=ids),
        centres=Count("id", filter=Q(level=SiteLevel.CENTRE)),
        institutes=Count("id", filter=Q(level=SiteLevel.INSTITUTE)),
        stations=Count("id", filter=Q(level=SiteLevel.STATION)),
    )
    for division_id in ids:
        site = sites.get(division_id, {})
        rating = ratings.get(division_id, {})
        DivisionVolunteerStats.objects.update_or_create(
            division_id=division_id,
            defaults={
                "registered": registered.get(division_id, {}).get("n", 0),
                "with_service_hours": active.get(division_id, {}).get("n", 0),
                "teams": teams.get(division_id, {}).get("n", 0),
                "projects": projects.get(division_id, {}).get("n", 0),
                "ratings": rating.get("n", 0),
                "satisfied_ratings": rating.get("satisfied", 0),
                "centres": site.get("centres", 0),
                "institutes": site.get("institutes", 0),
                "stations": site.get("stations", 0),
            },
        )


def refresh_all() -> None:
    refresh(Division.objects.values_list("id", flat=True))
