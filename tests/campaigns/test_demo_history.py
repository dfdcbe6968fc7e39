"""``seed_datong --demo`` builds a lived-in campaign: a year of every app's work across all ten divisions, in every
state, with transition rows that agree with the statuses, the same figures on every run."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum

from campaigns import registry
from campaigns.models import Division, User
from inspections.choices import ProblemStatus
from inspections.models import Inspection, InspectionResult, Problem
from supervision.choices import CardStatus, EscalationStep
from supervision.models import CardEscalation, ExtensionRequest, SupervisionCard
from taskforces.choices import ReportStatus
from taskforces.models import Report
from volunteers import selectors as volunteer_selectors
from volunteers.choices import RecordStatus
from volunteers.models import ServiceRecord, Volunteer

pytestmark = pytest.mark.django_db(transaction=False)


def _seed():
    call_command("seed_datong", "--demo", stdout=StringIO())


def _figures() -> dict:
    """What a visitor of the demo sees, without ids or timestamps (those differ between databases)."""
    return {
        "reports": sorted(
            Counter(
                (r["unit__name"], r["kind"], r["period"], r["status"], r["is_late"])
                for r in Report.objects.values("unit__name", "kind", "period", "status", "is_late")
            ).items()
        ),
        "cards": sorted(
            SupervisionCard.objects.values_list(
                "number", "title", "status", "deadline", "rework_count", "extension_count"
            )
        ),
        "escalations": sorted(CardEscalation.objects.values_list("card__number", "step")),
        "problems": sorted(
            Problem.objects.values("status", "division__name")
            .annotate(n=Count("id"), reworks=Sum("rework_count"))
            .values_list("status", "division__name", "n", "reworks")
        ),
        "visits": sorted(Inspection.objects.values_list("point__code", "score_rate", "client_key")),
        "volunteers": sorted(
            Volunteer.objects.values_list("id_number", "name", "division__name", "confirmed_hours", "star")
        ),
        "records": sorted(
            ServiceRecord.objects.values("status")
            .annotate(n=Count("id"), h=Sum("hours"))
            .values_list("status", "n", "h")
        ),
    }


def _transitions_agree(model, subject_field) -> None:
    """Every record's last transition leads to its status; the first starts where the workflow creates it."""
    workflow = registry.workflow_for(model)
    transitions = workflow.get_transition_model()
    last = {}
    for subject_id, to_status in transitions.objects.order_by("at", "id").values_list(
        f"{subject_field}_id", "to_status"
    ):
        last[subject_id] = to_status
    wrong = [
        (pk, status, last.get(pk))
        for pk, status in model.objects.values_list("pk", "status")
        if pk in last and last[pk] != status
    ]
    assert not wrong, f"{model.__name__}: status and history disagree for {wrong[:5]}"


def test_the_demo_shows_every_state_in_every_division(api_as):
    _seed()
    divisions = set(Division.objects.values_list("pk", flat=True))
    assert len(divisions) == 10

    # reports: on time, late, missing (marked), returned, accepted and waiting for review — every division reports
    reports = Report.objects.all()
    assert reports.filter(status=ReportStatus.ACCEPTED, is_late=False).exists()
    assert reports.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED], is_late=True).exists()
    assert reports.filter(status=ReportStatus.EXPECTED, missing_marked_at__isnull=False).exists()
    assert reports.filter(status=ReportStatus.SUBMITTED).count() >= 10, "headquarters has reports to review"
    assert reports.filter(transitions__action="return").exists()
    assert reports.filter(status=ReportStatus.RETURNED).exists() or reports.filter(transitions__action="return")
    assert set(reports.values_list("unit__division", flat=True).distinct()) >= divisions
    assert reports.filter(kind="weekly").values("period").distinct().count() >= 50, "about a year of weeks"
    assert reports.filter(kind="monthly").values("period").distinct().count() >= 12

    # supervision cards: every status, escalated ones, extensions, in every division
    for status in CardStatus.values:
        assert SupervisionCard.objects.filter(status=status).exists(), status
    assert set(SupervisionCard.objects.values_list("division", flat=True).distinct()) >= divisions
    for step in EscalationStep.values:
        assert CardEscalation.objects.filter(step=step).exists(), step
    assert SupervisionCard.objects.filter(flagged_at__isnull=False, status__in=CardStatus.values).exists()
    assert ExtensionRequest.objects.values("status").distinct().count() >= 2

    # inspections and problems: every status, overdue and recurrent ones, in every division
    for status in ProblemStatus.values:
        assert Problem.objects.filter(status=status).exists(), status
    assert Problem.objects.overdue().exists()
    assert Problem.objects.filter(is_recurrence=True, recurrence_of__isnull=False).exists()
    assert set(Inspection.objects.values_list("division", flat=True).distinct()) >= divisions
    assert InspectionResult.objects.filter(problem__isnull=False).exists()

    # volunteers: a few thousand with records in every status; stars; a dormant station per division
    assert Volunteer.objects.count() >= 2500
    assert set(Volunteer.objects.values_list("division", flat=True).distinct()) >= divisions
    for status in RecordStatus.values:
        assert ServiceRecord.objects.filter(status=status).exists(), status
    assert Volunteer.objects.filter(star__gte=1).exists()
    hq = User.objects.get(username="hq")
    dormant = volunteer_selectors.stations_dormant(hq)
    assert set(dormant.values_list("division", flat=True)) >= divisions

    # the history agrees with the statuses
    _transitions_agree(Report, "report")
    _transitions_agree(SupervisionCard, "card")
    _transitions_agree(Problem, "problem")
    _transitions_agree(ServiceRecord, "record")
    hours = Volunteer.objects.aggregate(h=Sum("confirmed_hours"))["h"]
    confirmed = ServiceRecord.objects.filter(status=RecordStatus.CONFIRMED).aggregate(h=Sum("hours"))["h"]
    assert hours == confirmed, "a volunteer's hours are their confirmed records"

    # the dashboard has something to show on every line
    summary = api_as(User.objects.get(username="api-reader")).get("/api/v1/dashboard/summary/").json()
    assert summary["volunteers"]["registered"] >= 2500
    assert 30 < summary["volunteers"]["activity_rate"] < 80
    assert 80 < summary["volunteers"]["satisfaction_rate"] <= 100
    assert summary["volunteers"]["teams"] >= 60 and summary["volunteers"]["projects"] >= 60
    assert summary["practice_sites"]["station"] >= 60
    assert all(summary["supervision_cards"][key] > 0 for key in ("open", "overdue", "closed", "on_time_rate"))
    assert all(summary["problems"][key] > 0 for key in ("open", "overdue", "closed", "on_time_closure_rate"))
    assert summary["reports"]["expected"] > 0
    assert summary["inspections"]["score_rate"] > 50
    league = api_as(hq).get("/api/v1/dashboard/districts/").json()
    rows = league["results"] if isinstance(league, dict) else league
    assert len(rows) == 10
    assert len({row["score_rate"] for row in rows}) > 1, "divisions differ"
    assert len({row["report_punctuality"] for row in rows}) > 1

    # the cockpit's volunteer rates have a change since the day kept a week ago (counted from the records' dates)
    cockpit = {f["key"]: f for f in api_as(hq).get("/api/v1/dashboard/cockpit/").json()["figures"]}
    activity, satisfaction = cockpit["activity_rate"], cockpit["satisfaction_rate"]
    assert 20 < activity["previous"] < 80 and activity["change"] == round(activity["value"] - activity["previous"], 1)
    assert 80 < satisfaction["previous"] <= 100 and satisfaction["change"] is not None


def test_two_seeds_give_the_same_figures_and_a_second_run_adds_nothing():
    with transaction.atomic():
        _seed()
        first = _figures()
        transaction.set_rollback(True)
    assert not Report.objects.exists(), "rolled back"
    _seed()
    assert _figures() == first
    _seed()
    assert _figures() == first
