"""Supervision cards' part of the cockpit (驾驶舱, ``campaigns/cockpit.py``): open and overdue cards now and a week
ago, the cards by status at the end of each week, and the cards at escalation step 3 or 7 (逾期三日已标记、逾期七日列入通报).

"A week ago" is read back from the cards' own dates: a card was open at an instant when it had been issued and was not
yet closed (``closed_at``) or withdrawn (``status_changed_at`` of a withdrawn card is its withdrawal); overdue when its
deadline — as it stands today, after any extension — had passed. A city leader's scope holds the cards they are
responsible for (``responsible_leader``). One aggregate for the figures and the chart together.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from campaigns.cockpit import TODO_ITEMS, chart, figure, todo
from supervision.choices import FINISHED_STATUSES, CardStatus
from supervision.models import SupervisionCard


def open_at(moment) -> Q:
    """Cards open at ``moment``: issued before it and neither closed nor withdrawn before it."""
    still_open = ~Q(status__in=FINISHED_STATUSES)
    closed_later = Q(status=CardStatus.CLOSED, closed_at__gte=moment)
    withdrawn_later = Q(status=CardStatus.WITHDRAWN, status_changed_at__gte=moment)
    return Q(issued_at__lt=moment) & (still_open | closed_later | withdrawn_later)


def overdue_at(moment, day) -> Q:
    """Cards open at ``moment`` whose deadline was before ``day`` (the local date of that moment)."""
    return open_at(moment) & Q(deadline__lt=day)


def cockpit_parts(scope) -> dict:
    cards = SupervisionCard.objects.order_by()
    if scope.division is not None:
        cards = cards.filter(division=scope.division)
    if scope.leader is not None:
        cards = cards.filter(responsible_leader=scope.leader)
    now, week_ago = scope.now, scope.week_ago
    today, day_week_ago = scope.today, scope.today - timedelta(days=7)
    weeks = [(label, min(end, now)) for label, _, end in scope.week_bounds()]
    counts = cards.aggregate(
        open=Count("id", filter=open_at(now)),
        open_before=Count("id", filter=open_at(week_ago)),
        overdue=Count("id", filter=overdue_at(now, today)),
        overdue_before=Count("id", filter=overdue_at(week_ago, day_week_ago)),
        **{
            f"{name}_w{n}": Count("id", filter=condition)
            for n, (_, end) in enumerate(weeks)
            for name, condition in _week_end_states(end).items()
        },
    )
    datasets = [
        {
            "label": "在办（未逾期）",
            "data": [counts[f"running_w{n}"] for n in range(len(weeks))],
            "backgroundColor": "#6a994e",
        },
        {
            "label": "逾期未办结",
            "data": [counts[f"overdue_w{n}"] for n in range(len(weeks))],
            "backgroundColor": "#a4161a",
        },
        {
            "label": "累计销号",
            "data": [counts[f"closed_w{n}"] for n in range(len(weeks))],
            "backgroundColor": "#adb5bd",
        },
    ]
    escalated = cards.filter(overdue_at(now, today), flagged_at__isnull=False)
    rows = list(escalated.select_related("assignee_unit").order_by("deadline", "id")[:TODO_ITEMS])
    return {
        "figures": [
            figure(
                "cards_open",
                "在办督办卡",
                counts["open"],
                counts["open_before"],
                better="down",
                url=scope.url("supervision-card-list", open="true", leader=scope.leader_id),
            ),
            figure(
                "cards_overdue",
                "逾期督办卡",
                counts["overdue"],
                counts["overdue_before"],
                better="down",
                url=scope.url("supervision-card-list", overdue="true", leader=scope.leader_id),
            ),
        ],
        "charts": [
            chart(
                "cards_by_status",
                "督办卡状态（各周末）",
                "stacked",
                [label for label, _ in weeks],
                datasets,
                url=scope.url("supervision-card-list", leader=scope.leader_id),
            )
        ],
        "todo": [
            todo(
                "escalated_cards",
                "逾期三日、七日的督办卡",
                escalated.count(),
                [
                    {
                        "label": f"{card.number} {card.title}",
                        "note": ("已列入通报" if card.circular_listed_at else "逾期三日已标记")
                        + f" · {card.assignee_unit} · 时限 {card.deadline:%m-%d}",
                        "url": reverse("supervision-card-detail", args=[card.pk]),
                    }
                    for card in rows
                ],
                url=scope.url("supervision-card-list", flagged="true", overdue="true", leader=scope.leader_id),
            )
        ],
    }


def _week_end_states(end) -> dict[str, Q]:
    """The card states counted at a chart week's end: running (not yet due), overdue, and closed so far."""
    day = timezone.localtime(end).date()
    return {
        "running": open_at(end) & Q(deadline__gte=day),
        "overdue": overdue_at(end, day),
        "closed": Q(status=CardStatus.CLOSED, closed_at__lt=end),
    }
