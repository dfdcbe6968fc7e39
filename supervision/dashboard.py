"""The supervision cards' part of ``GET /api/v1/dashboard/summary/`` (and a column for the district table).

Counted from the rows on each read, not kept in counters: "overdue" is a fact of today's date (a card becomes overdue
at midnight without any write), so a counter would need its own sweep and would be wrong between sweeps; and the
volume is bounded — about 2,000 cards a year — so one aggregate over the ``card_division_status`` /
``card_status_deadline`` indexes stays within a millisecond or two at the city's scale."""

from datetime import timedelta

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


def district_columns(divisions, period=None) -> dict:
    """``supervision_on_time_rate`` = closed on time ÷ (closed + open overdue), and ``supervision_overdue``.

    Without a period: every card, overdue as of today. For a ``period``: the cards closed within it and those still
    open and overdue at its end (a card closed after the period's end counts as open then)."""
    closed = Q(status=CardStatus.CLOSED)
    cards = SupervisionCard.objects.filter(division__in=divisions).order_by()
    if period is None:
        today = timezone.localdate()
        closed_in_scope = closed
        open_at_end = ~Q(status__in=FINISHED_STATUSES)
    else:
        today = min(timezone.localdate(), period.last_day + timedelta(days=1))
        closed_in_scope = closed & Q(closed_at__gte=period.start, closed_at__lt=period.end)
        open_at_end = Q(issued_at__lt=period.end) & (~Q(status__in=FINISHED_STATUSES) | Q(closed_at__gte=period.end))
    rows = cards.values("division_id").annotate(
        closed=Count("id", filter=closed_in_scope),
        on_time=Count("id", filter=closed_in_scope & Q(closed_at__date__lte=F("deadline"))),
        overdue=Count("id", filter=open_at_end & Q(deadline__lt=today)),
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
