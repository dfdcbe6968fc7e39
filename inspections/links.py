"""The problems raised into a supervision card (``Problem.supervision_card``, reverse name ``problems``), shown on the
card's page and in its API through the registry (campaigns/registry.py ``LinkedRecords``): supervision stands below
inspections and imports nothing from it.
"""

from django.db.models import Prefetch
from django.urls import reverse

from campaigns.registry import LinkedRecords
from inspections import selectors


def _visible_problems(user):
    return selectors.problems_visible_to(user).order_by("found_at", "id")


def card_problems_prefetch(user) -> Prefetch:
    """The card's problems that ``user`` may see, in one query for a whole page of cards."""
    return Prefetch("problems", queryset=_visible_problems(user))


def card_problem_rows(card, user) -> list[dict]:
    prefetched = getattr(card, "_prefetched_objects_cache", {})
    problems = (
        prefetched["problems"] if "problems" in prefetched else _visible_problems(user).filter(supervision_card=card)
    )
    return [
        {
            "id": problem.pk,
            "label": f"{problem.point.name} · {problem.standard.code}",
            "status": problem.status,
            "status_display": problem.get_status_display(),
            "url": reverse("inspections-problem-detail", args=[problem.pk]),
        }
        for problem in problems
    ]


CARD_PROBLEMS = LinkedRecords(
    model="supervision.SupervisionCard",
    name="problems",
    heading="关联问题",
    template="inspections/_card_problems.html",
    prefetch=card_problems_prefetch,
    rows=card_problem_rows,
)
