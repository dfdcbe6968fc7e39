"""Who sees what: the one place that says it (NetBox's ``restrict(user, action)``).

Headquarters, supervisors, city leaders and read-only clients read the whole city; an officer reads and changes only
their own unit's and their own division's records.

Inside a division not every officer acts for it: an officer of a community (社区/村, :func:`acts_for_division` false) —
a volunteer team's leader, say — reads the division's lists like any officer of it, but decides and reads people's
personal data only for what they themselves lead: their own team's members and their own team's service records
(volunteers/privacy.py, volunteers/workflows.py). A task's owner is chosen from the people who can see the task, so
an owner never owns what they cannot open (campaigns/services.py). Pages and API views both go through :func:`restrict`; apps add
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


def acts_for_division(user) -> bool:
    """Whether ``user`` acts for their whole division: headquarters, or an officer who is not a community's."""
    from campaigns.choices import UnitKind

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_headquarters:
        return True
    return user.is_officer and user.unit_id is not None and user.unit.kind != UnitKind.COMMUNITY


def divisions_visible_to(user) -> QuerySet:
    """The divisions whose figures ``user`` may read: the whole city, or an officer's own division."""
    from campaigns.models import Division

    return restrict(Division.objects.all(), user, division="pk", unit=None)


def division_in_view(user, requested=None):
    """The division a page's or an endpoint's figures are narrowed to, or None for the whole city.

    ``requested`` is the raw ``?division=`` value. An officer always reads their own division; asking for another,
    or for one that does not exist, is a 404 — the same answer, so nothing is learnt about other divisions.
    """
    from django.http import Http404

    visible = divisions_visible_to(user)
    if requested in (None, ""):
        # An officer of a city department has no division: their figures are the city's, like headquarters'.
        return visible.first() if user.is_authenticated and not user.sees_whole_city else None
    if not str(requested).isdigit():
        raise Http404("区县不存在。")
    division = visible.filter(pk=int(requested)).first()
    if division is None:
        raise Http404("区县不存在。")
    return division
