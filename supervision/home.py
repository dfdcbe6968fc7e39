"""The supervision cards' section of the home page."""

from supervision import selectors


def home_context(request) -> dict:
    user = request.user
    inbox = selectors.supervision_card_inbox(user)
    visible = selectors.supervision_cards_visible_to(user)
    if user.is_officer:
        visible = visible.filter(assignee_unit_id=user.unit_id)
    return {
        "supervision_inbox": list(inbox[:5]),
        "supervision_inbox_count": inbox.count(),
        "supervision_totals": selectors.supervision_card_totals(visible),
        "supervision_flagged": list(
            selectors.overdue_first(visible.filter(flagged_at__isnull=False).exclude(status="closed"))[:5]
        )
        if not user.is_officer
        else [],
    }
