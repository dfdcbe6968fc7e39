"""Reads that are more than a filter. Every list starts from campaigns.scoping.restrict (division-scoped)."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from campaigns.scoping import restrict
from volunteers.choices import SiteLevel
from volunteers.models import PracticeSite, ServiceProject, ServiceRecord, Volunteer, VolunteerTeam

DORMANT_DAYS = 30


def sites_visible_to(user):
    return restrict(PracticeSite.objects.select_related("division", "parent"), user, unit=None)


def teams_visible_to(user):
    return restrict(VolunteerTeam.objects.select_related("division", "practice_site", "leader_user"), user, unit=None)


def volunteers_visible_to(user):
    return restrict(Volunteer.objects.select_related("division"), user, unit=None)


def projects_visible_to(user):
    return restrict(ServiceProject.objects.select_related("team", "division", "practice_site"), user, unit=None)


def records_visible_to(user, *, by_key=False):
    """Records of projects in the user's scope, plus (for a team leader) the records of the teams they lead.

    A list asks first whether the user leads a team at all, so that the join to the teams is made only for those who
    do; ``by_key=True`` is for reading one record by its key, where the join costs nothing and the question would be
    a query of its own."""
    leads = by_key or (user.is_authenticated and VolunteerTeam.objects.filter(leader_user=user).exists())
    also = Q(project__team__leader_user=user) if leads and user.is_authenticated else None
    return restrict(
        ServiceRecord.objects.select_related("volunteer", "project__team", "division", "decided_by"),
        user,
        unit=None,
        also=also,
    )


def stations_dormant(user, today=None):
    """Stations with no service record at any of their projects in the last 30 days (dormant)."""
    return _dormant(sites_visible_to(user), today).select_related("parent")


def stations_dormant_citywide(today=None):
    """Every dormant station of the city, with ``last_service`` (its latest service date, None if it never had one):
    the calendar's view, for the notices and the morning digest."""
    latest = ServiceRecord.objects.filter(project__practice_site=OuterRef("pk")).order_by("-date").values("date")[:1]
    return _dormant(PracticeSite.objects.select_related("division"), today).annotate(last_service=Subquery(latest))


def _dormant(sites, today=None):
    today = today or timezone.localdate()
    recent = ServiceRecord.objects.filter(
        project__practice_site=OuterRef("pk"), date__gte=today - timedelta(days=DORMANT_DAYS)
    )
    return sites.filter(level=SiteLevel.STATION).annotate(active=Exists(recent)).filter(active=False)


def site_tree(sites):
    """The (visible, filtered) sites as nested lists: centre → institutes → stations (one query)."""
    by_parent = {}
    for site in sites.order_by("division__code", "level", "name"):
        by_parent.setdefault(site.parent_id, []).append(site)
    for children in by_parent.values():
        for site in children:
            site.children_list = by_parent.get(site.pk, [])
    return [s for s in by_parent.get(None, []) if s.level == SiteLevel.CENTRE]


def _bar(label: str, values: list, colour) -> dict:
    return {"label": label, "data": values, "backgroundColor": colour}


def volunteer_statistics(user) -> dict:
    """The statistics page: every figure per visible division, the city's (or the officer's division's) totals,
    and the charts drawn from them. An officer reads their own division only."""
    from campaigns.scoping import division_in_view, divisions_visible_to
    from volunteers import dashboard

    rows = dashboard.per_division(list(divisions_visible_to(user)))
    totals = dashboard.summary_parts(division_in_view(user))
    labels = [row["division"].name for row in rows]
    sites = totals["practice_sites"]
    charts = {
        "volunteers": {
            "labels": labels,
            "datasets": [
                _bar("注册志愿者", [r["registered"] for r in rows], "#a4161a"),
                _bar("有服务时长", [r["with_service_hours"] for r in rows], "#e5989b"),
            ],
        },
        "rates": {
            "labels": labels,
            "datasets": [
                _bar("活跃度 %", [r["activity_rate"] for r in rows], "#6a994e"),
                _bar("满意率 %", [r["satisfaction_rate"] for r in rows], "#386641"),
            ],
        },
        "sites": {
            "labels": [SiteLevel.CENTRE.label, SiteLevel.INSTITUTE.label, SiteLevel.STATION.label],
            "datasets": [
                _bar(
                    "阵地数", [sites["centre"], sites["institute"], sites["station"]], ["#a4161a", "#e5989b", "#ffb4a2"]
                )
            ],
        },
    }
    return {"rows": rows, "city": totals, "charts": charts, "as_of": timezone.localdate()}
