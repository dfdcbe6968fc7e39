"""The holder's part of the home page: their reminder cards and the reports they still owe."""

from taskforces import selectors
from taskforces.choices import ReportStatus


def home_context(request) -> dict:
    user = request.user
    cards = list(selectors.cards_held_by(user)[:6])
    owed = list(
        selectors.reports_held_by(user)
        .filter(status__in=[ReportStatus.EXPECTED, ReportStatus.RETURNED])
        .order_by("due_at")[:8]
    )
    return {"held_cards": cards, "owed_reports": owed}
