"""The problems awaiting a person, for the one inbox (campaigns/registry.py ``inbox``)."""

from django.urls import reverse

from inspections import selectors


def inbox_items(user, limit: int) -> dict:
    problems = selectors.problem_inbox(user)
    return {
        "kind": "问题",
        "total": problems.count(),
        "url": reverse("inspections-problem-inbox"),
        "items": [
            {
                "kind": "问题",
                "title": f"{problem.point.name}：{problem.standard.code} {problem.standard.text}",
                "subtitle": f"{problem.division} · {problem.responsible_unit}",
                "url": reverse("inspections-problem-detail", args=[problem.pk]),
                "status": problem.status,
                "status_display": problem.get_status_display(),
                "deadline": problem.deadline,
                "is_overdue": problem.is_overdue,
                "days_overdue": problem.days_overdue,
            }
            for problem in problems[:limit]
        ],
    }
