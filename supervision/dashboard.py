"""The supervision cards' part of ``GET /api/v1/dashboard/summary/`` (and a column for the district table)."""

from django.db.models import Count, F, Q
from django.utils import timezone

from supervision.choices import FINISHED_STATUSES, CardStatus
from supervision.models import SupervisionCard
from supervision.selectors import supervision_card_totals


def summary_parts(division) -> dict:
    cards = SupervisionCard.objects.all()
    if division is not None:
        cards = cards.filter(division=division)
    totals = supervision_card_totals(cards)
    return {
        "supervision_cards": {
            "open": totals["open"],
            "overdue": totals["overdue"],
            "closed": totals["closed"],
            "on_time_rate": totals["on_time_rate"],
        }
    }


def district_columns(divisions) -> dict:
    today = timezone.localdate()
    closed = Q(status=CardStatus.CLOSED)
    rows = (
        SupervisionCard.objects.filter(division__in=divisions)
        .order_by()
        .values("division_id")
        .annotate(
            closed=Count("id", filter=closed),
            on_time=Count("id", filter=closed & Q(closed_at__date__lte=F("deadline"))),
            overdue=Count("id", filter=~Q(status__in=FINISHED_STATUSES) & Q(deadline__lt=today)),
        )
    )
    # A division with no card closed or overdue has no rate yet (None), not a rate of zero.
    columns = {d.id: {"supervision_on_time_rate": None, "supervision_overdue": 0} for d in divisions}
    for row in rows:
        denominator = row["closed"] + row["overdue"]
        columns[row["division_id"]] = {
            "supervision_on_time_rate": round(row["on_time"] * 100.0 / denominator, 1) if denominator else None,
            "supervision_overdue": row["overdue"],
        }
    return columns
