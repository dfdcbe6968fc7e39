"""What a monthly briefing says: the past month's records of every app, read as of the month's end.

Every figure is of one month ``period`` (a ``campaigns.periods.Period``, Asia/Shanghai bounds) and is computed from the
records' own times, so a briefing rebuilt later says the same as the one the calendar built on the 1st:

- reports: those whose deadline fell within the month (and has passed); on time = submitted and not late;
- supervision cards and problems: issued/found and closed (销号) within the month by their timestamps; *overdue at the
  month's end* = deadline before the next month's first day, not closed by then (withdrawn cards left out);
- inspections: the visits of the month and their mean score rate;
- volunteers: registered by the month's end, new in the month, and the month's confirmed service (people and hours);
- the league table: ``campaigns.league.district_rows`` for the month, with the movement since the month before.

Each part is one or two aggregate queries whatever the size of the city (GROUP BY in PostgreSQL, nothing per row).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from campaigns.league import RANKED_RATES, district_rows
from campaigns.models import Division
from campaigns.periods import Period
from inspections.models import Inspection, Problem
from supervision.choices import CardStatus
from supervision.models import SupervisionCard
from taskforces.choices import ReportStatus
from taskforces.models import Report
from volunteers.choices import RecordStatus
from volunteers.models import ServiceRecord, Volunteer

#: the longest lists the briefing prints in full; beyond them it says how many more there are
LIST_LIMIT = 200


def rate(part: int, whole: int) -> float | None:
    """``part`` ÷ ``whole`` in per cent with one decimal, or None when there is nothing to divide."""
    return round(part * 100.0 / whole, 1) if whole else None


def _mean(row: dict) -> float | None:
    values = [row[name] for name in RANKED_RATES if row.get(name) is not None]
    return round(sum(values) / len(values), 1) if values else None


def report_punctuality(period: Period, now: datetime) -> list[dict]:
    """Per unit with reports due in the month: due, on time, late, missing and the on-time rate."""
    rows = (
        Report.objects.filter(due_at__gte=period.start, due_at__lt=min(now, period.end))
        .order_by()
        .values("unit", "unit__name", "unit__division__name", "unit__division__code")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=~Q(status=ReportStatus.EXPECTED) & Q(is_late=False)),
            late=Count("id", filter=~Q(status=ReportStatus.EXPECTED) & Q(is_late=True)),
            missing=Count("id", filter=Q(status=ReportStatus.EXPECTED)),
        )
    )
    units = [
        {
            "unit": row["unit__name"],
            "division": row["unit__division__name"] or "市直",
            "division_code": row["unit__division__code"] or "",
            "due": row["due"],
            "on_time": row["on_time"],
            "late": row["late"],
            "missing": row["missing"],
            "rate": rate(row["on_time"], row["due"]),
        }
        for row in rows
    ]
    return sorted(units, key=lambda u: (u["division_code"], u["unit"]))


def _card_rows(cards, period: Period) -> list[dict]:
    month_end = period.end.date()
    rows = []
    for card in cards[:LIST_LIMIT]:
        closed_on = timezone.localtime(card.closed_at).date() if card.closed_at else None
        rows.append(
            {
                "number": card.number,
                "title": card.title,
                "unit": card.assignee_unit.name,
                "deadline": card.deadline,
                "closed_on": closed_on,
                "on_time": closed_on is not None and closed_on <= card.deadline,
                "days_overdue": (month_end - card.deadline).days,
            }
        )
    return rows


def supervision_cards(period: Period) -> dict:
    start, end = period.start, period.end
    cards = SupervisionCard.objects.select_related("assignee_unit").order_by("deadline", "number")
    closed = cards.filter(closed_at__gte=start, closed_at__lt=end)
    overdue = (
        cards.filter(issued_at__lt=end, deadline__lt=end.date())
        .exclude(status=CardStatus.WITHDRAWN)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    )
    closed_rows = _card_rows(closed.order_by("closed_at", "number"), period)
    closed_count = closed.count()
    return {
        "issued": SupervisionCard.objects.filter(issued_at__gte=start, issued_at__lt=end).count(),
        "closed": closed_count,
        "closed_on_time": sum(1 for row in closed_rows if row["on_time"]),
        "overdue": overdue.count(),
        "closed_list": closed_rows,
        "overdue_list": _card_rows(overdue, period),
    }


def problems_by_division(period: Period, divisions) -> dict:
    start, end = period.start, period.end
    rows = (
        Problem.objects.order_by()
        .values("division")
        .annotate(
            found=Count("id", filter=Q(found_at__gte=start, found_at__lt=end)),
            closed=Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
            overdue=Count(
                "id",
                filter=Q(found_at__lt=end, deadline__lt=end.date())
                & (Q(closed_at__isnull=True) | Q(closed_at__gte=end)),
            ),
        )
    )
    by_division = {row["division"]: row for row in rows}
    table = [
        {
            "division": d.name,
            **{key: by_division.get(d.pk, {}).get(key, 0) for key in ("found", "closed", "overdue")},
        }
        for d in divisions
    ]
    totals = {key: sum(row[key] for row in table) for key in ("found", "closed", "overdue")}
    return {"rows": table, **totals}


def inspections_by_division(period: Period, divisions) -> dict:
    visits = Inspection.objects.filter(inspected_at__gte=period.start, inspected_at__lt=period.end).order_by()
    rows = {
        row["division"]: row for row in visits.values("division").annotate(count=Count("id"), mean=Avg("score_rate"))
    }
    city = visits.aggregate(count=Count("id"), mean=Avg("score_rate"))
    table = [
        {
            "division": d.name,
            "count": rows.get(d.pk, {}).get("count", 0),
            "score_rate": round(float(rows[d.pk]["mean"]), 1) if rows.get(d.pk, {}).get("mean") is not None else None,
        }
        for d in divisions
    ]
    mean = round(float(city["mean"]), 1) if city["mean"] is not None else None
    return {"rows": table, "count": city["count"], "score_rate": mean}


def volunteers_by_division(period: Period, divisions) -> dict:
    first, following = period.first_day, period.end.date()
    registered = {
        row["division"]: row
        for row in Volunteer.objects.filter(registered_at__lt=following)
        .order_by()
        .values("division")
        .annotate(total=Count("id"), new=Count("id", filter=Q(registered_at__gte=first)))
    }
    served = {
        row["division"]: row
        for row in ServiceRecord.objects.filter(status=RecordStatus.CONFIRMED, date__gte=first, date__lt=following)
        .order_by()
        .values("division")
        .annotate(active=Count("volunteer", distinct=True), hours=Sum("hours"))
    }
    table = []
    for d in divisions:
        total = registered.get(d.pk, {}).get("total", 0)
        active = served.get(d.pk, {}).get("active", 0)
        table.append(
            {
                "division": d.name,
                "registered": total,
                "new": registered.get(d.pk, {}).get("new", 0),
                "active": active,
                "hours": served.get(d.pk, {}).get("hours") or Decimal("0"),
                "activity_rate": rate(active, total),
            }
        )
    totals = {key: sum(row[key] for row in table) for key in ("registered", "new", "active", "hours")}
    return {"rows": table, **totals, "activity_rate": rate(totals["active"], totals["registered"])}


def league(period: Period, divisions) -> list[dict]:
    rows = district_rows(divisions, period=period)
    for row in rows:
        row["mean_rate"] = _mean(row)
    return rows


def briefing_contents(period: Period, now: datetime | None = None) -> dict:
    """Everything one month's briefing prints, as plain values (the PDF template and the charts read it)."""
    now = now or timezone.now()
    divisions = list(Division.objects.order_by("code"))
    units = report_punctuality(period, now)
    reports = {key: sum(u[key] for u in units) for key in ("due", "on_time", "late", "missing")}
    reports["rate"] = rate(reports["on_time"], reports["due"])
    by_division = {}
    for unit in units:
        row = by_division.setdefault(unit["division"], {"due": 0, "on_time": 0})
        row["due"] += unit["due"]
        row["on_time"] += unit["on_time"]
    punctuality_by_division = [
        {
            "division": d.name,
            "rate": rate(by_division.get(d.name, {}).get("on_time", 0), by_division.get(d.name, {}).get("due", 0)),
        }
        for d in divisions
    ]
    return {
        "period": period,
        "divisions": divisions,
        "reports": reports,
        "report_units": units,
        "punctuality_by_division": punctuality_by_division,
        "cards": supervision_cards(period),
        "problems": problems_by_division(period, divisions),
        "inspections": inspections_by_division(period, divisions),
        "volunteers": volunteers_by_division(period, divisions),
        "league": league(period, divisions),
        "list_limit": LIST_LIMIT,
    }
