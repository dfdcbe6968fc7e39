"""The inspections' section of the home page: the problems waiting for this user, next to the cards."""

from inspections import selectors


def home_context(request) -> dict:
    user = request.user
    inbox = selectors.problem_inbox(user)
    visible = selectors.problems_visible_to(user)
    return {
        "inspections_inbox": list(inbox[:5]),
        "inspections_inbox_count": inbox.count(),
        "inspections_totals": selectors.problem_totals(visible),
    }
