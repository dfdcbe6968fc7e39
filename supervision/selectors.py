"""Reads of supervision cards. Everything that lists or fetches cards for a user goes through
supervision_cards_visible_to."""

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from campaigns.scoping import restrict
from supervision.choices import FINISHED_STATUSES, CardStatus, ExtensionStatus
from supervision.models import CardAttachment, CardTransition, ExtensionRequest, SupervisionCard


def supervision_cards_visible_to(user):
    """The base rule (campaigns.scoping): officers see their unit's and their division's cards, others the city."""
    return restrict(
        SupervisionCard.objects.select_related("assignee_unit", "division", "issued_by", "responsible_leader"),
        user,
        division="division",
        unit="assignee_unit",
    )


def supervision_cards_with_history(queryset):
    """Prefetch what the API and the card page show: transitions (with actors and photos) and extensions."""
    return queryset.prefetch_related(
        Prefetch(
            "transitions",
            queryset=CardTransition.objects.select_related("actor").prefetch_related(
                Prefetch("attachments", queryset=CardAttachment.objects.order_by("kind", "id"))
            ),
        ),
        Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by")),
    )


def overdue_first(queryset, today=None):
    today = today or timezone.localdate()
    return queryset.annotate(
        overdue_rank=Case(
            When(Q(deadline__lt=today) & ~Q(status__in=FINISHED_STATUSES), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", "deadline", "id")


def supervision_card_inbox(user):
    """What waits for this user: an officer's unit's open cards; the issuer's (or headquarters') cards to verify or
    with an extension to decide; a leader's cards where they are the responsible leader. Overdue first."""
    cards = supervision_cards_visible_to(user)
    if user.is_officer:
        cards = cards.filter(assignee_unit_id=user.unit_id).exclude(status__in=FINISHED_STATUSES)
    elif user.is_headquarters or user.is_supervisor:
        waiting = Q(status=CardStatus.SUBMITTED) | Q(extensions__status=ExtensionStatus.PENDING)
        if not user.is_headquarters:
            waiting &= Q(issued_by=user)
        cards = cards.filter(waiting).distinct()
    elif user.is_leader:
        cards = cards.filter(responsible_leader=user).exclude(status__in=FINISHED_STATUSES)
    else:
        cards = cards.none()
    return overdue_first(cards)


def supervision_card_totals(queryset, today=None) -> dict:
    """Open, overdue, closed and the on-time rate = closed on time ÷ (closed + open overdue), in per cent."""
    today = today or timezone.localdate()
    closed = Q(status=CardStatus.CLOSED)
    is_open = ~Q(status__in=FINISHED_STATUSES)  # a withdrawn card counts neither as open nor as closed
    row = queryset.order_by().aggregate(
        open=Count("id", filter=is_open),
        overdue=Count("id", filter=is_open & Q(deadline__lt=today)),
        closed=Count("id", filter=closed),
        closed_on_time=Count("id", filter=closed & Q(closed_at__date__lte=F("deadline"))),
        flagged=Count("id", filter=is_open & Q(flagged_at__isnull=False)),
    )
    denominator = row["closed"] + row["overdue"]
    row["on_time_rate"] = round(row["closed_on_time"] * 100.0 / denominator, 1) if denominator else 0.0
    return row


def cards_listed_for_circular(listed_since=None):
    """Cards seven days overdue that the escalation sweep listed for the next circular (通报), oldest first.

    For whoever drafts the circular: pass the date of the last circular to get only what is new since then."""
    cards = SupervisionCard.objects.filter(circular_listed_at__isnull=False).select_related("assignee_unit", "division")
    if listed_since is not None:
        cards = cards.filter(circular_listed_at__gte=listed_since)
    return cards.order_by("circular_listed_at", "id")
