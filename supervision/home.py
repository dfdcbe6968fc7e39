"""The supervision cards' section of the home page."""

from campaigns.scoping import restrict
from supervision import selectors
from supervision.choices import FINISHED_STATUSES


def home_context(request) -> dict:
    user = request.user
    inbox = selectors.supervision_card_inbox(user)
    # An officer's home shows their own unit's cards; the whole city's for everyone else.
    visible = restrict(selectors.supervision_cards_visible_to(user), user, division=None, unit="assignee_unit")
    return {
        "supervision_inbox": list(inbox[:5]),
        "supervision_inbox_count": inbox.count(),
        "supervision_totals": selectors.supervision_card_totals(visible),
        "supervision_flagged": list(
            selectors.overdue_first(visible.filter(flagged_at__isnull=False).exclude(status__in=FINISHED_STATUSES))[:5]
        )
        if not user.is_officer
        else [],
    }
