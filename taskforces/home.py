"""The home page's reporting part: a holder's cards and owed reports; for headquarters, what awaits review."""

from taskforces import selectors
from taskforces.choices import ReportStatus


def home_context(request) -> dict:
    user = request.user
    context = {
        "held_cards": list(selectors.cards_held_by(user)[:6]),
        "owed_reports": list(
            selectors.reports_held_by(user)
            .filter(status__in=[ReportStatus.EXPECTED, ReportStatus.RETURNED])
            .order_by("due_at")[:8]
        ),
    }
    if user.is_headquarters:
        context["report_round"] = selectors.report_round_summary()
        context["awaiting_review"] = selectors.reports_visible_to(user).filter(status=ReportStatus.SUBMITTED).count()
    return context
