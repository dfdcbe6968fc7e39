"""The supervision cards awaiting a person, for the one inbox (campaigns/registry.py ``inbox``)."""

from django.urls import reverse

from supervision import selectors


def inbox_items(user, limit: int) -> dict:
    cards = selectors.supervision_card_inbox(user)
    return {
        "kind": "督办卡",
        "total": cards.count(),
        "url": reverse("supervision-inbox"),
        "items": [
            {
                "kind": "督办卡",
                "title": f"{card.number} · {card.title}",
                "subtitle": str(card.assignee_unit),
                "url": reverse("supervision-card-detail", args=[card.pk]),
                "status": card.status,
                "status_display": card.get_status_display(),
                "deadline": card.deadline,
                "is_overdue": card.is_overdue,
                "days_overdue": card.days_overdue,
            }
            for card in cards[:limit]
        ],
    }
