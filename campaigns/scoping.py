"""Who sees what: the one place that says it (NetBox's ``restrict(user, action)``).

Headquarters, supervisors, city leaders and read-only clients read the whole city; an officer reads and changes only
their own unit's and their own division's records. Pages and API views both go through :func:`restrict`; apps add
their own selectors on top of it (for example a leader's reminder cards) rather than re-deciding the rule.
"""

from django.db.models import Q, QuerySet


def restrict(
    queryset: QuerySet, user, *, division: str | None = "division", unit: str | None = "unit", also: Q | None = None
) -> QuerySet:
    """Narrow ``queryset`` to what ``user`` may see.

    ``division`` and ``unit`` are the lookups from the model to its division and unit (``None`` where the model has
    none); ``also`` widens an officer's view by a further condition (a task's co-units, say).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_whole_city:
        return queryset
    condition = Q(pk__in=[])
    if unit and user.unit_id:
        condition |= Q(**{unit: user.unit_id})
    if division and user.division_id:
        condition |= Q(**{division: user.division_id})
    if also is not None:
        condition |= also
    return queryset.filter(condition)


def may_change(user, obj_division_id: int | None, obj_unit_id: int | None) -> bool:
    """Whether ``user`` may change a record of this division and unit: headquarters anywhere, an officer at home."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_headquarters:
        return True
    if not user.is_officer:
        return False
    return (obj_unit_id is not None and obj_unit_id == user.unit_id) or (
        obj_division_id is not None and obj_division_id == user.division_id
    )
