"""The counters behind the dashboard: one row per division, changed by increments inside the writing transaction.

A write never recounts. Each counted row *contributes* to its division's counters (``contribution``): a volunteer
counts as one ``registered`` and, once their confirmed hours are above zero, one ``with_service_hours``; a team, a
project, a rating (and a satisfied one), a site of each level likewise. A service compares an object's contribution
before and after its change and ``apply``-s the difference as ``UPDATE … SET n = n + delta`` — one statement per
division touched, which locks that one counter row until the commit and nothing else. Two confirmations in a
division therefore queue only for the instant between their UPDATE and their commit, never behind a 60 ms count.

``batched()`` collects the deltas of many writes (an Excel import) and applies them once per division at the end.

``recount`` is the other half: the nightly sweep (``volunteers-counters-recount``, also ``manage.py
recount_counters``) counts every division from the rows under the counter row's lock, reports what drifted and
repairs it. The seed, which writes its bulk with COPY and no services, recounts once at the end.

``keep_day`` keeps the two rates' counters as they stood on a day (``DivisionVolunteerDay``, written by the nightly
recount once it has repaired them), so the cockpit can show the change since last week; ``counted_on`` counts the same
figures for a past day from the rows' own dates, for the demo's lived-in history.
"""

from collections import Counter, defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

import structlog
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from campaigns.models import Division
from campaigns.periods import _midnight
from volunteers.choices import RecordStatus, SiteLevel
from volunteers.models import (
    DivisionVolunteerDay,
    DivisionVolunteerStats,
    PracticeSite,
    Rating,
    ServiceProject,
    ServiceRecord,
    Volunteer,
    VolunteerTeam,
)

logger = structlog.get_logger(__name__)

FIELDS = [
    "registered",
    "with_service_hours",
    "teams",
    "projects",
    "ratings",
    "satisfied_ratings",
    "centres",
    "institutes",
    "stations",
]
SITE_FIELD = {SiteLevel.CENTRE: "centres", SiteLevel.INSTITUTE: "institutes", SiteLevel.STATION: "stations"}

# {division_id: Counter(field -> delta)} while a ``batched()`` block is open, else None.
_pending: ContextVar[dict | None] = ContextVar("volunteer_stats_pending", default=None)


# --- what a row counts for -----------------------------------------------------------------------------------------


def contribution(obj) -> dict[int, Counter]:
    """``{division_id: Counter(field -> n)}``: what ``obj`` adds to the dashboard's counters while it exists."""
    counts = Counter()
    if isinstance(obj, Volunteer):
        counts["registered"] = 1
        counts["with_service_hours"] = int(obj.confirmed_hours > 0)
    elif isinstance(obj, VolunteerTeam):
        counts["teams"] = 1
    elif isinstance(obj, ServiceProject):
        counts["projects"] = 1
    elif isinstance(obj, Rating):
        counts["ratings"] = 1
        counts["satisfied_ratings"] = int(bool(obj.satisfied))
    elif isinstance(obj, PracticeSite):
        counts[SITE_FIELD[obj.level]] = 1
    else:
        return {}
    return {obj.division_id: counts}


def difference(before: dict[int, Counter], after: dict[int, Counter]) -> dict[int, Counter]:
    """after − before, per division and field (negative values kept: a volunteer leaving a division)."""
    out = defaultdict(Counter)
    for division_id, counts in after.items():
        for field, n in counts.items():
            out[division_id][field] += n
    for division_id, counts in before.items():
        for field, n in counts.items():
            out[division_id][field] -= n
    return {d: Counter({f: n for f, n in c.items() if n}) for d, c in out.items()}


def negated(deltas: dict[int, Counter]) -> dict[int, Counter]:
    return difference(deltas, {})


def summed(parts) -> dict[int, Counter]:
    """The sum of several ``{division_id: Counter}``."""
    out = defaultdict(Counter)
    for part in parts:
        for division_id, counts in part.items():
            out[division_id].update(counts)
    return dict(out)


# --- applying deltas -------------------------------------------------------------------------------------------------


def apply(deltas: dict[int, Counter]) -> None:
    """Add ``deltas`` to the counter rows: one UPDATE per division, in division order (no deadlock between two writers
    touching the same two divisions). Inside ``batched()`` they are only collected."""
    deltas = {d: c for d, c in deltas.items() if d is not None and any(c.values())}
    if not deltas:
        return
    pending = _pending.get()
    if pending is not None:
        for division_id, counts in deltas.items():
            pending[division_id].update(counts)
        return
    for division_id in sorted(deltas):
        _update(division_id, deltas[division_id])


def add(obj) -> None:
    """``obj`` was created: count it."""
    apply(contribution(obj))


def remove(obj) -> None:
    """``obj`` is being deleted: uncount it."""
    apply(negated(contribution(obj)))


def _update(division_id: int, counts: Counter) -> None:
    changes = {field: F(field) + n for field, n in counts.items() if n}
    if not changes:
        return
    if DivisionVolunteerStats.objects.filter(division_id=division_id).update(**changes):
        return
    # The division has no counter row yet (a division created after the seed): make one from the rows, which already
    # hold this write, so nothing is added on top.
    recount([division_id], repair=True, report=False)


@contextmanager
def batched():
    """Collect the deltas of every write inside the block and apply them once per division when it ends.

    Use inside the block's transaction (an import's): the deltas are applied before the transaction commits."""
    if _pending.get() is not None:  # nested: the outer block applies
        yield
        return
    token = _pending.set(defaultdict(Counter))
    try:
        yield
        collected = _pending.get()
    finally:
        _pending.reset(token)
    apply(collected)


# --- the recount -----------------------------------------------------------------------------------------------------


def _counts_by_division(queryset, **aggregates):
    return {row.pop("division_id"): row for row in queryset.values("division_id").annotate(**aggregates).order_by()}


def counted(division_ids) -> dict[int, dict[str, int]]:
    """The true figures of ``division_ids``, counted from the rows (indexed counts)."""
    ids = list(division_ids)
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
    out = {}
    for division_id in ids:
        site = sites.get(division_id, {})
        rating = ratings.get(division_id, {})
        out[division_id] = {
            "registered": registered.get(division_id, {}).get("n", 0),
            "with_service_hours": active.get(division_id, {}).get("n", 0),
            "teams": teams.get(division_id, {}).get("n", 0),
            "projects": projects.get(division_id, {}).get("n", 0),
            "ratings": rating.get("n", 0),
            "satisfied_ratings": rating.get("satisfied", 0),
            "centres": site.get("centres", 0),
            "institutes": site.get("institutes", 0),
            "stations": site.get("stations", 0),
        }
    return out


def recount(division_ids=None, *, repair=True, report=True) -> list[dict]:
    """Count the divisions' figures from the rows and compare them with the counter rows; return the drift.

    Each division in its own short transaction: its counter row is locked first, so a writer that already added its
    delta has committed before the count reads the rows, and one that has not waits and adds on top of the repaired
    figure. Drift is a list of ``{"division_id", "division", "field", "counter", "counted"}``; with ``repair`` the
    counter row takes the counted figures. Each drifted figure is logged (``volunteer-counter-drift``)."""
    ids = sorted(Division.objects.values_list("id", flat=True) if division_ids is None else set(division_ids) - {None})
    names = dict(Division.objects.filter(id__in=ids).values_list("id", "name"))
    drift = []
    for division_id in ids:
        with transaction.atomic():
            DivisionVolunteerStats.objects.bulk_create(
                [DivisionVolunteerStats(division_id=division_id)], ignore_conflicts=True
            )
            row = DivisionVolunteerStats.objects.select_for_update().get(division_id=division_id)
            truth = counted([division_id])[division_id]
            found = [
                {
                    "division_id": division_id,
                    "division": names.get(division_id, str(division_id)),
                    "field": field,
                    "counter": getattr(row, field),
                    "counted": value,
                }
                for field, value in truth.items()
                if getattr(row, field) != value
            ]
            if repair:
                DivisionVolunteerStats.objects.filter(division_id=division_id).update(
                    **truth, refreshed_at=timezone.now()
                )
        if report:
            for item in found:
                logger.warning("volunteer-counter-drift", repaired=repair, **item)
        drift.extend(found)
    return drift


def refresh_all() -> None:
    """Recount every division without reporting (after the seed's bulk COPY, when no counter was kept)."""
    recount(repair=True, report=False)


# --- the days kept for last week's figures ---------------------------------------------------------------------------

DAY_FIELDS = ["registered", "with_service_hours", "ratings", "satisfied_ratings"]


def keep_day(day, figures: dict[int, dict] | None = None) -> None:
    """Keep ``figures`` (``{division_id: {field: n}}``; by default the counter rows as they stand) as ``day``'s. Kept
    twice, the later figures stand."""
    if figures is None:
        figures = {row["division_id"]: row for row in DivisionVolunteerStats.objects.values("division_id", *DAY_FIELDS)}
    DivisionVolunteerDay.objects.bulk_create(
        [
            DivisionVolunteerDay(division_id=division_id, day=day, **{f: row.get(f, 0) for f in DAY_FIELDS})
            for division_id, row in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["day", "division"],
        update_fields=DAY_FIELDS,
    )


def counted_on(day) -> dict[int, dict[str, int]]:
    """The rates' figures at the end of ``day``, counted from the rows' own dates: volunteers registered by then, those
    with a stint confirmed by then, and the ratings given by then. Four grouped counts over the whole city."""
    end = _midnight(day + timedelta(days=1))
    registered = _counts_by_division(Volunteer.objects.filter(registered_at__lte=day), n=Count("id"))
    confirmed_by_then = ServiceRecord.objects.filter(
        volunteer=OuterRef("pk"), status=RecordStatus.CONFIRMED, decided_at__lt=end
    )
    active = _counts_by_division(
        Volunteer.objects.filter(registered_at__lte=day).filter(Exists(confirmed_by_then)), n=Count("id")
    )
    ratings = _counts_by_division(
        Rating.objects.filter(created_at__lt=end), n=Count("id"), satisfied=Count("id", filter=Q(satisfied=True))
    )
    return {
        division_id: {
            "registered": registered.get(division_id, {}).get("n", 0),
            "with_service_hours": active.get(division_id, {}).get("n", 0),
            "ratings": ratings.get(division_id, {}).get("n", 0),
            "satisfied_ratings": ratings.get(division_id, {}).get("satisfied", 0),
        }
        for division_id in Division.objects.values_list("id", flat=True)
    }
