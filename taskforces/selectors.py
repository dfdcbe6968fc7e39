"""Reads of reminder cards and reports, scoped through campaigns.scoping.restrict with narrower rules on top."""

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Division
from campaigns.scoping import restrict
from taskforces import periods
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import ReminderCard, Report


def reminder_cards_visible_to(user):
    """Officers: cards of their unit or division (restrict). Leaders: only the cards addressed to them."""
    cards = restrict(
        ReminderCard.objects.select_related("recipient_unit__division", "recipient_leader", "issued_by"),
        user,
        division="recipient_unit__division",
        unit="recipient_unit",
    )
    if user.is_authenticated and user.is_leader:
        cards = cards.filter(recipient_leader=user)
    return cards


def report_label(report) -> str:
    """How a report is named in a bulk action's answer: 平城区人民政府 2022-W34周一总结."""
    return f"{report.holder_name} {report.period}{report.get_kind_display()}"


def reports_visible_to(user):
    """Officers: reports of their unit or division (restrict). Leaders: only the reports they hold in person."""
    reports = restrict(
        Report.objects.select_related("unit__division", "leader", "submitted_by"),
        user,
        division="unit__division",
        unit="unit",
    )
    if user.is_authenticated and user.is_leader:
        reports = reports.filter(leader=user)
    return reports


def cards_held_by(user):
    """The active cards a person answers for: addressed to them as leader, or to their unit."""
    if not user.is_authenticated:
        return ReminderCard.objects.none()
    condition = Q(recipient_leader=user)
    if user.is_officer and user.unit_id:
        condition |= Q(recipient_unit_id=user.unit_id)
    return ReminderCard.objects.filter(condition, active=True).select_related("recipient_unit", "recipient_leader")


def reports_held_by(user):
    if not user.is_authenticated:
        return Report.objects.none()
    condition = Q(leader=user)
    if user.is_officer and user.unit_id:
        condition |= Q(unit_id=user.unit_id, leader__isnull=True)
    return Report.objects.filter(condition).select_related("unit", "leader")


def report_counts(reports, now: datetime | None = None) -> dict:
    """expected (all slots), submitted (submitted or later, or returned), late, missing — one query."""
    now = now or timezone.now()
    row = reports.order_by().aggregate(
        expected=Count("id"),
        submitted=Count("id", filter=~Q(status=ReportStatus.EXPECTED)),
        late=Count("id", filter=Q(is_late=True)),
        missing=Count("id", filter=Q(status=ReportStatus.EXPECTED, due_at__lt=now)),
    )
    return row


def report_round_summary(division: Division | None = None, now: datetime | None = None) -> dict:
    """The dashboard's ``reports``: the weekly round due this ISO week (the summary of the week before)."""
    now = now or timezone.now()
    period = periods.round_period(ReportKind.WEEKLY, now)
    reports = Report.objects.filter(kind=ReportKind.WEEKLY, period=period)
    if division is not None:
        reports = reports.filter(unit__division=division)
    return {"period": period, **report_counts(reports, now)}


def punctuality_by_division(
    divisions, now: datetime | None = None, *, due_from: datetime | None = None
) -> dict[int, float | None]:
    """Per division: reports submitted on time ÷ reports whose deadline has passed, in per cent (None when none).

    With ``due_from``, only reports due in [due_from, now): a league-table period passes its start and end."""
    now = now or timezone.now()
    reports = Report.objects.filter(unit__division__in=divisions, due_at__lt=now)
    if due_from is not None:
        reports = reports.filter(due_at__gte=due_from)
    rows = (
        reports.order_by()
        .values("unit__division")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=~Q(status=ReportStatus.EXPECTED) & Q(is_late=False)),
        )
    )
    result = {d.pk: None for d in divisions}
    for row in rows:
        result[row["unit__division"]] = round(row["on_time"] * 100.0 / row["due"], 1) if row["due"] else None
    return result


def board(kind: str, period: str, user) -> list[Report]:
    """Headquarters' submission board: every holder's report of one period (holders without a slot do not owe one)."""
    return list(
        reports_visible_to(user)
        .filter(kind=kind, period=period)
        .select_related("unit__division", "leader")
        .order_by("unit__division__code", "unit__name", "leader__display_name")
    )


def board_matrix(kind: str, period_labels: list[str], user) -> tuple[list[dict], list[str]]:
    """Holders × periods: rows of {holder, cells: [report or None per period]}, newest period first."""
    reports = (
        reports_visible_to(user)
        .filter(kind=kind, period__in=period_labels)
        .select_related("unit__division", "leader")
        .order_by("unit__division__code", "unit__name")
    )
    rows: dict[tuple, dict] = {}
    for report in reports:
        key = (report.unit_id, report.leader_id)
        row = rows.setdefault(key, {"holder": report.holder_name, "unit": report.unit, "cells": {}})
        row["cells"][report.period] = report
    table = []
    for row in rows.values():
        table.append({**row, "cells": [row["cells"].get(label) for label in period_labels]})
    return table, period_labels


def board_periods(kind: str, offset: int, *, columns: int, now) -> list[str]:
    """The board's columns: the ``offset``-th page of past periods, the running one first on the newest page."""
    labels = periods.recent_periods(kind, now, columns * (offset + 1))[offset * columns :]
    if offset == 0:
        labels = [periods.running_period(kind, now), *labels[: columns - 1]]
    return labels


def board_counts(rows: list[dict], labels: list[str]) -> list[dict]:
    """Per period of the board: how many reports were expected, on time (or accepted), late, missing, returned."""
    counts = []
    for index, label in enumerate(labels):
        states = [row["cells"][index].board_state for row in rows if row["cells"][index] is not None]
        counts.append(
            {
                "period": label,
                "expected": len(states),
                "on_time": states.count("on_time") + states.count("accepted"),
                "late": states.count("late"),
                "missing": states.count("missing"),
                "returned": states.count("returned"),
            }
        )
    return counts
