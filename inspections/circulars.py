"""The weekly circular (通报): compiled by the calendar every Monday at 07:00 for the ISO week before, numbered
〔YYYY〕第N期 with the campaign's gapless yearly numbering, reviewed and published by headquarters.

What it prints: the week's inspections, the problems found and fixed, the league table with the movement since the week
before, the supervision cards the escalation sweep listed for the circular (seven days overdue) during the week, and the
problems open and overdue at the week's end. The figures are kept on the row (``content``) as compiled, so the page
and the PDF never drift from each other or from what was published.

Idempotent: one circular per week (unique ``period``). The number is drawn (``campaigns.numbering.next_number``) in the
transaction that inserts the row; a second compilation of the same week — concurrent or later — rolls back with its
number, so the sequence has no gaps.
"""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from campaigns import periods
from campaigns.choices import Role
from campaigns.league import district_rows
from campaigns.models import Division, User
from campaigns.notifications import notify
from campaigns.numbering import next_number
from campaigns.pdf import render_pdf
from campaigns.workflow import CREATED, Move, Workflow
from inspections.choices import CircularAction, CircularStatus
from inspections.league import problem_scope, visits_in
from inspections.models import Circular, Inspection, Problem
from inspections.services import score_rate
from supervision.selectors import cards_listed_for_circular

SERIES = "circular"
LISTED_ROWS = 50  # problems and cards printed one per line; the counts cover the rest


def _headquarters(actor, circular) -> bool:
    return actor.is_headquarters


CIRCULAR_WORKFLOW = Workflow(
    name="通报",
    model="inspections.Circular",
    transition_model="inspections.CircularTransition",
    subject_field="circular",
    changed_at_field="status_changed_at",
    moves=(
        Move(CircularAction.COMPILE, "编制", {CREATED}, CircularStatus.DRAFT, _headquarters, button=False),
        Move(
            CircularAction.PUBLISH,
            "审核发布",
            {CircularStatus.DRAFT},
            CircularStatus.PUBLISHED,
            _headquarters,
            refusal="只有指挥部可以审核发布通报。",
        ),
    ),
)


def format_number(year: int, sequence: int) -> str:
    return f"〔{year}〕第{sequence}期"


# --- reading -------------------------------------------------------------------------------------------------------


def circulars_visible_to(user):
    """Headquarters sees every circular, drafts included; everyone else signed in sees the published ones."""
    if not (user.is_authenticated and user.is_active):
        return Circular.objects.none()
    circulars = Circular.objects.select_related("published_by")
    return circulars if user.is_headquarters else circulars.filter(status=CircularStatus.PUBLISHED)


def _day(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if isinstance(value, datetime) else str(value or "")


def circular_content(period: periods.Period) -> dict:
    """Everything the circular prints for ``period``, as plain JSON."""
    visits = visits_in(Inspection.objects.all(), period)
    weights = visits.order_by().aggregate(
        passed=Sum("weighted_passed"), applicable=Sum("weighted_applicable"), count=Count("id")
    )
    rate = score_rate(weights["passed"] or 0, weights["applicable"] or 0)
    found = Problem.objects.filter(found_at__gte=period.start, found_at__lt=period.end)
    closed_in_scope, _open_at_end, overdue, _in_scope = problem_scope(period)
    fixed = Problem.objects.filter(closed_in_scope)
    overdue_problems = Problem.objects.filter(overdue).select_related(
        "point", "standard", "division", "responsible_unit"
    )
    cards = cards_listed_for_circular(listed_since=period.start).filter(circular_listed_at__lt=period.end)

    league = district_rows(list(Division.objects.all()), period)
    return {
        "period": period.label,
        "period_display": period.display(),
        "inspections": {
            "visits": weights["count"],
            "points": visits.values("point_id").distinct().count(),
            "score_rate": float(rate) if rate is not None else None,
        },
        "problems": {
            "found": found.count(),
            "fixed": fixed.count(),
            "fixed_on_time": sum(
                1 for closed_at, deadline in fixed.values_list("closed_at", "deadline") if _on_time(closed_at, deadline)
            ),
            "overdue": overdue_problems.count(),
        },
        "league": [
            {
                key: row.get(key)
                for key in (
                    "division_name",
                    "rank",
                    "previous_rank",
                    "movement",
                    "score_rate",
                    "on_time_closure_rate",
                    "supervision_on_time_rate",
                    "report_punctuality",
                    "activity_rate",
                    "visits",
                    "problems_overdue",
                )
            }
            for row in league
        ],
        "cards": [
            {
                "number": card.number,
                "title": card.title,
                "unit": str(card.assignee_unit),
                "division": card.division.name if card.division_id else "",
                "deadline": _day(card.deadline),
            }
            for card in cards[:LISTED_ROWS]
        ],
        "cards_count": cards.count(),
        "overdue_problems": [
            {
                "id": p.pk,
                "point": f"{p.point.code} {p.point.name}",
                "standard": p.standard.text,
                "division": p.division.name,
                "unit": p.responsible_unit.name,
                "deadline": _day(p.deadline),
                "days": (period.last_day - p.deadline).days + 1,
            }
            for p in overdue_problems.order_by("deadline", "id")[:LISTED_ROWS]
        ],
    }


def _on_time(closed_at, deadline) -> bool:
    return closed_at is not None and deadline is not None and timezone.localtime(closed_at).date() <= deadline


# --- writing -------------------------------------------------------------------------------------------------------


def circular_compile(*, period: periods.Period, now: datetime | None = None, actor=None) -> tuple[Circular, bool]:
    """The circular of ``period`` (an ISO week): compiled now with the next number, or the one already compiled.

    Returns (circular, created). ``actor`` (headquarters compiling by hand) is recorded as the compile move; the
    calendar compiles without one."""
    if period.kind != periods.WEEK:
        raise ValueError("a circular covers an ISO week")
    now = now or timezone.now()
    existing = Circular.objects.filter(period=period.label).first()
    if existing is not None:
        return existing, False
    content = circular_content(period)
    year = timezone.localtime(now).year
    try:
        with transaction.atomic():
            sequence = next_number(SERIES, year)
            circular = Circular.objects.create(
                year=year,
                sequence=sequence,
                number=format_number(year, sequence),
                period=period.label,
                period_start=period.first_day,
                period_end=period.last_day,
                content=content,
                compiled_at=now,
                status_changed_at=now,
            )
            if actor is not None:
                CIRCULAR_WORKFLOW.record_creation(circular, CircularAction.COMPILE, actor=actor, at=now)
            circular.pdf.save(f"{period.label}.pdf", ContentFile(render_circular_pdf(circular)), save=True)
    except IntegrityError:
        # Another compilation of the same week committed first; our number rolled back with our row.
        return Circular.objects.get(period=period.label), False
    return circular, True


def render_circular_pdf(circular: Circular) -> bytes:
    return render_pdf("inspections/circular_pdf.html", {"circular": circular, "c": circular.content})


def circular_url(circular: Circular) -> str:
    return reverse("inspections-circular-detail", args=[circular.pk])


@transaction.atomic
def circular_publish(*, actor: User, circular: Circular) -> Circular:
    """Headquarters publishes a reviewed draft; every unit's officers are told once."""
    circular = CIRCULAR_WORKFLOW.lock(circular)
    now = timezone.now()
    circular.published_by, circular.published_at = actor, now
    CIRCULAR_WORKFLOW.apply(
        circular, CircularAction.PUBLISH, actor=actor, at=now, update_fields=["published_by", "published_at"]
    )
    notify(
        recipients=User.objects.filter(role=Role.OFFICER, is_active=True),
        kind="circular-published",
        title=f"创城工作通报{circular.number}已发布",
        body=f"{circular.content.get('period_display', circular.period)}的督导检查情况通报已发布，请查阅并对照整改。",
        url=circular_url(circular),
        key=f"circular-published:{circular.pk}",
    )
    return circular


# --- the calendar --------------------------------------------------------------------------------------------------


def compile_last_weeks_circular(now: datetime) -> str:
    """Monday's sweep: compile the circular of the ISO week before ``now`` (once)."""
    today = timezone.localtime(now).date()
    period = periods.week(today - timedelta(days=7))
    circular, created = circular_compile(period=period, now=now)
    if created:
        return f"已编制{period.label}通报 {circular.number}，待指挥部审核发布"
    return f"{period.label}通报已编制（{circular.number}），未重复编制"


SWEEPS = {"inspections-circular": compile_last_weeks_circular}
SCHEDULE = [
    ("inspections-circular", {"minute": "0", "hour": "7", "day_of_week": "1"}, "编制上周督导检查通报（每周一7:00）")
]
