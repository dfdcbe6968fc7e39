"""Period scoping shared by the league table's inspection columns, the lists its figures link to and the circular.

A period's score rate counts the visits made within it. Its on-time closure rate counts the problems closed within it
and those still open and overdue at its end (a problem closed after the end counts as open then); the problem list
behind the figure (``?period=``) shows those and the problems found within the period.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from inspections.choices import ProblemStatus


def visits_in(queryset, period=None):
    """Visits made within ``period`` (all of them without one)."""
    if period is None:
        return queryset
    return queryset.filter(inspected_at__gte=period.start, inspected_at__lt=period.end)


def problem_scope(period=None) -> tuple[Q, Q, Q, Q]:
    """(closed in scope, open at the end, open and overdue at the end, any in scope) for a period, or as of now."""
    closed = Q(status=ProblemStatus.CLOSED)
    if period is None:
        today = timezone.localdate()
        closed_in_scope = closed
        open_at_end = ~closed
        in_scope = Q()
    else:
        today = min(timezone.localdate(), period.last_day + timedelta(days=1))
        closed_in_scope = closed & Q(closed_at__gte=period.start, closed_at__lt=period.end)
        open_at_end = Q(found_at__lt=period.end) & (~closed | Q(closed_at__gte=period.end))
        in_scope = closed_in_scope | open_at_end & Q(found_at__gte=period.start) | open_at_end & Q(deadline__lt=today)
    overdue = open_at_end & Q(deadline__lt=today)
    return closed_in_scope, open_at_end, overdue, in_scope


def problems_in(queryset, period=None):
    """The problems a period's closure rate counts: closed within it, found within it, or open and overdue at its end."""
    return queryset.filter(problem_scope(period)[3])
